// What a strategy's onBar sees on the live path: the same StrategyContext as in a backtest (so the
// same strategy object runs in both), with the bars and indicators as live views. Its order
// commands are collected, not executed: the runner turns them into orders when the next bar opens,
// as the backtest's execution engine does, so both size and fill them at the same price.
import type { OrderRequest } from '../execution/order.ts';
import { checkOrderRequest, type ClientOrderId } from '../execution/order.ts';
import { equityAt } from '../portfolio/portfolio.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { StrategyContext } from '../strategies/strategy.ts';

export type CommandKind = 'buy' | 'sell' | 'close' | 'cancelAll';

export interface Command {
  kind: CommandKind;
  request: OrderRequest | undefined;
  /** The strategy's id for it (a counter within the bot's run). */
  id: ClientOrderId;
}

export class LiveContext<P, I> implements StrategyContext<P, I> {
  readonly candles: CandleColumns;
  readonly params: P;
  indicators: I;
  position = 0;
  cash = 0;
  /** The current bar's close, which equity is marked at. */
  mark = Number.NaN;
  /** Commands given since the runner last took them. */
  readonly commands: Command[] = [];
  private nextId = 1;

  constructor(candles: CandleColumns, params: P, indicators: I) {
    this.candles = candles;
    this.params = params;
    this.indicators = indicators;
  }

  get equity(): number {
    return equityAt(this.cash, this.position, this.mark);
  }

  buy = (order?: OrderRequest): ClientOrderId => this.give('buy', order);
  sell = (order?: OrderRequest): ClientOrderId => this.give('sell', order);
  close = (): ClientOrderId => this.give('close', undefined);
  cancelAll = (): void => {
    this.give('cancelAll', undefined);
  };

  /** Hands over the commands given so far and forgets them. */
  take(): Command[] {
    return this.commands.splice(0);
  }

  private give(kind: CommandKind, request: OrderRequest | undefined): ClientOrderId {
    checkOrderRequest(request); // a bad request throws inside onBar, where the strategy made it
    const id = (kind === 'cancelAll' ? 0 : this.nextId++) as ClientOrderId;
    this.commands.push({ kind, request: request === undefined ? undefined : { ...request }, id });
    return id;
  }
}
