// A backtest with circuit breakers (issue #12): the strategy-object engine's path, bar by bar, with
// the account's governor — the same RiskGovernor and breakers the live order path consults — told
// what a live bot's feed would tell it. Its clock is the bar's time, so cooldowns and trading days
// pass in market time. Per bar:
//
//   1. the venue's turn: orders placed on the previous close fill at this open; each entry passes
//      the governor first (a trip in force refuses it as `trading-halted`); exits always pass;
//   2. each trade that closed is shown to the loss-streak breaker;
//   3. the bar's close: equity marked, the bar shown to the volatility breaker, the equity to the
//      daily-loss and drawdown breakers;
//   4. the strategy's onBar.
//
// Most bars change nothing in the governor: on those, step 3's calls are skipped (and step 1 too
// when nothing waits for the venue), so only the strategy and the equity mark run, as in the main
// engine loop (engine.ts). quiet-bars.ts works out, from the breakers' own state, which bars those
// are; `shortcut: false` shows every bar in full, the reference the shortcut is tested against. It
// stays a separate loop so the breakers-off path keeps every shortcut of its own, and runs the same
// execution engine, so with no trip the result is identical.
import type { Bar } from '../domain/bar.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import { ExecutionEngine } from '../execution/execution-engine.ts';
import type { SizedOrder } from '../execution/order.ts';
import { quantityOf } from '../execution/lot-size.ts';
import { equityAt, Portfolio } from '../portfolio/portfolio.ts';
import type { BreakerSettings } from '../risk/breaker-settings-schema.ts';
import { governorFromSettings } from '../risk/breaker-settings.ts';
import { nextTradingDay, parseDayStart } from '../risk/trading-day.ts';
import { defaultRiskChecks, RiskEngine, type RejectCode, type RiskCheck } from '../risk/risk-engine.ts';
import type { RiskEvent } from '../risk/breaker.ts';
import type { RiskGovernor, RiskIntent } from '../risk/risk-governor.ts';
import { closeMovePct, rangeMovePct } from '../risk/volatility-breaker.ts';
import type { Strategy, StrategyParams } from '../strategies/strategy.ts';
import { SimulatedVenue } from '../venues/simulated/simulated-venue.ts';
import { BarArrays } from './bar-arrays.ts';
import { BarContext } from './bar-context.ts';
import { finishRun, markBars, type EngineOutput, type SimulationInput } from './engine.ts';
import { reusable } from './reusable-buffer.ts';
import { progressMask } from './progress.ts';
import {
  equityHigh,
  equityLow,
  firstBarAt,
  moveLimit,
  QuietBars,
  quietFrom,
  quietTo,
  timesAscend,
} from './quiet-bars.ts';
import type { BreakerTrip } from './spec.ts';

/** Whom a backtest's orders belong to, where they go, and what they trade, as the governor sees them. */
export const backtestOwner = 'backtest';
export const backtestSymbol = 'backtest';

/**
 * The governor as one more pre-trade check. The execution engine only asks about entries (exits
 * close without a check), and an entry opens or grows a position, so it is judged as one: position 0.
 * A paper bot with breakers (core/runtime/bar-breakers.ts) puts the same check first in its risk
 * engine, so an entry is refused at the same bar with the same code.
 */
export class GovernorCheck implements RiskCheck {
  readonly name = 'circuit breakers';
  private readonly governor: RiskGovernor;
  private readonly lotSize: number;
  /** Refilled per order: the governor keeps nothing of it. */
  private readonly intent: RiskIntent = {
    owner: backtestOwner,
    venue: 'backtest',
    symbol: backtestSymbol,
    side: 'buy',
    quantity: 0,
  };

  constructor(governor: RiskGovernor, lotSize: number) {
    this.governor = governor;
    this.lotSize = lotSize;
  }

  check(order: SizedOrder): RejectCode | null {
    const intent = this.intent;
    intent.side = order.direction > 0 ? 'buy' : 'sell';
    intent.quantity = quantityOf(order.lots, this.lotSize);
    return this.governor.admit(intent, flat).accepted ? null : 'trading-halted';
  }
}

const flat = { position: 0 };

/**
 * The governor's clock in a backtest: the current bar's time. One function for every run (a run is
 * synchronous, so runs never share it at once): a clock made per run would be a new call target
 * each run for the optimised loop, which then throws its optimised code away (measured: several
 * times slower).
 */
const barClock = { now: 0 };
const readBarClock = () => barClock.now;

/**
 * The bar at `index` of the columns, as the Bar the breakers read. A view, not a copy: six double
 * fields written per bar would each allocate a number box (about half the breakers' cost per bar,
 * measured); the governor and its breakers read the bar's numbers and never keep it.
 */
class ColumnBar implements Bar {
  index = 0;
  private readonly columns: CandleColumns;

  constructor(columns: CandleColumns) {
    this.columns = columns;
  }

