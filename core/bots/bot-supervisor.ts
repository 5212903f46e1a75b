// The bot supervisor: the one owner of every bot in a host (core/app makes it, so Electron main and
// `autobot serve` both run it). It creates bots (also from a saved backtest or optimisation), starts,
// pauses and stops them through the status table (bot-status.ts), caps running bots at the
// licence's maxInstances, runs ghosts beside their originals, and is the watchdog: a bot whose
// strategy throws ends `failed` with the error, and nothing else stops. Bots still `running` in the
// store when the host starts were running when it went away: resume() starts them again.
import { AutobotError } from '../domain/autobot-error.ts';
import {
  botDefinitionSchema,
  tradedSymbol,
  type BotDefinition,
  type BotDefinitionInput,
  type BotSource,
  type BotStatus,
  type BotSummaryJson,
  seriesOf,
} from '../contract/bots-calls.ts';
import type { EventName, EventPayload } from '../contract/calls.ts';
import type { MarketFeed } from '../feeds/market-feed.ts';
import { backtestSpecSchema } from '../backtest/spec.ts';
import { bestConfig } from '../optimize/export-best.ts';
import { ClientOrderIds } from '../orders/client-order-ids.ts';
import { OrderJournal } from '../orders/order-journal.ts';
import { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import type { Database } from '../storage/database.ts';
import { RunRepository } from '../storage/run-repository.ts';
import { findStrategy, getStrategy } from '../strategies/registry.ts';
import type { ReinvestmentSettings } from '../reinvestment/reinvestment-schema.ts';
import type { Strategy, StrategyParams } from '../strategies/strategy.ts';
import type {
  BarProgress,
  BotEngine,
  BotEngineListener,
  BotRiskHost,
  EngineEnd,
  EngineOptions,
} from './bot-engine.ts';
import {
  equityCurve,
  fillsOf,
  orderJson,
  ordersOf,
  portfolioFromJournal,
  positionsJson,
} from './bot-reports.ts';
import { canRemove, nextStatus, refusalOf, type BotAction } from './bot-status.ts';
import { botIdOfOwner, botOwner, BotStore, type BotRecord } from './bot-store.ts';
import { RunnerBotEngine } from './runner-engine.ts';
import { FeedBotEngine, type LiveFeed } from './feed-engine.ts';
import { allocateCandleColumns } from '../storage/candle-columns.ts';
import type { Bar } from '../domain/bar.ts';
import type { Instrument } from '../domain/instrument.ts';
import { barAt } from '../feeds/replay-feed.ts';
import type { Venue } from '../venues/venue.ts';
import type { ClientOrderId } from '../domain/client-order-id.ts';
import type { OrderEvent } from '../orders/order-events.ts';
import type { AppendResult } from '../orders/order-journal.ts';

export type EmitEvent = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/** A live venue lent to one bot (SupervisorOptions.liveVenue). */
export interface LiveVenue {
  venue: Venue;
  instrument: Instrument;
  release(): void;
}

/** Stored bars a live-venue bot's strategy warms up on (no orders): enough for any preset's indicators. */
const warmupBars = 1000;

export interface SupervisorOptions {
  db: Database;
  candles: Pick<CandleRepository, 'read'>;
  emit: EmitEvent;
  /** How many bots may run at once: the licence's maxInstances. */
  maxInstances: () => Promise<number>;
  /** The strategy object for a name; tests add their own (a strategy that throws). */
  strategy?: (name: string) => Strategy<StrategyParams, unknown> | undefined;
  /** Makes the engine of a bot; the runtime's StrategyRunner plugs in here. */
  engine?: (options: EngineOptions) => BotEngine;
  /**
   * The feed of a bot on a venue's live prices (`feed.kind` 'ctrader': core/app/ctrader-live-feed.ts,
   * which stores each closed bar under the bot's seriesOf); it runs on FeedBotEngine, with no
   * stored bars to catch up on. Throws when the bot cannot run.
   */
  venueFeed?: (bot: BotRecord) => LiveFeed;
  /** Quiet bars between checkpoints (bot-engine.ts). */
  checkpointEvery?: number;
  /** The live feed of an exchange-fed bot (core/app/live-feeds.ts); without it such bots cannot start. */
  liveFeed?: (bot: BotRecord, after: number | null) => MarketFeed;
  /**
   * Where a bot whose venue is 'live' sends its orders (core/app/bot-venues.ts): the connected
   * venue of its feed and the instrument as listed there. Throws (conflict: not connected) when it
   * cannot trade now; `release` when the bot stops using it.
   */
  liveVenue?: (bot: BotRecord) => Promise<LiveVenue>;
  /** Why this bot may not trade its live venue under the licence (real money needs live-trading), or null. */
  liveAccess?: (bot: BotRecord) => Promise<AutobotError | null>;
  /** The account's risk (core/app/account-risk.ts): every bot's orders pass it, its breakers hear every bot. */
  risk?: BotRiskHost | undefined;
  log?: (message: string, detail?: unknown) => void;
}

interface Running {
  engine: BotEngine;
  /** Ghosts attached to the engine. */
  ghosts: Set<number>;
  requested: 'pause' | 'stop' | 'close' | null;
  done: Promise<void>;
}

/** Milliseconds between two `bots.position` events of a quiet bot (a bar that traded always sends one). */
const positionEventMs = 500;

export class BotSupervisor {
  readonly journal: OrderJournal;
  private readonly options: SupervisorOptions;
  private readonly store: BotStore;
  private readonly runs: RunRepository;
  private readonly ids: ClientOrderIds;
  private readonly running = new Map<number, Running>();
  private readonly lastPositionEvent = new Map<number, number>();
  /** A quiet bar held back by the throttle, sent when its window ends (the last one is never lost). */
  private readonly trailingPosition = new Map<number, { timer: NodeJS.Timeout; progress: BarProgress }>();
  /** Bars done and the last one, per running bot, as its engine reports them (the store lags by a checkpoint). */
  private readonly progress = new Map<number, { bars: number; lastBarTime: number }>();
  /** Lifecycle calls one at a time: two starts can never both pass the instance cap. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: SupervisorOptions) {
    this.options = options;
    this.store = new BotStore(options.db);
    this.runs = new RunRepository(options.db);
    // NORMAL, not the journal's default FULL: a paper bot's venue lives in this process, so a power
    // cut loses the simulator's side too; WAL with NORMAL survives a killed app (the kill test).
    // Live venues will need FULL on their journal.
    this.journal = new OrderJournal(options.db, { durability: 'normal' });
    this.ids = ClientOrderIds.open(options.db);
  }

  // ── definitions ──────────────────────────────────────────────────────────────────────────────

  list(): BotSummaryJson[] {
    return this.store.list().map((bot) => this.summary(bot));
  }

  get(id: number): BotSummaryJson {
    return this.summary(this.require(id));
  }

  create(
    input: BotDefinitionInput,
    origin: { createdFrom?: BotSource; ghostOf?: number } = {},
  ): BotSummaryJson {
    const definition = this.check(botDefinitionSchema.parse(input));
    return this.summary(this.store.create(definition, origin));
  }

  /** "Run as paper bot": the saved run's strategy, params, costs and sizing on its stored series. */
  createFromRun(
    source: BotSource,
    options: { name?: string; barsPerSecond?: number | null } = {},
  ): BotSummaryJson {
    let spec;
    let symbol: string | null;
    let timeframe: string | null;
    let label: string;
    if (source.kind === 'backtest') {
      const found = this.runs.getBacktest(source.id);
      if (found === null) throw new AutobotError('not_found', `There is no saved backtest ${source.id}.`);
      spec = backtestSpecSchema.parse(found.result.spec);
      ({ symbol, timeframe, label } = found.summary);
    } else {
      const found = this.runs.getOptimization(source.id);
      if (found === null) throw new AutobotError('not_found', `There is no saved optimisation ${source.id}.`);
      spec = bestConfig(found.result).spec;
      ({ symbol, timeframe, label } = found.summary);
    }
    if (symbol === null || timeframe === null) {
      const message = `${source.kind} ${source.id} ran on an uploaded CSV; a bot replays stored candles — import the file first, then run the backtest on the stored series.`;
      throw new AutobotError('invalid_input', message, { issues: [{ path: 'source', message }] });
    }
    return this.create(
      {
        name: options.name ?? `${label} (paper)`.slice(0, 80),
        strategy: spec.strategy,
        params: spec.params,
        symbol,
        timeframe: timeframe as BotDefinition['timeframe'],
        venue: 'paper',
        cash: spec.cash,
        commission: spec.commission,
        fixedFee: spec.fixedFee,
        slippage: spec.slippage,
        lotSize: spec.lotSize,
        sizing: spec.sizing,
        ...(spec.reinvestment !== undefined ? { reinvestment: spec.reinvestment } : {}),
        ...(options.barsPerSecond !== undefined ? { barsPerSecond: options.barsPerSecond } : {}),
      },
      { createdFrom: source },
    );
  }

  /**
   * Sets or clears a bot's reinvestment policy. Only before its first bar: a restarted bot re-derives
   * its journaled orders from the first bar, and they must come out the size they were sent at.
   */
  setReinvestment(id: number, reinvestment: ReinvestmentSettings | null): BotSummaryJson {
    const bot = this.require(id);
    if (bot.bars > 0 || bot.status === 'running') {
      const message = `Bot ${id} has already run ${bot.bars} bars: its orders were sized without this policy. Duplicate it with the policy instead (a new bot starts from the beginning).`;
      throw new AutobotError('conflict', message, { issues: [{ path: 'reinvestment', message }] });
    }
    const { reinvestment: _previous, ...rest } = bot.definition;
    const definition = botDefinitionSchema.parse(reinvestment === null ? rest : { ...rest, reinvestment });
    this.store.setDefinition(id, definition);
    return this.get(id);
  }

  duplicate(id: number, overrides: Partial<BotDefinitionInput>): BotSummaryJson {
    const bot = this.require(id);
    const name = overrides.name ?? `${bot.name} (copy)`.slice(0, 80);
    return this.create(
      { ...bot.definition, ...overrides, name },
      bot.createdFrom ? { createdFrom: bot.createdFrom } : {},
    );
  }

  /**
   * A paper shadow of `id`: the same strategy, bars and signals on its own account (its costs and
   * sizing may differ). It starts from the bar its original is at, and runs whenever it does.
   */
  ghost(id: number, overrides: Partial<BotDefinitionInput>): Promise<BotSummaryJson> {
    return this.exclusive(async () => {
      const original = this.require(id);
      const live = this.running.get(id)?.engine.lastBarTime(id) ?? null;
      if (original.ghostOf !== null) {
        throw new AutobotError(
          'conflict',
          `Bot ${id} is itself a ghost: shadow its original, bot ${original.ghostOf}.`,
        );
      }
      const definition = this.check(
        botDefinitionSchema.parse({
          ...original.definition,
          ...overrides,
          name: overrides.name ?? `${original.name} (ghost)`.slice(0, 80),
          startAfter: live ?? original.lastBarTime ?? original.definition.startAfter,
          // A ghost shadows on paper, whatever its original trades on.
          venue: 'paper',
        }),
      );
      const ghost = this.store.create(definition, { ghostOf: id });
      const run = this.running.get(id);
      if (run !== undefined) this.attach(run, ghost);
      return this.summary(this.store.get(ghost.id)!);
    });
  }

  remove(id: number): Promise<boolean> {
    return this.exclusive(async () => {
      const bot = this.store.get(id);
      if (bot === null) return false;
      if (!canRemove(bot.status)) {
        throw new AutobotError('conflict', `Bot ${id} is running: stop it before removing it.`);
      }
      for (const ghost of this.store.ghostsOf(id)) {
        if (ghost.status === 'running')
          this.store.setStatus(ghost.id, 'stopped', `its original, bot ${id}, was removed`);
      }
      return this.store.remove(id);
    });
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────────

  start(id: number): Promise<BotSummaryJson> {
    return this.exclusive(async () => {
      const bot = this.require(id);
      this.transition(bot, 'start');
      if (bot.ghostOf !== null) {
        const run = this.running.get(bot.ghostOf);
        if (run === undefined) {
          throw new AutobotError('conflict', `A ghost runs with its original: start bot ${bot.ghostOf}.`);
        }
        this.attach(run, bot);
        return this.get(id);
      }
      await this.checkCap();
      await this.launch(bot);
      return this.get(id);
    });
  }

  pause(id: number): Promise<BotSummaryJson> {
    return this.halt(id, 'pause');
  }

  stop(id: number): Promise<BotSummaryJson> {
    return this.halt(id, 'stop');
  }

  /** At host start: every bot still `running` in the store carries on where its checkpoint says. */
  resume(): Promise<number[]> {
    return this.exclusive(async () => {
      const resumed: number[] = [];
      const max = await this.options.maxInstances();
      for (const bot of this.store.list()) {
        if (bot.status !== 'running' || bot.ghostOf !== null) continue;
        if (this.running.size >= max) {
          this.setStatus(
            bot.id,
            'paused',
            `not resumed: the licence allows ${max} running bot${max === 1 ? '' : 's'}`,
          );
          continue;
        }
        try {
          await this.launch(bot);
          resumed.push(bot.id);
        } catch (error) {
          // A live feed whose venue is not connected yet is waiting, not broken: start it later.
          const waiting = error instanceof AutobotError && error.code === 'conflict';
          this.setStatus(
            bot.id,
            waiting ? 'paused' : 'failed',
            `${waiting ? 'not resumed' : 'could not resume'}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      return resumed;
    });
  }

  /** Halts every engine and waits for them; statuses stay as they are, so the next start resumes them. */
  async close(): Promise<void> {
    this.closed = true;
    const runs = [...this.running.values()];
    for (const run of runs) {
      run.requested = 'close';
      run.engine.halt();
    }
    await Promise.all(runs.map((run) => run.done));
  }

  /**
   * For a host closing synchronously: halts every engine at its next step and writes nothing more.
   * Their statuses stay `running`, so the next start resumes them from their checkpoints — as after
   * a crash, which the journal and the signal keys make safe.
   */
  closeNow(): void {
    this.closed = true;
    for (const run of this.running.values()) {
      run.requested = 'close';
      run.engine.halt();
    }
  }

  /**
   * An event reconciliation found for an order in the journal (core/app/bot-venues.ts): through the
   * runner of the bot that owns it while it runs, so its account books it at once; else straight
   * into the journal, where the bot's account is rebuilt from when it starts.
   */
  record(clientOrderId: ClientOrderId, event: OrderEvent, eventId?: string): AppendResult {
    const owner = this.journal.get(clientOrderId)?.intent.owner;
    const botId = owner === undefined ? null : botIdOfOwner(owner);
    if (botId !== null) {
      const bot = this.store.get(botId);
      const run = bot === null ? undefined : this.running.get(bot.ghostOf ?? bot.id);
      const result = run?.engine.record?.(botId, clientOrderId, event, eventId) ?? null;
      if (result !== null) return result;
    }
    return this.journal.append(clientOrderId, event, eventId);
  }

  /** Resolves once bot `id` is not running (its replay ended, it failed or was halted). */
  async settled(id: number): Promise<void> {
    await this.running.get(id)?.done;
  }

  // ── reports ──────────────────────────────────────────────────────────────────────────────────

  orders(id: number) {
    this.require(id);
    return ordersOf(this.journal, botOwner(id)).reverse().map(orderJson);
  }

  fills(id: number) {
    this.require(id);
    return fillsOf(this.journal, botOwner(id)).reverse();
  }

  positions(id: number) {
    return positionsJson(this.account(this.require(id)));
  }

  equity(id: number, points: number): { time: number[]; equity: number[] } {
    const bot = this.require(id);
    const { timeframe, cash, startAfter } = bot.definition;
    const to = this.lastBar(bot);
    if (to === null) return { time: [], equity: [] };
    const candles = this.options.candles.read(seriesOf(bot.definition), timeframe, 0, to);
    const from = bot.ghostOf !== null ? startAfter : (startAfter ?? null);
    const fills = fillsOf(this.journal, botOwner(id));
    return equityCurve(fills, candles, tradedSymbol(bot.definition), cash, from, to, points);
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────────

  private async launch(bot: BotRecord): Promise<void> {
    const { definition } = bot;
    if (definition.venue === 'live') return this.launchLive(bot);
    const live = definition.feed.kind === 'ctrader' ? this.venueFeed(bot) : null;
    const exchangeFeed = definition.feed.kind === 'exchange' ? this.options.liveFeed : undefined;
    if (definition.feed.kind === 'exchange' && exchangeFeed === undefined)
      throw new AutobotError('invalid_input', 'This host has no live feeds: the bot cannot start.');
    const candles =
      live !== null
        ? allocateCandleColumns(0)
        : this.options.candles.read(definition.symbol, definition.timeframe);
    // An exchange-fed bot may start with nothing stored: its bars come from the exchange.
    if (live === null && exchangeFeed === undefined && candles.time.length === 0) {
      throw new AutobotError(
        'not_found',
        `No candles are stored for ${definition.symbol} ${definition.timeframe}: import them before starting the bot.`,
      );
    }
    const ghosts = this.ghostsOf(bot);
    const engineOptions: EngineOptions = {
      ...this.engineOptions(bot, ghosts),
      candles,
      ...(exchangeFeed !== undefined ? { liveFeed: (after: number | null) => exchangeFeed(bot, after) } : {}),
      ...(this.options.checkpointEvery !== undefined
        ? { checkpointEvery: this.options.checkpointEvery }
        : {}),
    };
    const engine =
      live !== null
        ? new FeedBotEngine({ ...engineOptions, ...live })
        : (this.options.engine ?? ((o) => new RunnerBotEngine(o)))(engineOptions);
    this.run(bot, engine, ghosts);
  }

  /**
   * A bot whose orders go to a real venue: the licence first, then the venue (connected, listing the
   * symbol at a step the bot's lot is made of), then the feed. It runs on FeedBotEngine from the next
   * bar that closes, its strategy warmed up on the stored bars before it; its ghosts stay on paper.
   */
  private async launchLive(bot: BotRecord): Promise<void> {
    const { definition } = bot;
    const refusal = (await this.options.liveAccess?.(bot)) ?? null;
    if (refusal !== null) throw refusal;
    if (this.options.liveVenue === undefined)
      throw new AutobotError('conflict', `This host has no live venues: bot ${bot.id} cannot start.`);
    const lent = await this.options.liveVenue(bot);
    let started = false;
    try {
      const { instrument } = lent;
      // The venue fills whole steps (the router rounds each order down to one): the bot's lots must
      // be made of steps, or its steps of lots (a lot of 1 unit where the broker's step is 1,000).
      const whole = (x: number) => Math.abs(x - Math.round(x)) < 1e-9 && Math.round(x) >= 1;
      const step = instrument.quantityStep;
      if (!whole(definition.lotSize / step) && !whole(step / definition.lotSize)) {
        const message = `lotSize ${definition.lotSize} and ${lent.venue.id}'s quantity step for ${instrument.symbol} (${step}) must divide one another`;
        throw new AutobotError('invalid_input', message, { issues: [{ path: 'lotSize', message }] });
      }
      const feed = this.liveFeedOf(bot);
      // The closed bars its feed stored before (an exchange's or a cTrader session's series) warm it up.
      const stored = this.options.candles.read(seriesOf(definition), definition.timeframe);
      const from = Math.max(0, stored.time.length - warmupBars);
      const warmup: Bar[] = [];
      for (let i = from; i < stored.time.length; i++) warmup.push(barAt(stored, i));
      const ghosts = this.ghostsOf(bot);
      const engine = new FeedBotEngine({
        ...this.engineOptions(bot, ghosts),
        feed: feed.feed,
        priceDecimals: feed.priceDecimals ?? instrument.priceDecimals,
        orders: { venue: lent.venue, instrument },
        warmup,
      });
      // A real venue's orders outlive the process and a power cut: the journal's commits go to disk
      // before they are acknowledged (FULL), not just to the WAL (the paper bots' NORMAL).
      this.options.db.pragma('synchronous = FULL');
      this.run(bot, engine, ghosts, () => lent.release());
      started = true;
    } finally {
      if (!started) lent.release();
    }
  }

  /** The bars of a live-venue bot: its cTrader session's spots, or its exchange's closed bars from now on. */
  private liveFeedOf(bot: BotRecord): { feed: LiveFeed['feed']; priceDecimals?: number } {
    if (bot.definition.feed.kind === 'ctrader') return this.venueFeed(bot);
    if (this.options.liveFeed === undefined)
      throw new AutobotError('invalid_input', 'This host has no live feeds: the bot cannot start.');
    // `null`: from the first bar that closes after the start; bars missed while it was away are the past.
    return { feed: this.options.liveFeed(bot, null) };
  }

  /** The ghosts that run with a bot: those not stopped or failed. */
  private ghostsOf(bot: BotRecord): BotRecord[] {
    return this.store.ghostsOf(bot.id).filter((g) => g.status !== 'stopped' && g.status !== 'failed');
  }

  private engineOptions(bot: BotRecord, ghosts: BotRecord[]): Omit<EngineOptions, 'candles'> {
    const strategy = this.strategyObject(bot.definition.strategy);
    return {
      bot,
      ghosts,
      strategy,
      params: strategy.paramsSchema.parse(bot.definition.params),
      db: this.options.db,
      journal: this.journal,
      ids: this.ids,
      store: this.store,
      listener: this.listener(),
      risk: this.options.risk,
    };
  }

  private run(bot: BotRecord, engine: BotEngine, ghosts: BotRecord[], release?: () => void): void {
    this.progress.delete(bot.id);
    for (const ghost of ghosts) this.progress.delete(ghost.id);
    const run: Running = {
      engine,
      ghosts: new Set(ghosts.map((g) => g.id)),
      requested: null,
      done: Promise.resolve(),
    };
    this.running.set(bot.id, run);
    if (bot.status !== 'running') this.setStatus(bot.id, 'running', null);
    for (const ghost of ghosts) if (ghost.status !== 'running') this.setStatus(ghost.id, 'running', null);
    run.done = engine
      .run()
      .then(
        (end) => this.ended(bot.id, run, end),
        (error: unknown) => this.ended(bot.id, run, { kind: 'failed', error: String(error) }),
      )
      .finally(() => release?.());
  }

  private async ended(id: number, run: Running, end: EngineEnd): Promise<void> {
    try {
      if (run.requested === 'stop') await run.engine.cancelWorking();
    } finally {
      run.engine.close();
      this.running.delete(id);
    }
    if (run.requested === 'close') return;
    let status: BotStatus;
    let message: string | null = null;
    let ghostMessage: string | null = null;
    if (end.kind === 'failed') {
      status = 'failed';
      message = end.error;
      ghostMessage = `stopped with its original, bot ${id}, whose strategy failed`;
      this.options.log?.(`bot ${id} failed`, end.error);
    } else if (end.kind === 'finished') {
      status = 'stopped';
      const last = this.store.get(id)?.lastBarTime;
      message =
        end.message ??
        `The replay reached the last stored bar${last ? ` (${new Date(last * 1000).toISOString()})` : ''}.`;
      ghostMessage = message;
    } else {
      status = run.requested === 'pause' ? 'paused' : 'stopped';
    }
    this.setStatus(id, status, message);
    const ghostStatus = status === 'failed' ? 'stopped' : status;
    for (const ghostId of run.ghosts) {
      if (this.store.get(ghostId)?.status === 'running') this.setStatus(ghostId, ghostStatus, ghostMessage);
    }
  }

  private halt(id: number, action: 'pause' | 'stop'): Promise<BotSummaryJson> {
    return this.exclusive(async () => {
      const bot = this.require(id);
      this.transition(bot, action);
      if (bot.ghostOf !== null) {
        const run = this.running.get(bot.ghostOf);
        if (run !== undefined && run.ghosts.has(id)) {
          run.engine.detach(id);
          run.ghosts.delete(id);
        }
        if (action === 'stop') this.cancelJournaled(bot);
        this.setStatus(id, action === 'pause' ? 'paused' : 'stopped', null);
        return this.get(id);
      }
      const run = this.running.get(id);
      if (run === undefined) {
        // Paused or failed: nothing runs; a stop withdraws what it left working.
        if (action === 'stop') this.cancelJournaled(bot);
        this.setStatus(id, action === 'pause' ? 'paused' : 'stopped', null);
        return this.get(id);
      }
      run.requested = action;
      run.engine.halt();
      await run.done;
      return this.get(id);
    });
  }

  /** The simulator that held a stopped bot's working orders is gone: the journal says they are withdrawn. */
  private cancelJournaled(bot: BotRecord): void {
    const owner = botOwner(bot.id);
    for (const order of this.journal.openOrders()) {
      if (order.intent.owner !== owner) continue;
      const id = order.intent.clientOrderId;
      if (order.status === 'INITIALIZED') this.journal.append(id, { kind: 'submitted' });
      this.journal.append(id, { kind: 'cancel_requested' });
      this.journal.append(id, { kind: 'canceled' });
    }
  }

  private attach(run: Running, ghost: BotRecord): void {
    run.engine.attach(ghost);
    run.ghosts.add(ghost.id);
    this.setStatus(ghost.id, 'running', null);
  }

  private async checkCap(): Promise<void> {
    const max = await this.options.maxInstances();
    if (this.running.size >= max) {
      const running = this.running.size;
      throw new AutobotError(
        'instance_limit',
        max === 0
          ? 'Bots need a licence or the running trial: this one allows no running bots (maxInstances 0).'
          : `The licence allows ${max} running bot${max === 1 ? '' : 's'} at once (maxInstances ${max}) and ${running} ${running === 1 ? 'is' : 'are'} running: stop one first, or install a licence with more.`,
        { detail: { maxInstances: max, running } },
      );
    }
  }

  private transition(bot: BotRecord, action: BotAction): void {
    if (nextStatus(bot.status, action) === null) {
      throw new AutobotError('conflict', `Bot ${bot.id} is ${bot.status}: ${refusalOf(bot.status, action)}.`);
    }
  }

  private setStatus(id: number, status: BotStatus, message: string | null): void {
    this.store.setStatus(id, status, message);
    if (!this.closed) this.options.emit('bots.status', { id, status, message });
  }

  private listener(): BotEngineListener {
    const emit = this.options.emit;
    return {
      order: (id, order) => emit('bots.order', { id, order: orderJson(order) }),
      fill: (id, order, fill) =>
        emit('bots.fill', {
          id,
          fill: {
            clientOrderId: order.intent.clientOrderId,
            tradeId: fill.tradeId,
            symbol: order.intent.symbol,
            side: order.intent.side,
            quantity: fill.quantity,
            price: fill.price,
            fee: fill.fee,
            time: fill.time,
          },
        }),
      bar: (id, progress) => {
        this.progress.set(id, { bars: progress.bars, lastBarTime: progress.lastBarTime });
        const send = (p: BarProgress) => {
          this.lastPositionEvent.set(id, Date.now());
          if (this.closed) return;
          emit('bots.position', {
            id,
            positions: positionsJson(p.portfolio),
            equity: p.portfolio.equity,
            bars: p.bars,
            lastBarTime: p.lastBarTime,
          });
        };
        const wait = positionEventMs - (Date.now() - (this.lastPositionEvent.get(id) ?? 0));
        const trailing = this.trailingPosition.get(id);
        if (!progress.traded && wait > 0) {
          // A live feed can go quiet for a whole bar after this one: it goes out when the window ends.
          if (trailing !== undefined) trailing.progress = progress;
          else {
            const timer = setTimeout(() => {
              const held = this.trailingPosition.get(id);
              this.trailingPosition.delete(id);
              if (held !== undefined) send(held.progress);
            }, wait);
            timer.unref();
            this.trailingPosition.set(id, { timer, progress });
          }
          return;
        }
        if (trailing !== undefined) {
          clearTimeout(trailing.timer);
          this.trailingPosition.delete(id);
        }
        send(progress);
      },
    };
  }

  private venueFeed(bot: BotRecord): LiveFeed {
    if (this.options.venueFeed === undefined)
      throw new AutobotError('conflict', `This host has no live feed for bot ${bot.id}.`);
    return this.options.venueFeed(bot);
  }

  private strategyObject(name: string): Strategy<StrategyParams, unknown> {
    const strategy = this.options.strategy?.(name) ?? findStrategy(name)?.strategy;
    if (strategy === undefined) {
      const message = `strategy "${name}" cannot run as a bot`;
      throw new AutobotError('invalid_input', message, { issues: [{ path: 'strategy', message }] });
    }
    return strategy;
  }

  /** Refuses a definition whose strategy or params the strategy would refuse, naming the field. */
  private check(definition: BotDefinition): BotDefinition {
    if (this.options.strategy?.(definition.strategy) === undefined) {
      getStrategy(definition.strategy).prepare(definition.params);
    }
    return definition;
  }

  private require(id: number): BotRecord {
    const bot = this.store.get(id);
    if (bot === null) throw new AutobotError('not_found', `There is no bot ${id}.`);
    return bot;
  }

  /** The bot's account: live while it runs, else its journaled fills marked at its last bar. */
  private account(bot: BotRecord): AccountPortfolio {
    const owner = this.running.get(bot.ghostOf ?? bot.id);
    const live = owner?.engine.portfolio(bot.id);
    if (live !== undefined) return live;
    const portfolio = portfolioFromJournal(this.journal, botOwner(bot.id), bot.definition.cash);
    const last = this.lastBar(bot);
    if (last !== null) {
      const close = this.closeAt(bot, last);
      if (close !== null) portfolio.mark(tradedSymbol(bot.definition), close, last * 1000);
    }
    return portfolio;
  }

  private lastBar(bot: BotRecord): number | null {
    const live = this.running.get(bot.ghostOf ?? bot.id);
    return live !== undefined ? (this.store.get(bot.id)?.lastBarTime ?? bot.lastBarTime) : bot.lastBarTime;
  }

  private closeAt(bot: BotRecord, time: number): number | null {
    const { timeframe } = bot.definition;
    const bar: CandleColumns = this.options.candles.read(seriesOf(bot.definition), timeframe, time, time);
    return bar.time.length > 0 ? bar.close[0]! : null;
  }

  private summary(bot: BotRecord): BotSummaryJson {
    const portfolio = this.account(bot);
    const equity = portfolio.equity;
    return {
      id: bot.id,
      name: bot.name,
      createdAt: bot.createdAt,
      definition: bot.definition,
      status: bot.status,
      statusAt: bot.statusAt,
      message: bot.message,
      createdFrom: bot.createdFrom,
      ghostOf: bot.ghostOf,
      ...this.barsOf(bot),
      equity,
      pnl: equity - bot.definition.cash,
      todayPnl: this.todayPnl(bot, equity),
      positions: positionsJson(portfolio),
      ruined: portfolio.status === 'ruined',
    };
  }

  /** A running bot's bars as its engine last reported them; the store's checkpoint otherwise. */
  private barsOf(bot: BotRecord): { bars: number; lastBarTime: number | null } {
    const live = this.running.has(bot.ghostOf ?? bot.id) ? this.progress.get(bot.id) : undefined;
    return live ?? { bars: bot.bars, lastBarTime: bot.lastBarTime };
  }

  /** Equity now less equity at the close before the UTC day of the bot's last bar began (the replay's "today"). */
  private todayPnl(bot: BotRecord, equity: number): number {
    const last = bot.lastBarTime;
    if (last === null) return 0;
    const dayStart = Math.floor(last / 86_400) * 86_400;
    const { timeframe, cash } = bot.definition;
    const series = seriesOf(bot.definition);
    const before = this.options.candles.read(series, timeframe, dayStart - 31 * 86_400, dayStart - 1);
    if (before.time.length === 0) return equity - cash;
    const t = before.time[before.time.length - 1]!;
    const portfolio = new AccountPortfolio(cash);
    for (const fill of fillsOf(this.journal, botOwner(bot.id)))
      if (fill.time <= t * 1000) portfolio.applyFill(fill);
    portfolio.mark(tradedSymbol(bot.definition), before.close[before.time.length - 1]!, t * 1000);
    return equity - portfolio.equity;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
