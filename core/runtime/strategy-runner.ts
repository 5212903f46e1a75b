// One bot: a strategy object driven bar by bar through the runtime's order path —
//
//   feed (ReplayFeed at a chosen speed, or any MarketFeed) → strategy (LiveStrategy: streaming
//   indicators, no look-ahead) → sizing (the backtest's modes) → risk (the backtest's RiskEngine,
//   then OrderRouter's seat: ruin and the account's RiskGovernor) → OrderRouter → venue
//   (SimulatedExchange) → order journal (SQLite) → portfolio (AccountPortfolio per bot, and the
//   backtest's Portfolio for the trade list and the equity curve)
//
// The same bar rules as a backtest (core/backtest/engine.ts), so a replay matches its backtest
// trade for trade (tests/integration/paper-parity.test.ts):
//  1. the commands onBar gave on bar i's close wait for bar i + 1; when it arrives, before the
//     venue sees it, each becomes orders sized at that bar's open moved by the slippage — the
//     simulator's fill price (a reversal: a closing order, then an entry sized from what is left);
//  2. the venue fills them at the open, then resting orders (a bracket's stop-loss before its
//     take-profit) on the bar's range; each fill is journaled and booked;
//  3. equity is marked at the close; at or below zero the account is ruined (below);
//  4. the strategy sees the closed bar.
//
// API (what a supervisor drives):
//
//   const runner = await StrategyRunner.create({ botId, strategy, params, symbol, timeframe,
//     candles | feed, speed, money, journal, ids, database?, governor?, breakers? });
//   runner.on('fill' | 'order' | 'position' | 'equity' | 'status' | 'error' | 'ruined' | 'finished', fn)
//   await runner.start();   // runs its feed to the end (or until pause/stop); resolves with the status
//   runner.pause();         // stops the feed after the current bar; start() again resumes after it
//   runner.stop();          // for good
//   runner.step(bar); await runner.finish();   // to drive it from a shared feed instead
//   runner.output()         // equity curve, trades, open position, cash, rejections (EngineOutput)
//
// Resume after a restart: create a runner with the same botId on the same journal and start it
// again from the first bar. The journal is the only progress marker needed: every order carries a
// signal key "<botId>:<bar time>:<command>:<role>", so re-running bars already traded re-derives
// the same signals, and recordIntent answers `already_sent` instead of sending again; their fills
// are booked from the journal at the bar they happened. An order the journal holds as sent but
// unfilled died with the old simulator (paper venues live in memory), so it is handed to the new
// one under the same client order id. The first signal not in the journal is the first one sent.
//
// Ruin: when equity marked at a close is zero or less, the runner closes the position at that
// close, stops trading, and reports status 'ruined' with when and at what equity (event 'ruined').
import type { Timeframe } from '../domain/timeframe.ts';
import type { EngineOutput, SimulationConfig } from '../backtest/engine.ts';
import type { ExitReason } from '../backtest/spec.ts';
import type { Bar } from '../domain/bar.ts';
import type { ClientOrderId } from '../domain/client-order-id.ts';
import { instrumentFromData } from '../domain/detect-precision.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { OrderType, Side } from '../domain/order-terms.ts';
import { noRejections, type RejectionCounts } from '../execution/execution-engine.ts';
import { feeFor } from '../execution/fees.ts';
import { lotsIn, quantityOf } from '../execution/lot-size.ts';
import { stopLossLevel, takeProfitLevel, type Direction, type SizedOrder } from '../execution/order.ts';
import { sizeLots } from '../execution/sizing.ts';
import { ReinvestmentSizer } from '../reinvestment/reinvestment-sizer.ts';
import { ReplayFeed, type ReplayOptions, type ReplaySpeed } from '../feeds/replay-feed.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import type { ClientOrderIds } from '../orders/client-order-ids.ts';
import type { Fill, OrderEvent } from '../orders/order-events.ts';
import type { AppendResult, OrderJournal } from '../orders/order-journal.ts';
import { OrderRouter, type RouteResult } from '../orders/order-router.ts';
import type { Order } from '../orders/order.ts';
import { AccountPortfolio, type SymbolPosition } from '../portfolio/account-portfolio.ts';
import { availableAt, cashAfterFill, equityAt, Portfolio } from '../portfolio/portfolio.ts';
import { defaultRiskChecks, RiskEngine, type AccountView } from '../risk/risk-engine.ts';
import type { BreakerSettings } from '../risk/breaker-settings-schema.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { Database } from '../storage/database.ts';
import type { SeriesSet, Strategy, StrategyParams } from '../strategies/strategy.ts';
import { SimulatedExchange } from '../venues/simulated/simulated-exchange.ts';
import { slippedPrice } from '../venues/simulated/simulated-venue.ts';
import type { Venue, VenueEvent } from '../venues/venue.ts';
import { BarBreakers } from './bar-breakers.ts';
import type { BarRiskFeed } from './bar-risk-feed.ts';
import { LiveContext, type Command } from './live-context.ts';
import { LiveStrategy } from './live-strategy.ts';

