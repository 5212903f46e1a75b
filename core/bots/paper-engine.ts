// The engine that runs one paper bot — and the ghosts shadowing it — on a replay of stored candles:
// feed → strategy → sizing → OrderRouter (journal before send) → SimulatedExchange → journal →
// portfolio. The supervisor only sees the BotEngine interface (bot-engine.ts), so the runtime's
// StrategyRunner can take this one's place without the supervisor, the contract or the pages
// changing.
//
// Resume without a doubled order: every order carries the signal key "<owner>:<bar time>:<k>"
// (the k-th order the strategy gave on that bar), and the journal makes at most one order per key,
// ever. The store's checkpoint (the last bar finished) is written after every bar that traded and
// every `checkpointEvery` bars otherwise, so a restart re-runs at most the quiet bars since, which
// re-decide the same signals (answered `already_sent`). The simulator lives in this process, so its
// working orders die with it: at start they are handed to the new simulator again — each only
// once the replay is past the bar that decided it, so it fills where it would have.
import type { ClientOrderId } from '../domain/client-order-id.ts';
import { instrumentFromData } from '../domain/detect-precision.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { Side } from '../domain/order-terms.ts';
import type { OrderRequest } from '../execution/order.ts';
import { sizeLots } from '../execution/sizing.ts';
import { ReplayFeed } from '../feeds/replay-feed.ts';
import type { ClientOrderIds } from '../orders/client-order-ids.ts';
import type { OrderJournal } from '../orders/order-journal.ts';
import { OrderRouter } from '../orders/order-router.ts';
import type { Order } from '../orders/order.ts';
import type { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { Database } from '../storage/database.ts';
import type { Strategy, StrategyContext, StrategyParams } from '../strategies/strategy.ts';
import { timeframeSeconds } from '../storage/timeframe-seconds.ts';
import { SimulatedExchange } from '../venues/simulated/simulated-exchange.ts';
import type { BotEngine, BotEngineListener, EngineEnd } from './bot-engine.ts';
import { botOwner, type BotRecord, type BotStore } from './bot-store.ts';
import { portfolioFromJournal } from './bot-reports.ts';

export interface PaperEngineOptions {
  bot: BotRecord;
  ghosts: readonly BotRecord[];
  candles: CandleColumns;
  strategy: Strategy<StrategyParams, unknown>;
  params: StrategyParams;
  db: Database;
  journal: OrderJournal;
  ids: ClientOrderIds;
  store: BotStore;
  listener: BotEngineListener;
  /** Quiet bars between two checkpoints (a bar that traded is always checkpointed). Default 64. */
  checkpointEvery?: number;
}

type Command = { kind: 'buy' | 'sell'; request: OrderRequest | undefined } | { kind: 'close' };

/** One paper account the engine trades: the bot's own, or a ghost's. */
class Account {
  readonly bot: BotRecord;
  readonly owner: string;
  readonly exchange: SimulatedExchange;
  readonly router: OrderRouter;
  readonly portfolio: AccountPortfolio;
  bars: number;
  lastBarTime: number | null;
  /** Fills booked by this run: a bar that moved it traded. */
  fills = 0;
  /** Orders the previous run left working, each waiting for the first bar after the one that decided it. */
  private held: { id: ClientOrderId; after: number }[];
  private readonly unsubscribe: () => void;

  constructor(
    bot: BotRecord,
    instrument: Instrument,
    deps: Pick<PaperEngineOptions, 'db' | 'journal' | 'ids' | 'listener'>,
  ) {
    const { definition } = bot;
    this.bot = bot;
    this.owner = botOwner(bot.id);
    this.bars = bot.bars;
    this.lastBarTime = bot.lastBarTime;
    this.exchange = new SimulatedExchange({
      id: 'paper',
      instruments: [instrument],
      fees: { commission: definition.commission, fixedFee: definition.fixedFee },
      slippage: definition.slippage,
      cash: definition.cash,
    });
    this.portfolio = portfolioFromJournal(deps.journal, this.owner, definition.cash);
    this.router = new OrderRouter({
      journal: deps.journal,
      venue: this.exchange,
      ids: deps.ids,
      instruments: [instrument],
      owner: this.owner,
      portfolio: this.portfolio,
    });
    this.held = workingOrders(deps.db, deps.journal, this.owner);
    // Registered after the router's own listener: the journal already holds what this reports.
    this.unsubscribe = this.exchange.onEvent((event) => {
      if (event.type !== 'order') return;
      const order = deps.journal.get(event.clientOrderId);
      if (order === undefined || order.intent.owner !== this.owner) return;
      if (event.event.kind === 'fill') {
        this.fills++;
        deps.listener.fill(bot.id, order, event.event);
      }
      deps.listener.order(bot.id, order);
    });
  }

  async connect(): Promise<void> {
    await this.exchange.connect();
  }

  /** Hands the previous run's working orders to this simulator once the replay is past their bar. */
  async release(barTime: number, journal: OrderJournal): Promise<void> {
    if (this.held.length === 0) return;
    const due = this.held.filter((h) => h.after < barTime);
    this.held = this.held.filter((h) => h.after >= barTime);
    for (const { id } of due) {
      const order = journal.get(id)!;
      if (order.status === 'INITIALIZED') this.router.record(id, { kind: 'submitted' });
      const { intent } = order;
      await this.exchange.submit({
        clientOrderId: id,
        symbol: intent.symbol,
        side: intent.side,
        type: intent.type,
        quantity: order.remaining,
        price: order.price,
        timeInForce: intent.timeInForce,
      });
    }
  }

  position(symbol: string): number {
    for (const p of this.portfolio.positions()) if (p.symbol === symbol) return p.quantity;
    return 0;
  }

  /** Sends one strategy command as one market order; returns whether an order was made or found. */
  async route(command: Command, symbol: string, close: number, signalKey: string): Promise<Order | null> {
    const { definition } = this.bot;
    const held = this.position(symbol);
    let side: Side;
    let quantity: number;
    if (command.kind === 'close') {
      if (held === 0) return null;
      side = held > 0 ? 'sell' : 'buy';
      quantity = Math.abs(held);
    } else {
      side = command.kind;
      const direction = side === 'buy' ? 1 : -1;
      // A reversal closes the opposite position first, in the same order: its proceeds fund the entry.
      const closing = held * direction < 0 ? Math.abs(held) : 0;
      const equity = this.portfolio.equity;
      const available = closing > 0 ? equity : this.portfolio.cash;
      const asked = command.request?.quantity;
      const lots = this.portfolio.canOpen
        ? sizeLots(
            definition.sizing,
            asked === undefined ? Number.NaN : asked,
            close,
            Number.NaN,
            equity,
            available,
            definition.lotSize,
            definition,
          )
        : 0;
      quantity = closing + lots * definition.lotSize;
      if (quantity <= 0) return null;
    }
    const result = await this.router.submit({ symbol, side, type: 'market', quantity, signalKey });
    return 'order' in result ? result.order : null;
  }

  close(): void {
    this.unsubscribe();
    this.router.close();
  }
}

export class PaperBotEngine implements BotEngine {
  private readonly options: PaperEngineOptions;
  private readonly accounts = new Map<number, Account>();
  private readonly instrument: Instrument;
  private feed: ReplayFeed | null = null;
  private halted = false;

  constructor(options: PaperEngineOptions) {
    this.options = options;
    const { bot, candles } = options;
    this.instrument = instrumentFromData(bot.definition.symbol, candles, bot.definition.lotSize, 'paper');
    for (const record of [bot, ...options.ghosts]) this.addAccount(record);
  }

  attach(ghost: BotRecord): void {
    if (!this.accounts.has(ghost.id)) this.addAccount(ghost);
  }

  detach(ghostId: number): void {
    if (ghostId === this.options.bot.id) return;
    this.accounts.get(ghostId)?.close();
    this.accounts.delete(ghostId);
  }

  portfolio(botId: number): AccountPortfolio | undefined {
    return this.accounts.get(botId)?.portfolio;
  }

  halt(): void {
    this.halted = true;
    this.feed?.stop();
  }

  async run(): Promise<EngineEnd> {
    const { bot, candles, strategy, params, journal, store, listener } = this.options;
    const { definition } = bot;
    const symbol = definition.symbol;
    const own = this.accounts.get(bot.id)!;
    for (const account of this.accounts.values()) await account.connect();
    let indicators: unknown;
    try {
      indicators = strategy.init({ candles, params, series: {} });
    } catch (error) {
      return { kind: 'failed', error: `${strategy.name} failed to start: ${describe(error)}` };
    }
    const commands: Command[] = [];
    const context: StrategyContext<StrategyParams, unknown> & {
      position: number;
      cash: number;
      equity: number;
    } = {
      candles,
      params,
      indicators,
      position: 0,
      cash: 0,
      equity: 0,
      buy: (request?: OrderRequest) => give({ kind: 'buy', request }),
      sell: (request?: OrderRequest) => give({ kind: 'sell', request }),
      close: () => give({ kind: 'close' }),
      cancelAll: () => undefined,
    };
    // The backtest's ids are numbers; a strategy only compares them, so the command's index serves.
    const give = (command: Command) => {
      commands.push(command);
      return (commands.length - 1) as never;
    };
    const startAfter = own.lastBarTime ?? definition.startAfter ?? undefined;
    let index = firstAfter(candles.time, startAfter ?? Number.NEGATIVE_INFINITY);
    const speed =
      definition.barsPerSecond === null
        ? 'max'
        : timeframeSeconds(definition.timeframe) * definition.barsPerSecond;
    const feed = new ReplayFeed([{ symbol, timeframe: definition.timeframe, candles }], {
      speed,
      startAfter,
      // Small batches at full speed: other bots and the host's calls get the event loop often.
      batch: 16,
    });
    this.feed = feed;
    if (this.halted) return { kind: 'halted' };
    const checkpointEvery = this.options.checkpointEvery ?? 64;
    let failure: string | null = null;

    feed.onBar(async ({ bar }) => {
      const i = index++;
      const accounts = [...this.accounts.values()];
      let traded = false;
      for (const account of accounts) {
        await account.release(bar.time, journal);
        const fillsBefore = account.fills;
        account.exchange.pushBar(symbol, bar);
        account.portfolio.mark(symbol, bar.close, bar.time * 1000);
        if (account.fills !== fillsBefore) traded = true;
      }
      context.position = own.position(symbol);
      context.cash = own.portfolio.cash;
      context.equity = own.portfolio.equity;
      commands.length = 0;
      try {
        strategy.onBar(i, context);
      } catch (error) {
        // The watchdog: this bot stops with the error; the bar is not checkpointed, nothing is sent.
        failure = `${strategy.name} threw on bar ${i} (${new Date(bar.time * 1000).toISOString()}): ${describe(error)}`;
        feed.stop();
        return;
      }
      for (const account of accounts) {
        for (let k = 0; k < commands.length; k++) {
          const order = await account.route(
            commands[k]!,
            symbol,
            bar.close,
            `${account.owner}:${bar.time}:${k}`,
          );
          if (order !== null) {
            traded = true;
            listener.order(account.bot.id, order);
          }
        }
        account.bars++;
        account.lastBarTime = bar.time;
        if (traded || account.bars % checkpointEvery === 0)
          store.checkpoint(account.bot.id, bar.time, account.bars);
        listener.bar(account.bot.id, {
          bars: account.bars,
          lastBarTime: bar.time,
          portfolio: account.portfolio,
          traded,
        });
      }
    });

    let end: EngineEnd;
    try {
      const result = await feed.run();
      end =
        failure !== null
          ? { kind: 'failed', error: failure }
          : result.stopped
            ? { kind: 'halted' }
            : { kind: 'finished' };
    } catch (error) {
      end = { kind: 'failed', error: describe(error) };
    }
    for (const account of this.accounts.values()) {
      if (account.lastBarTime !== null) store.checkpoint(account.bot.id, account.lastBarTime, account.bars);
    }
    return end;
  }

  /** Cancels the working orders of every account (a stop, not a pause). */
  async cancelWorking(): Promise<void> {
    for (const account of this.accounts.values()) {
      for (const order of this.options.journal.openOrders()) {
        if (order.intent.owner === account.owner && order.isOpen)
          await account.router.cancel(order.intent.clientOrderId);
      }
    }
  }

  close(): void {
    for (const account of this.accounts.values()) account.close();
  }

  private addAccount(record: BotRecord): void {
    const { db, journal, ids, listener } = this.options;
    this.accounts.set(record.id, new Account(record, this.instrument, { db, journal, ids, listener }));
  }
}

/** The orders of `owner` a previous run left open, with the bar time their signal key names. */
function workingOrders(
  db: Database,
  journal: OrderJournal,
  owner: string,
): { id: ClientOrderId; after: number }[] {
  const keys = new Map(
    (
      db
        .prepare(
          'SELECT client_order_id, signal_key FROM order_intents WHERE owner = ? AND signal_key IS NOT NULL',
        )
        .raw()
        .all(owner) as [string, string][]
    ).map(([id, key]) => [id, Number(key.split(':')[1])]),
  );
  return journal
    .openOrders()
    .filter((order) => order.intent.owner === owner)
    .map((order) => ({
      id: order.intent.clientOrderId,
      after: keys.get(order.intent.clientOrderId) ?? Number.NEGATIVE_INFINITY,
    }));
}

function firstAfter(times: ArrayLike<number>, after: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
