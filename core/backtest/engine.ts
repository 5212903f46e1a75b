// The event-driven backtest: bar by bar, strategy → risk engine → execution → portfolio, with the
// simulated venue filling orders. Per bar it releases the orders placed on the previous close
// (they fill at this open), lets brackets and resting orders act on the bar's range, marks equity
// at the close, then shows the closed bar to the strategy, whose order commands reach the execution
// engine when its onBar returns (bar-context.ts). Nothing is allocated per bar.
import type { FeeSchedule } from '../execution/fees.ts';
import { ExecutionEngine, type RejectionCounts } from '../execution/execution-engine.ts';
import { quantityOf } from '../execution/lot-size.ts';
import { equityAt, Portfolio, type ClosedTrade, type OpenPosition } from '../portfolio/portfolio.ts';
import { defaultRiskChecks, RiskEngine } from '../risk/risk-engine.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { SeriesSet, Strategy, StrategyParams } from '../strategies/strategy.ts';
import { SimulatedVenue } from '../venues/simulated/simulated-venue.ts';
import { BarArrays } from './bar-arrays.ts';
import { BarContext } from './bar-context.ts';
import { reusable } from './reusable-buffer.ts';
import { progressMask, type Ticker } from './progress.ts';
import type { BreakerSettings } from '../risk/breaker-settings-schema.ts';
import type { ReinvestmentPolicy } from '../reinvestment/reinvestment-policy.ts';
import type { BacktestSpec, BreakerTrip, Sizing } from './spec.ts';

/** The money side of a run: everything in the spec except the strategy. */
export interface SimulationConfig {
  cash: number;
  fees: FeeSchedule;
  slippage: number;
  lotSize: number;
  sizing: Sizing;
  closeAtEnd: boolean;
  /** Sizes entries in place of `sizing` when set (core/reinvestment/reinvestment-sizer.ts). */
  reinvestment?: ReinvestmentPolicy | undefined;
}

export function simulationConfig(spec: BacktestSpec): SimulationConfig {
  return {
    cash: spec.cash,
    fees: { commission: spec.commission, fixedFee: spec.fixedFee },
    slippage: spec.slippage,
    lotSize: spec.lotSize,
    sizing: spec.sizing,
    closeAtEnd: spec.closeAtEnd,
    ...(spec.reinvestment !== undefined ? { reinvestment: spec.reinvestment } : {}),
  };
}

/** What a run produces, through the strategy-object API or a kernel alike. */
export interface EngineOutput {
  /** Equity at each bar's close (after `closeAtEnd` on the last one). */
  equity: Float64Array;
  trades: ClosedTrade[];
  /** Still open after the last bar (null when flat or closed at the end). */
  openPosition: OpenPosition | null;
  cash: number;
  commissions: number;
  rejections: RejectionCounts;
  /** Set when equity reached zero and trading stopped (ruin.ts): the bar and the equity marked there. */
  ruin?: { bar: number; equity: number } | null;
  /** The breakers' trips, when the run applied breakers (breaker-run.ts). */
  breakerTrips?: BreakerTrip[];
}

export interface SimulationInput {
  candles: CandleColumns;
  series: SeriesSet;
  config: SimulationConfig;
  ticker: Ticker | null;
  /** Reused for the equity curve when its length is the bar count. */
  equityOut?: Float64Array | undefined;
  /** Circuit breakers to apply: only the strategy-object path can (breaker-run.ts); kernels refuse. */
  breakers?: BreakerSettings | undefined;
}