export type RunnerStatus = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'ruined' | 'failed';

/** What each order is for: its exit reason when it closes a trade, and whether ruin may refuse it. */
export type OrderRole = 'entry' | 'close' | 'stop-loss' | 'take-profit' | 'end' | 'ruin';

export interface StrategyRunnerOptions {
  /** The owner of the bot's orders in the journal, and the prefix of its signal keys. */
  botId: string;
  strategy: Strategy<StrategyParams, unknown>;
  /** Already validated by the strategy's schema (StrategyEntry.parseParams). */
  params: StrategyParams;
  symbol: string;
  timeframe: Timeframe;
  /** The bars a replay delivers (and, unless `instrument` is given, where its precision is read). */
  candles?: CandleColumns | undefined;
  /** Replay speed: 1 = real time, N = N× faster, 'max' (default) = as fast as the bot goes. */
  speed?: ReplaySpeed | undefined;
  /** How the replay waits between bars at a finite speed (ReplayOptions.sleep); tests inject one. */
  sleep?: ReplayOptions['sleep'] | undefined;
  /** Any other feed; the runner takes the bars of its symbol. Default: a replay of `candles`. */
  feed?: MarketFeed | undefined;
  /** Extra per-bar series aligned to `candles` (revealed one bar at a time). */
  series?: SeriesSet | undefined;
  /** Cash, fees, slippage, lot size, sizing and closeAtEnd: a backtest's money side. */
  money: SimulationConfig;
  journal: OrderJournal;
  ids: ClientOrderIds;
  /**
   * The journal's database. With `batch: 'bar'` each bar's writes (intents, venue events) commit
   * in one transaction — one disk flush per bar instead of per write. Only for an in-process
   * simulated venue: an order it "executed" dies with the process as the uncommitted intent does.
   */
  database?: Database | undefined;
  batch?: 'bar' | 'write' | undefined;
  /**
   * Default: a SimulatedExchange of the symbol with the money side's fees and slippage. A real
   * venue (ccxt, cTrader) takes the same orders; its fills arrive as its events, at its prices, and
   * nothing is filled "at the close" for it: the market does that (docs/bots.md, live venues).
   */
  venue?: Venue | undefined;
  instrument?: Instrument | undefined;
  /** The account's risk governor: every order must pass it too (core/risk). */
  governor?: Pick<RiskGovernor, 'admit'> | undefined;
  /**
   * Circuit breakers judged on the bars' clock, as a backtest with the same `breakers` does
   * (bar-breakers.ts): for a replay that must match its backtest. The trips are in output().
   */
  breakers?: BreakerSettings | undefined;
  /** The account's risk, told the bot's equity, closed trades and bars on the bars' clock (bar-risk-feed.ts). */
  barRisk?: BarRiskFeed | undefined;
  now?: (() => number) | undefined;
}

export interface RunnerFill extends Fill {
  clientOrderId: ClientOrderId;
  symbol: string;
  side: Side;
  role: OrderRole;
  /** Index of the bar it filled on. */
  bar: number;
}

export interface RunnerRuin {
  bar: number;
  /** Bar time, epoch seconds. */
  time: number;
  /** Equity marked at that close, before the position was closed. */
  equity: number;
}

export interface RunnerEvents {
  status: { status: RunnerStatus; reason?: string | undefined };
  order: { order: Order };
  fill: RunnerFill;
  position: SymbolPosition;
  equity: { bar: number; time: number; equity: number; cash: number };
  error: { error: Error; message: string };
  ruined: RunnerRuin;
  finished: { status: RunnerStatus; output: EngineOutput };
}

type Listener<K extends keyof RunnerEvents> = (event: RunnerEvents[K]) => void;

