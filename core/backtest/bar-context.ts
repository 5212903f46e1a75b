// What a strategy's onBar sees of a run: the bar, its position and cash, and the order commands. A
// command is answered at once (buy() returns the order's id) but reaches the execution engine only
// when onBar returns, in the order given. The strategy cannot tell the difference: placing an order
// changes nothing it can read until the next bar's fills. The engine gains a lot from it: buy()
// then only writes a few fields, so the loop that runs onBar bar after bar calls nothing else, and
// the JIT keeps what onBar reads in registers instead of reloading it on every bar (measured in
// docs/backtesting.md, "Engine path").
import type { ExecutionEngine } from '../execution/execution-engine.ts';
import { checkOrderRequest, type ClientOrderId, type OrderRequest } from '../execution/order.ts';
import { equityAt } from '../portfolio/portfolio.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { StrategyContext } from '../strategies/strategy.ts';

/** A command kind, as a small integer (type stripping has no enums): Command.Buy … Command.CancelAll. */
const Command = { Buy: 0, Sell: 1, Close: 2, CancelAll: 3 } as const;
type Command = (typeof Command)[keyof typeof Command];

export class BarContext<P, I> implements StrategyContext<P, I> {
  readonly candles: CandleColumns;
  readonly params: P;
  readonly indicators: I;
  // Plain fields the engine keeps current where they change: cheaper per bar than getters (measured).
  bar = 0;
  position = 0;
  cash = 0;
  /** Commands given since the last send(). */
  commandCount = 0;
  private readonly commands: Command[] = [];
  private readonly requests: (OrderRequest | undefined)[] = [];
  private readonly ids: ClientOrderId[] = [];
  private readonly execution: ExecutionEngine;
  private readonly closes: Float64Array;

  constructor(candles: CandleColumns, params: P, indicators: I, execution: ExecutionEngine) {
    this.candles = candles;
    this.params = params;
    this.indicators = indicators;
    this.execution = execution;
    this.closes = candles.close;
  }

  /** A getter: few strategies read it, and storing it on every bar was a measurable share of a run. */
  get equity(): number {
    return equityAt(this.cash, this.position, this.closes[this.bar]!);
  }

  // Arrow properties: `const { buy } = ctx` keeps working.
  buy = (order?: OrderRequest): ClientOrderId => this.give(Command.Buy, order);
  sell = (order?: OrderRequest): ClientOrderId => this.give(Command.Sell, order);
  close = (): ClientOrderId => this.give(Command.Close, undefined);
  cancelAll = (): void => {
    this.give(Command.CancelAll, undefined);
  };

  /** Hands the commands of this bar's onBar to the execution engine, in the order they were given. */
  send(): void {
    const execution = this.execution;
    const count = this.commandCount;
    for (let k = 0; k < count; k++) {
      const request = this.requests[k];
      const id = this.ids[k]!;
      switch (this.commands[k]!) {
        case Command.Buy:
          execution.place('buy', request, this.bar, id);
          break;
        case Command.Sell:
          execution.place('sell', request, this.bar, id);
          break;
        case Command.Close:
          execution.placeClose(this.bar, id);
          break;
        case Command.CancelAll:
          execution.cancelAll();
          break;
      }
      this.requests[k] = undefined; // the request belongs to the strategy: keep no reference to it
    }
    this.commandCount = 0;
  }

  private give(command: Command, request: OrderRequest | undefined): ClientOrderId {
    checkOrderRequest(request); // a bad request throws inside onBar, where the strategy made it
    const id = command === Command.CancelAll ? (0 as ClientOrderId) : this.execution.reserveId();
    const k = this.commandCount++;
    this.commands[k] = command;
    this.requests[k] = request;
    this.ids[k] = id;
    return id;
  }
}