/** Runs a strategy through the strategy-object API. `params` must already be validated. */
export function runStrategy<P extends StrategyParams, I>(
  strategy: Strategy<P, I>,
  params: P,
  input: SimulationInput,
): EngineOutput {
  const { candles, config, ticker } = input;
  const n = candles.close.length;
  const portfolio = new Portfolio(config.cash, config.lotSize);
  const venue = new SimulatedVenue(candles, config.slippage);
  const risk = new RiskEngine(defaultRiskChecks(config.lotSize, config.fees, config.sizing.mode === 'risk'));
  const execution = new ExecutionEngine(venue, risk, portfolio, config);
  const arrays = new BarArrays(n);
  const indicators = strategy.init({ candles, params, series: input.series, barArray: () => arrays.take() });
  const ctx = new BarContext(candles, params, indicators, execution);
  const equity = reusable(input.equityOut, n);
  const { open, low, high, close } = candles;
  const mask = progressMask;

  // Position and cash change only where the execution engine acts, so ctx learns them there, and
  // the equity curve is marked in stretches up to each such bar (bar by bar under a bracket): a bar
  // where nothing can fill costs the strategy's onBar and its mark, and nothing else.
  ctx.position = quantityOf(portfolio.lots, portfolio.lotSize);
  ctx.cash = portfolio.cash;
  /** Bars before this one are marked. */
  let markedTo = 0;
  let i = 0;
  while (i < n) {
    if (ticker !== null && (i & mask) === 0) ticker(i);
    // The venue's turn: orders placed on the previous close fill at this open, and a bracket acts
    // on a bar whose range reaches it. An order waiting needs the bar whatever its range (and its
    // low, an array onBar rarely reads, stays unread: most such bars are entries, refused or not).
    if (
      !execution.idle &&
      (execution.waiting || !(low[i]! > execution.quietLow && high[i]! < execution.quietHigh))
    ) {
      markBars(equity, ctx.cash, ctx.position, close, markedTo, i);
      markedTo = i;
      venue.bar = i;
      execution.onBar(i);
      ctx.position = quantityOf(portfolio.lots, portfolio.lotSize);
      ctx.cash = portfolio.cash;
    }
    // The strategy's turn, at this bar and then, as long as no order waits, at each following bar
    // that needs nothing else: the engine idle, or a bracket the bar's range stays clear of. The
    // execution engine cannot change in between (commands wait in ctx until the stretch ends), so
    // these loops call nothing but onBar. They end at a command, a bar that needs the venue, or a tick.
    const stop = ticker === null ? n : Math.min(n, (i | mask) + 1);
    if (!execution.idle && !execution.waiting) {
      // A position under a bracket: each bar is marked as it goes, so its close is read beside its
      // low and high (which the bracket test reads), not in a second pass over the same bars.
      const quietLow = execution.quietLow;
      const quietHigh = execution.quietHigh;
      markBars(equity, ctx.cash, ctx.position, close, markedTo, i);
      const cash = ctx.cash;
      const position = ctx.position;
      let warm = 0;
      do {
        if ((i & lineMask) === 0) warm = open[i]!;
        equity[i] = equityAt(cash, position, close[i]!);
        ctx.bar = i;
        strategy.onBar(i, ctx);
        i++;
      } while (ctx.commandCount === 0 && i < stop && low[i]! > quietLow && high[i]! < quietHigh);
      markedTo = i;
      openPrefetch.sink = warm;
    } else {
      // Idle (flat, say), marked in one stretch when something next happens; or an order waits,
      // and the next bar is the venue's.
      const idle = execution.idle;
      let warm = 0;
      do {
        if ((i & lineMask) === 0) warm = open[i]!;
        ctx.bar = i;
        strategy.onBar(i, ctx);
        i++;
      } while (ctx.commandCount === 0 && i < stop && idle);
      openPrefetch.sink = warm;
    }
    if (ctx.commandCount !== 0) ctx.send();
  }
  markBars(equity, ctx.cash, ctx.position, close, markedTo, n);

  arrays.release();
  return finishRun(config, { portfolio, venue, execution }, equity, close);
}

/** The pieces of one simulated run, as wired by runStrategy. */
export interface SimulationParts {
  portfolio: Portfolio;
  venue: SimulatedVenue;
  execution: ExecutionEngine;
}

/**
 * After the last bar: `closeAtEnd` closes a position still open at the last close (and marks that
 * bar again), then the run's output. `equity` must hold every bar's mark already.
 */
export function finishRun(
  config: SimulationConfig,
  { portfolio, venue, execution }: SimulationParts,
  equity: Float64Array,
  close: Float64Array,
): EngineOutput {
  const last = close.length - 1;
  if (config.closeAtEnd && portfolio.lots !== 0 && last >= 0) {
    venue.bar = last;
    execution.closeAt(venue.closingPrice(portfolio.lots > 0 ? -1 : 1), last, 'end');
    equity[last] = portfolio.equity(close[last]!);
  }
  return {
    equity,
    trades: portfolio.trades,
    openPosition: portfolio.openPosition(),
    cash: portfolio.cash,
    commissions: portfolio.commissions,
    rejections: execution.rejections,
  };
}

// Prefetch by touch. An order placed on a bar's close fills at the next bar's open, and signals come
// at bars nobody can foresee, so without help each fill price is a cache miss on the open column
// (about 100 ns; a run refusing an entry on every signal pays it tens of thousands of times). JS
// has no prefetch instruction: the bar loops read one open per 64-byte cache line instead, the
// hardware prefetcher keeps the column streaming ahead, and the fill is a cache hit (0.91–0.95 of
// the api bench case in paired runs). The reads land in openPrefetch.sink only so that the JIT
// cannot drop them as unused.
const lineMask = 64 / Float64Array.BYTES_PER_ELEMENT - 1;
const openPrefetch = { sink: 0 };

/**
 * Equity at the close of bars `from` … `to − 1`, over which cash and position did not change (also
 * breaker-run.ts's stretches of bars the governor need not see).
 */
export function markBars(
  equity: Float64Array,
  cash: number,
  position: number,
  close: Float64Array,
  from: number,
  to: number,
): void {
  if (position === 0) {
    // Flat: each mark is the cash, as the kernels' markFlat records it, and the close column stays
    // unread (most bars of a run are flat).
    const flat = equityAt(cash, 0, 0);
    for (let bar = from; bar < to; bar++) equity[bar] = flat;
    return;
  }
  for (let bar = from; bar < to; bar++) equity[bar] = equityAt(cash, position, close[bar]!);
}