  get time(): number {
    return this.columns.time[this.index]!;
  }
  get open(): number {
    return this.columns.open[this.index]!;
  }
  get high(): number {
    return this.columns.high[this.index]!;
  }
  get low(): number {
    return this.columns.low[this.index]!;
  }
  get close(): number {
    return this.columns.close[this.index]!;
  }
  get volume(): number {
    return this.columns.volume[this.index]!;
  }
}

/**
 * Moves the trips just made into the result, stamped with their bar. A module function, not a
 * closure of the run: a closure would put `time` in a heap context, and the bar loop would reload
 * the column from it on every bar.
 */
function stampTrips(fresh: RiskEvent[], trips: BreakerTrip[], time: Float64Array, bar: number): void {
  for (const event of fresh) {
    trips.push({
      breaker: event.breaker,
      time: time[bar]!,
      bar,
      scope: event.scope,
      state: event.state,
      until: event.until === null ? null : event.until / 1000,
      values: event.values,
      message: event.message,
    });
  }
  fresh.length = 0;
}

/**
 * Whether the governor's calls on `bar`, a bar the venue acted on inside the bounds' time window,
 * would change nothing: the stretch loops' tests (below) for one bar. `mark` is its equity,
 * `shownEquity` the last shown.
 */
function quietBar(
  bounds: Float64Array,
  range: boolean,
  candles: CandleColumns,
  bar: number,
  mark: number,
  shownEquity: number,
): boolean {
  const { open, high, low, close } = candles;
  const previous = close[bar - 1]!;
  const move = range
    ? rangeMovePct(open[bar]!, high[bar]!, low[bar]!)
    : closeMovePct(Number.isNaN(previous) ? open[bar]! : previous, close[bar]!);
  if (!(move <= bounds[moveLimit]!)) return false;
  return mark === shownEquity || (mark >= bounds[equityLow]! && mark <= bounds[equityHigh]!);
}

export interface BreakerRunOptions {
  /**
   * Skip the governor on bars where it would change nothing (quiet-bars.ts). Off: every bar is
   * shown in full, the reference the shortcut is tested against (risk-bar-shortcut.property.test.ts).
   */
  shortcut?: boolean;
}