const terminal: readonly RunnerStatus[] = ['stopped', 'finished', 'ruined', 'failed'];
const closingRoles: readonly OrderRole[] = ['close', 'stop-loss', 'take-profit', 'end', 'ruin'];

export class StrategyRunner {
  readonly botId: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly venue: Venue;
  /** The venue when it is the in-process simulator: it is given the bars and fills at the close. */
  private readonly paper: SimulatedExchange | null;
  readonly router: OrderRouter;
  /** The bot's account across symbols (journaled fills), marked at each close. */
  readonly portfolio: AccountPortfolio;
  /** The bot's trade ledger in the backtest's terms: trades, cash, position in lots. */
  readonly book: Portfolio;
  readonly rejections: RejectionCounts = noRejections();
  status: RunnerStatus = 'idle';
  error: Error | null = null;
  ruin: RunnerRuin | null = null;
  /** Bars taken in so far. */
  bars = 0;
  private equity: Float64Array;
  private readonly options: StrategyRunnerOptions;
  private readonly money: SimulationConfig;
  private readonly live: LiveStrategy<StrategyParams, unknown>;
  private readonly ctx: LiveContext<StrategyParams, unknown>;
  private readonly risk: RiskEngine;
  private readonly breakers: BarBreakers | null;
  private readonly sizer: ReinvestmentSizer | null;
  private readonly roles = new Map<ClientOrderId, OrderRole>();
  private readonly listeners = new Map<keyof RunnerEvents, Set<(event: never) => void>>();
  /** Commands from the last closed bar, with its time: released when the next bar opens. */
  private pending: { commands: Command[]; time: number } | null = null;
  private bracket: { stopLoss?: ClientOrderId | undefined; takeProfit?: ClientOrderId | undefined } = {};
  private readonly restingEntries = new Set<ClientOrderId>();
  /** On resume: the bot's journaled fills, booked when their bar comes round again. */
  private journalFills: { clientOrderId: ClientOrderId; fill: Fill }[] = [];
  private readonly resuming: boolean;
  private barIndex = 0;
  private lastBar: Bar | null = null;
  private feed: MarketFeed | null = null;
  private running: Promise<RunnerStatus> | null = null;
  /** The reason the next routed order is denied (the backtest risk engine's), or null. */
  private denial: string | null = null;
  private routingRole: OrderRole = 'entry';
  private readonly unsubscribe: () => void;

  static async create(options: StrategyRunnerOptions): Promise<StrategyRunner> {
    const runner = new StrategyRunner(options);
    if (runner.venue.connectionState !== 'connected') await runner.venue.connect();
    return runner;
  }

  private constructor(options: StrategyRunnerOptions) {
    if (options.candles === undefined && options.feed === undefined)
      throw new RangeError('a runner needs candles to replay or a feed');
    if (options.batch === 'bar' && options.database === undefined)
      throw new RangeError("batch: 'bar' needs the journal's database");
    this.options = options;
    this.money = options.money;
    this.botId = options.botId;
    this.symbol = options.symbol;
    this.timeframe = options.timeframe;
    const { money } = options;
    const instrument =
      options.instrument ??
      instrumentFromData(options.symbol, options.candles ?? emptyBars, money.lotSize, options.venue?.id);
    this.venue =
      options.venue ??
      new SimulatedExchange({
        instruments: [instrument],
        fees: money.fees,
        slippage: money.slippage,
        cash: money.cash,
      });
    this.paper = this.venue instanceof SimulatedExchange ? this.venue : null;
    if (this.paper === null && options.batch === 'bar')
      throw new RangeError(
        "batch: 'bar' is for the in-process simulator only: a real venue's orders outlive a crash",
      );
    this.portfolio = new AccountPortfolio(money.cash);
    this.book = new Portfolio(money.cash, money.lotSize);
    this.sizer = money.reinvestment ? new ReinvestmentSizer(money.reinvestment, money.cash) : null;
    const checks = defaultRiskChecks(money.lotSize, money.fees, money.sizing.mode === 'risk');
    this.breakers = options.breakers === undefined ? null : new BarBreakers(options.breakers, money.lotSize);
    this.risk = new RiskEngine(this.breakers === null ? checks : [this.breakers.check, ...checks]);
    this.router = new OrderRouter({
      journal: options.journal,
      venue: this.venue,
      ids: options.ids,
      instruments: [instrument],
      owner: options.botId,
      portfolio: this.portfolio,
      check: () => this.checkSeat(),
      governor: options.governor,
      now: options.now,
    });
    // After the router's own listener: an event reaches the bot once it is journaled.
    this.unsubscribe = this.venue.onEvent((event) => this.onVenueEvent(event));
    const capacity = options.candles?.close.length ?? 1024;
    this.equity = new Float64Array(Math.max(1, capacity));
    this.live = new LiveStrategy(options.strategy, options.params, options.series ?? {}, capacity);
    this.ctx = new LiveContext(this.live.candles, options.params, this.live.indicators);
    this.ctx.cash = money.cash;
    const mine = options.journal.all().filter((order) => order.intent.owner === options.botId);
    this.resuming = mine.length > 0;
    for (const order of mine)
      for (const fill of order.fills)
        this.journalFills.push({ clientOrderId: order.intent.clientOrderId, fill });
    this.journalFills.sort((a, b) => a.fill.time - b.fill.time);
  }