export function runStrategyWithBreakers<P extends StrategyParams, I>(
  strategy: Strategy<P, I>,
  params: P,
  input: SimulationInput,
  breakers: BreakerSettings,
  { shortcut = true }: BreakerRunOptions = {},
): EngineOutput {
  const { candles, config, ticker } = input;
  const n = candles.close.length;
  const { time, open, high, low, close } = candles;
  const governor = governorFromSettings(breakers, readBarClock);
  const trips: BreakerTrip[] = [];
  // Trips wait here until the loop stamps them with their bar: the listener captures no loop
  // variable, which would otherwise live in a heap context and cost on every bar.
  const fresh: RiskEvent[] = [];
  governor.onEvent((event) => {
    if (event.kind === 'trip') fresh.push(event);
  });

  const portfolio = new Portfolio(config.cash, config.lotSize);
  const venue = new SimulatedVenue(candles, config.slippage);
  const checks = defaultRiskChecks(config.lotSize, config.fees, config.sizing.mode === 'risk');
  const risk = new RiskEngine([new GovernorCheck(governor, config.lotSize), ...checks]);
  const execution = new ExecutionEngine(venue, risk, portfolio, config);
  const arrays = new BarArrays(n);
  const indicators = strategy.init({ candles, params, series: input.series, barArray: () => arrays.take() });
  const ctx = new BarContext(candles, params, indicators, execution);
  const equity = reusable(input.equityOut, n);
  const shown = new ColumnBar(candles);
  const quiet = shortcut && timesAscend(time) ? new QuietBars(governor, backtestSymbol) : null;
  const bounds = quiet?.bounds;
  const range = quiet?.range === true;
  let seenTrades = 0;
  ctx.position = quantityOf(portfolio.lots, portfolio.lotSize);
  ctx.cash = portfolio.cash;

  // Equity is shown to the breakers when it changes, and at least once per trading day: while it
  // stays put (flat, most bars) the daily-loss and drawdown breakers would only be told again what
  // they already judged, so the calls are skipped; the trading day's first equity is the same
  // either way, as it is sent on the day's first bar.
  const dayStart = parseDayStart(breakers.dailyLoss.dayStart);
  let shownEquity = Number.NaN;
  let nextDay = Number.NEGATIVE_INFINITY;

  /** The bounds of the last quiet.update() hold: the governor has changed nothing since. */
  let quietOk = false;
  /** With quietOk: the first bar at or after the bounds' end time (bars before it are inside). */
  let stopBar = 0;
  let bar = 0;
  while (bar < n) {
    // One bar with the venue's turn, if any, and the governor's calls unless they change nothing.
    if (ticker !== null && (bar & progressMask) === 0) ticker(bar);
    const now = time[bar]! * 1000;
    barClock.now = now;
    let traded = false;
    // The venue's turn, on the bars it can act on (engine.ts skips the same ones).
    if (
      !execution.idle &&
      (execution.waiting || !(low[bar]! > execution.quietLow && high[bar]! < execution.quietHigh))
    ) {
      venue.bar = bar;
      execution.onBar(bar);
      ctx.position = quantityOf(portfolio.lots, portfolio.lotSize);
      ctx.cash = portfolio.cash;
      const closed = portfolio.trades;
      traded = seenTrades < closed.length;
      for (; seenTrades < closed.length; seenTrades++)
        governor.onTrade({ owner: backtestOwner, symbol: backtestSymbol, pnl: closed[seenTrades]!.pnl });
    }
    const mark = equityAt(ctx.cash, ctx.position, close[bar]!);
    equity[bar] = mark;
    if (
      quietOk &&
      !traded &&
      bar < stopBar &&
      quiet !== null &&
      quietBar(quiet.bounds, range, candles, bar, mark, shownEquity)
    ) {
      // Most such bars are an entry refused by a trip in force: no fill, nothing for the breakers.
      quiet.calmThrough(close[bar]!);
      if (mark !== shownEquity) {
        shownEquity = mark;
        governor.onEquity(mark);
      }
    } else {
      quietOk = false;
      shown.index = bar;
      governor.onBar(backtestSymbol, shown);
      if (mark !== shownEquity || now >= nextDay) {
        shownEquity = mark;
        if (now >= nextDay) nextDay = nextTradingDay(now, dayStart);
        governor.onEquity(mark);
      }
    }
    if (fresh.length !== 0) stampTrips(fresh, trips, time, bar);
    ctx.bar = bar;
    strategy.onBar(bar, ctx);
    if (ctx.commandCount !== 0) ctx.send();
    bar++;

    // Then the bars after it that change nothing in the governor, each one's move and equity held
    // to the bounds, and no venue work (the same test as above; an order waiting needs the venue).
    if (quiet === null || bounds === undefined || execution.waiting || bar >= n) continue;
    if (!quietOk) {
      // The bar just shown in full is inside the bounds' time window, and later bars are no
      // earlier (timesAscend): the window's start holds for them all, its end is a bar index.
      quietOk = quiet.update(nextDay) && time[bar - 1]! * 1000 >= bounds[quietFrom]!;
      if (!quietOk) continue;
      stopBar = firstBarAt(time, bar, bounds[quietTo]!);
    }
    const lowest = bounds[equityLow]!;
    const highest = bounds[equityHigh]!;
    const limit = bounds[moveLimit]!;
    const first = bar;
    let last = shownEquity;
    const cash = ctx.cash;
    const position = ctx.position;
    if (position === 0 && equityAt(cash, 0, 0) === shownEquity && !Object.is(cash, -0)) {
      // Flat (so idle, as nothing waits): every mark is the cash, the equity last shown, as the
      // plain path's equityAt(cash, 0, close) gives for any finite close (a cash of −0 aside), and
      // is written in one stretch after the loop, as the main engine does. A close that is not
      // finite goes the plain way.
      let previous = close[bar - 1]!;
      while (bar < stopBar) {
        const price = close[bar]!;
        if (!(price - price === 0)) break;
        const move = range
          ? rangeMovePct(open[bar]!, high[bar]!, low[bar]!)
          : closeMovePct(Number.isNaN(previous) ? open[bar]! : previous, price);
        if (!(move <= limit)) break;
        previous = price;
        if (ticker !== null && (bar & progressMask) === 0) ticker(bar);
        ctx.bar = bar;
        strategy.onBar(bar, ctx);
        bar++;
        if (ctx.commandCount !== 0) break;
      }
      markBars(equity, cash, 0, close, first, bar);
    } else {
      const idle = execution.idle;
      const quietLow = execution.quietLow;
      const quietHigh = execution.quietHigh;
      let previous = close[bar - 1]!;
      while (bar < stopBar) {
        if (!idle && !(low[bar]! > quietLow && high[bar]! < quietHigh)) break;
        const price = close[bar]!;
        const move = range
          ? rangeMovePct(open[bar]!, high[bar]!, low[bar]!)
          : closeMovePct(Number.isNaN(previous) ? open[bar]! : previous, price);
        if (!(move <= limit)) break;
        previous = price;
        const value = equityAt(cash, position, price);
        if (value !== last) {
          if (!(value >= lowest && value <= highest)) break;
          last = value;
        }
        equity[bar] = value;
        if (ticker !== null && (bar & progressMask) === 0) ticker(bar);
        ctx.bar = bar;
        strategy.onBar(bar, ctx);
        bar++;
        if (ctx.commandCount !== 0) break;
      }
    }
    if (bar === first) continue;
    // What the skipped calls would have left behind: the last close, the last equity shown.
    quiet.calmThrough(close[bar - 1]!);
    if (last !== shownEquity) {
      barClock.now = time[bar - 1]! * 1000;
      shownEquity = last;
      governor.onEquity(last);
      if (fresh.length !== 0) stampTrips(fresh, trips, time, bar - 1);
    }
    if (ctx.commandCount !== 0) ctx.send();
  }

  arrays.release();
  const output = finishRun(config, { portfolio, venue, execution }, equity, close);
  return { ...output, breakerTrips: trips };
}