  on<K extends keyof RunnerEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (set === undefined) this.listeners.set(event, (set = new Set()));
    set.add(listener as (event: never) => void);
    return () => set.delete(listener as (event: never) => void);
  }

  /** Runs the feed until it ends, or pause() or stop(); resolves with the status then. */
  start(): Promise<RunnerStatus> {
    if (terminal.includes(this.status)) throw new Error(`bot ${this.botId} is ${this.status}`);
    if (this.running !== null) return this.running;
    this.setStatus('running');
    this.running = this.runFeed().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops after the bar being processed; start() resumes with the next one. */
  pause(): void {
    if (this.status !== 'running') return;
    this.setStatus('paused');
    this.feed?.stop();
  }

  /** Stops for good: no more bars, no more orders. */
  stop(reason?: string): void {
    if (terminal.includes(this.status)) return;
    this.setStatus('stopped', reason);
    this.feed?.stop();
    this.close();
  }

  /** The run so far, in the backtest's terms (core/backtest/run-backtest.ts shapes it for JSON). */
  output(): EngineOutput {
    return {
      equity: this.equity.subarray(0, this.bars),
      trades: this.book.trades,
      openPosition: this.book.openPosition(),
      cash: this.book.cash,
      commissions: this.book.commissions,
      rejections: this.rejections,
      ruin: this.ruin === null ? null : { bar: this.ruin.bar, equity: this.ruin.equity },
      ...(this.breakers !== null ? { breakerTrips: this.breakers.trips } : {}),
    };
  }

  /**
   * One closed bar of the bot's symbol: release the last bar's orders, let the venue fill, mark,
   * then the strategy. For a supervisor driving many bots from one feed (and one transaction per
   * bar across them, see docs/runtime.md); start() calls it for the runner's own feed.
   */
  step(bar: Bar): Promise<void> | undefined {
    if (terminal.includes(this.status)) return undefined;
    this.breakers?.open(bar.time);
    this.options.barRisk?.open(bar.time);
    // Most bars release nothing: they run synchronously, with no promise per bot per bar (a fleet
    // steps a million of them). A bar with orders to release, or a ruin to settle, goes async.
    if (this.pending !== null || this.journalFills.length > 0) return this.stepReleasing(bar);
    const batch = this.beginBatch();
    let ruin: Promise<void> | undefined;
    try {
      this.barIndex = this.bars;
      ruin = this.afterRelease(bar);
    } catch (error) {
      this.fail(error);
    } finally {
      this.endBatch(batch);
    }
    return ruin;
  }

  private async stepReleasing(bar: Bar): Promise<void> {
    const batch = this.beginBatch();
    try {
      this.barIndex = this.bars;
      if (this.pending !== null) await this.release(bar);
      this.bookJournalFills(bar.time * 1000);
      await this.afterRelease(bar);
    } catch (error) {
      this.fail(error);
    } finally {
      this.endBatch(batch);
    }
  }

  /** The venue's turn, the mark, then the strategy's; a promise only when the account was ruined. */
  private afterRelease(bar: Bar): Promise<void> | undefined {
    this.paper?.pushBar(this.symbol, bar);
    this.lastBar = bar;
    const i = this.live.push(bar);
    this.bars = i + 1;
    if (this.bars > this.equity.length) this.equity = grown(this.equity);
    this.portfolio.mark(this.symbol, bar.close, bar.time * 1000);
    const equity = this.book.equity(bar.close);
    this.equity[i] = equity;
    if (this.breakers !== null) {
      this.breakers.trades(this.book.trades);
      this.breakers.close(bar, i, equity);
    }
    const barRisk = this.options.barRisk;
    if (barRisk !== undefined) {
      barRisk.trades(this.book.trades);
      barRisk.close(bar, equity);
    }
    if (this.has('equity')) this.emit('equity', { bar: i, time: bar.time, equity, cash: this.book.cash });
    if (equity <= 0) return this.ruinAt(bar, i, equity).catch((error: unknown) => this.fail(error));
    const ctx = this.decide(i, bar);
    if (ctx.commands.length > 0) this.pending = { commands: ctx.take(), time: bar.time };
    return undefined;
  }

  /** The strategy's turn on bar i, seeing the account as it is: its commands are left in the context. */
  private decide(i: number, bar: Bar): LiveContext<StrategyParams, unknown> {
    const ctx = this.ctx;
    ctx.indicators = this.live.indicators;
    ctx.position = this.book.quantity;
    ctx.cash = this.book.cash;
    ctx.mark = bar.close;
    this.live.onBar(i, ctx);
    return ctx;
  }

  /**
   * A bar from before the bot joined its market (stored history), before the first step(): the
   * strategy and its indicators take it, but whatever it orders is dropped and nothing is filled,
   * booked or judged. A bot on a real venue warms up this way instead of replaying: a signal from a
   * bar that closed before it started is already in the past, and must not become an order now.
   */
  warm(bar: Bar): void {
    if (terminal.includes(this.status) || (this.lastBar !== null && bar.time <= this.lastBar.time)) return;
    const i = this.live.push(bar);
    this.bars = i + 1;
    if (this.bars > this.equity.length) this.equity = grown(this.equity);
    this.equity[i] = this.book.equity(bar.close);
    this.lastBar = bar;
    this.decide(i, bar).take();
  }

  /**
   * After the last bar: with `closeAtEnd`, the position is closed at the last close (as a backtest
   * does). Commands given on the last bar are dropped: there is no next bar to fill them.
   */
  async finish(): Promise<void> {
    if (terminal.includes(this.status)) return;
    const batch = this.beginBatch();
    try {
      this.pending = null;
      const bar = this.lastBar;
      if (this.money.closeAtEnd && bar !== null && this.book.lots !== 0) {
        await this.closeAtLastClose(bar, 'end');
        this.equity[this.bars - 1] = this.book.equity(bar.close);
      }
    } catch (error) {
      this.fail(error);
      return;
    } finally {
      this.endBatch(batch);
    }
    this.setStatus('finished');
    this.emit('finished', { status: this.status, output: this.output() });
    this.close();
  }

  private async runFeed(): Promise<RunnerStatus> {
    const feed = this.options.feed ?? this.replay();
    this.feed = feed;
    const unsubscribe = feed.onBar((update) =>
      update.symbol === this.symbol && this.status === 'running' ? this.step(update.bar) : undefined,
    );
    try {
      const result = await feed.run();
      if (this.status === 'running' && !result.stopped) await this.finish();
    } catch (error) {
      this.fail(error);
    } finally {
      unsubscribe();
      this.feed = null;
    }
    return this.status;
  }

  /** A replay of the runner's candles after the last bar it took (all of them the first time). */
  private replay(): ReplayFeed {
    const candles = this.options.candles!;
    return new ReplayFeed([{ symbol: this.symbol, timeframe: this.timeframe, candles }], {
      speed: this.options.speed ?? 'max',
      startAfter: this.lastBar?.time,
      ...(this.options.sleep !== undefined ? { sleep: this.options.sleep } : {}),
    });
  }

  /** The commands of the last closed bar become orders, sized at this bar's open (rule 1 above). */
  private async release(bar: Bar): Promise<void> {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    const { lotSize, fees, sizing, slippage } = this.money;
    // What the account will be once the orders sent so far fill at this open: the next order's sizing.
    let cash = this.book.cash;
    let lots = this.book.lots;
    const { commands, time } = pending;
    for (let k = 0; k < commands.length; k++) {
      const command = commands[k]!;
      const key = `${this.botId}:${time}:${k}`;
      if (command.kind === 'cancelAll') {
        for (const id of this.restingEntries) await this.router.cancel(id);
        this.restingEntries.clear();
        continue;
      }
      if (command.kind === 'close') {
        if (lots === 0) continue;
        const exit: Direction = lots > 0 ? -1 : 1;
        const price = slippedPrice(bar.open, exit, slippage);
        await this.cancelBracket();
        const quantity = quantityOf(Math.abs(lots), lotSize);
        if (isRouted(await this.route(`${key}:x`, exit, 'market', quantity, undefined, 'close'))) {
          cash = cashAfterFill(cash, exit, quantity, price, feeFor(quantity * price, fees));
          lots = 0;
        }
        continue;
      }
      const direction: Direction = command.kind === 'buy' ? 1 : -1;
      const request = command.request;
      const type = request?.type ?? 'market';
      // A resting entry fills later at its own price: it is sized there, as a venue needs a quantity now.
      const price = type === 'market' ? slippedPrice(bar.open, direction, slippage) : request!.price!;
      if (type === 'market' && lots * direction < 0) {
        await this.cancelBracket();
        const quantity = quantityOf(Math.abs(lots), lotSize);
        if (isRouted(await this.route(`${key}:c`, direction, 'market', quantity, undefined, 'close'))) {
          cash = cashAfterFill(cash, direction, quantity, price, feeFor(quantity * price, fees));
          lots = 0;
        }
      }
      const held = quantityOf(lots, lotSize);
      const stopLoss = stopLossLevel(price, direction, request);
      const account: AccountView = {
        equity: equityAt(cash, held, price),
        available: availableAt(cash, held, price),
      };
      const requested = request?.quantity ?? Number.NaN;
      // With a reinvestment policy, the backtest's sizer (one code path, so the fills match).
      const entryLots =
        this.sizer === null
          ? sizeLots(sizing, requested, price, stopLoss, account.equity, account.available, lotSize, fees)
          : this.sizer.lots(requested, price, cash, lots === 0, account.available, lotSize, fees);
      const sized: SizedOrder = {
        direction,
        requestedQuantity: request?.quantity ?? Number.NaN,
        lots: entryLots,
        price,
        stopLoss,
      };
      const decision = this.risk.check(sized, account);
      const quantity = quantityOf(entryLots, lotSize);
      if (!decision.accepted) {
        this.rejections[decision.code]++;
        // Nothing to journal for zero lots (an intent has a quantity); a sized refusal is journaled as denied.
        if (entryLots >= 1)
          await this.route(
            `${key}:e`,
            direction,
            type,
            quantity,
            priceOf(type, price),
            'entry',
            decision.reason,
          );
        continue;
      }
      const routed = await this.route(`${key}:e`, direction, type, quantity, priceOf(type, price), 'entry');
      if (!isRouted(routed)) continue;
      if (type !== 'market') {
        this.restingEntries.add(routed.order.intent.clientOrderId);
        continue;
      }
      cash = cashAfterFill(cash, direction, quantity, price, feeFor(quantity * price, fees));
      lots += direction * entryLots;
      const takeProfit = takeProfitLevel(price, direction, request);
      if (!Number.isNaN(stopLoss) || !Number.isNaN(takeProfit)) {
        await this.cancelBracket();
        const exit: Direction = lots > 0 ? -1 : 1;
        const size = quantityOf(Math.abs(lots), lotSize);
        if (!Number.isNaN(stopLoss)) {
          const result = await this.route(`${key}:sl`, exit, 'stop', size, stopLoss, 'stop-loss');
          if (isRouted(result)) this.bracket.stopLoss = result.order.intent.clientOrderId;
        }
        if (!Number.isNaN(takeProfit)) {
          const result = await this.route(`${key}:tp`, exit, 'limit', size, takeProfit, 'take-profit');
          if (isRouted(result)) this.bracket.takeProfit = result.order.intent.clientOrderId;
        }
      }
    }
  }

  /** One order through the router, remembered by role; on resume, one lost with the old simulator is sent again. */
  private async route(
    signalKey: string,
    direction: Direction,
    type: OrderType,
    quantity: number,
    price: number | undefined,
    role: OrderRole,
    denial: string | null = null,
  ): Promise<RouteResult> {
    this.denial = denial;
    this.routingRole = role;
    let result: RouteResult;
    try {
      result = await this.router.submit({
        symbol: this.symbol,
        side: direction > 0 ? 'buy' : 'sell',
        type,
        quantity,
        price,
        signalKey,
      });
    } finally {
      this.denial = null;
    }
    if ('order' in result) {
      this.roles.set(result.order.intent.clientOrderId, role);
      // Only a simulator forgets an order with the process; a real venue's is settled by reconciliation.
      if (result.status === 'already_sent' && this.resuming && this.paper !== null)
        await this.resendIfLost(result.order);
      this.emit('order', { order: result.order });
    }
    return result;
  }

  /**
   * An event of one of this bot's orders that reconciliation found rather than heard (a fill whose
   * execution event never came, a cancel while disconnected): journaled through the router, then
   * booked as a heard one is, so the bot's account and sizing know it at once.
   */
  record(clientOrderId: ClientOrderId, event: OrderEvent, eventId?: string): AppendResult {
    const result = this.router.record(clientOrderId, event, eventId);
    const order = this.options.journal.get(clientOrderId);
    if (!result.recorded || order === undefined) return result;
    if (event.kind === 'fill') {
      const { tradeId, quantity, price, fee, time } = event;
      this.bookFill(clientOrderId, order.intent.side, { tradeId, quantity, price, fee, time });
    }
    if (this.has('order')) this.emit('order', { order });
    return result;
  }

  /** The router's pre-trade seat: the backtest risk engine's refusal, then ruin. */
  private checkSeat(): string | null {
    if (this.denial !== null) return this.denial;
    if (!this.portfolio.canOpen && !closingRoles.includes(this.routingRole))
      return 'account ruined: equity reached zero, nothing new may be opened';
    return null;
  }

  /** A paper order the journal holds as sent but the new simulator never saw: hand it over again. */
  private async resendIfLost(order: Order): Promise<void> {
    const id = order.intent.clientOrderId;
    const open =
      order.status === 'INITIALIZED' || order.status === 'SUBMITTED' || order.status === 'ACCEPTED';
    if (!open || order.fills.length > 0 || (await this.venue.order(id)) !== null) return;
    if (order.status === 'INITIALIZED') this.router.record(id, { kind: 'submitted' });
    const { intent } = order;
    await this.venue.submit({
      clientOrderId: id,
      symbol: intent.symbol,
      side: intent.side,
      type: intent.type,
      quantity: order.quantity,
      price: order.price,
      timeInForce: intent.timeInForce,
    });
  }

  private async cancelBracket(): Promise<void> {
    const { stopLoss, takeProfit } = this.bracket;
    this.bracket = {};
    if (stopLoss !== undefined) await this.router.cancel(stopLoss);
    if (takeProfit !== undefined) await this.router.cancel(takeProfit);
  }

  /**
   * Resuming without replaying (a live feed): every fill the journal holds is booked now, so the
   * account and the next sizing are right before the next bar arrives, not after it.
   */
  bookJournal(): void {
    this.bookJournalFills(Number.POSITIVE_INFINITY);
  }

  /** Resuming: the fills the journal already holds, booked when their bar comes again. */
  private bookJournalFills(untilMs: number): void {
    const fills = this.journalFills;
    let k = 0;
    while (k < fills.length && fills[k]!.fill.time <= untilMs) {
      const { clientOrderId, fill } = fills[k]!;
      const { intent } = this.options.journal.get(clientOrderId)!;
      this.portfolio.applyFill({
        symbol: intent.symbol,
        side: intent.side,
        quantity: fill.quantity,
        price: fill.price,
        fee: fill.fee,
        time: fill.time,
      });
      this.bookFill(clientOrderId, intent.side, fill);
      k++;
    }
    if (k > 0) this.journalFills = fills.slice(k);
  }

  private onVenueEvent(event: VenueEvent): void {
    if (event.type !== 'order') return;
    const order = this.options.journal.get(event.clientOrderId);
    if (order === undefined || order.intent.owner !== this.botId) return;
    if (event.event.kind === 'fill') {
      const { tradeId, quantity, price, fee, time } = event.event;
      this.bookFill(event.clientOrderId, order.intent.side, { tradeId, quantity, price, fee, time });
    }
    if (this.has('order')) this.emit('order', { order });
  }

  /** A fill in the trade ledger, in the backtest's terms; a bracket leg that fills cancels the other. */
  private bookFill(clientOrderId: ClientOrderId, side: Side, fill: Fill): void {
    const role = this.roles.get(clientOrderId) ?? 'entry';
    const direction: Direction = side === 'buy' ? 1 : -1;
    const lots = lotsIn(fill.quantity, this.money.lotSize);
    this.book.applyFill(direction, lots, fill.price, fill.fee, this.barIndex, exitReason(role));
    this.restingEntries.delete(clientOrderId);
    if (role === 'stop-loss' || role === 'take-profit') {
      const other = role === 'stop-loss' ? this.bracket.takeProfit : this.bracket.stopLoss;
      this.bracket = {};
      // The venue's cancel runs to its end before the bar's next order is looked at.
      if (other !== undefined) void this.router.cancel(other);
    }
    if (this.has('fill'))
      this.emit('fill', { ...fill, clientOrderId, symbol: this.symbol, side, role, bar: this.barIndex });
    if (this.has('position')) {
      const position = this.portfolio.positions().find((p) => p.symbol === this.symbol);
      if (position !== undefined) this.emit('position', position);
    }
  }

  /** Equity at or below zero: the position is closed at this close and the bot stops trading. */
  private async ruinAt(bar: Bar, i: number, equity: number): Promise<void> {
    this.ruin = { bar: i, time: bar.time, equity };
    this.pending = null;
    await this.cancelBracket();
    if (this.book.lots !== 0) await this.closeAtLastClose(bar, 'ruin');
    this.equity[i] = this.book.equity(bar.close);
    this.setStatus('ruined', `equity reached ${equity.toFixed(2)} at bar ${i}`);
    this.emit('ruined', this.ruin);
    this.emit('finished', { status: this.status, output: this.output() });
    this.feed?.stop();
    this.close();
  }

  /**
   * The kill switch's and ruin's closing orders on a paper venue fill at the last close (it has no
   * market between bars); a real venue fills them itself.
   */
  fillAtClose(): void {
    this.paper?.fillAtClose(this.symbol);
  }

  /** A market order closing the position, filled by the simulator at the last close. */
  private async closeAtLastClose(bar: Bar, role: 'end' | 'ruin'): Promise<void> {
    const exit: Direction = this.book.lots > 0 ? -1 : 1;
    const quantity = quantityOf(Math.abs(this.book.lots), this.money.lotSize);
    const result = await this.route(
      `${this.botId}:${bar.time}:${role}`,
      exit,
      'market',
      quantity,
      undefined,
      role,
    );
    if (result.status === 'sent' || (result.status === 'already_sent' && result.order.fills.length === 0))
      this.fillAtClose();
    else if (result.status === 'already_sent') this.bookJournalFills(Number.POSITIVE_INFINITY);
  }

  private fail(error: unknown): void {
    const failure = error instanceof Error ? error : new Error(String(error));
    this.error = failure;
    this.setStatus('failed', failure.message);
    this.emit('error', { error: failure, message: failure.message });
    this.feed?.stop();
    this.close();
  }

  private close(): void {
    this.unsubscribe();
    this.router.close();
  }

  private beginBatch(): boolean {
    const db = this.options.database;
    if (this.options.batch !== 'bar' || db === undefined || db.inTransaction) return false;
    db.exec('BEGIN');
    return true;
  }

  private endBatch(began: boolean): void {
    if (began) this.options.database!.exec('COMMIT');
  }

  private setStatus(status: RunnerStatus, reason?: string): void {
    this.status = status;
    this.emit('status', { status, reason });
  }

  private has(event: keyof RunnerEvents): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  private emit<K extends keyof RunnerEvents>(event: K, payload: RunnerEvents[K]): void {
    const set = this.listeners.get(event);
    if (set === undefined) return;
    for (const listener of set) (listener as Listener<K>)(payload);
  }
}

const emptyBars = { open: [], high: [], low: [], close: [] };

function isRouted(result: RouteResult): result is Extract<RouteResult, { status: 'sent' | 'already_sent' }> {
  return result.status === 'sent' || result.status === 'already_sent';
}

function priceOf(type: OrderType, price: number): number | undefined {
  return type === 'market' ? undefined : price;
}

function exitReason(role: OrderRole): ExitReason {
  switch (role) {
    case 'stop-loss':
      return 'stop-loss';
    case 'take-profit':
      return 'take-profit';
    case 'end':
      return 'end';
    case 'ruin':
      return 'ruin';
    default:
      return 'signal';
  }
}

function grown(values: Float64Array): Float64Array {
  const next = new Float64Array(values.length * 2);
  next.set(values);
  return next;
}
