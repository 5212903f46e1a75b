// One backtest from spec to result: validate, run (kernel or strategy-object API, identical
// results), measure, and shape a JSON-friendly result. The contract call, the worker and the CLI
// all come through here.
import { AutobotError, invalidInputError } from '../domain/autobot-error.ts';
import { detectCandleDecimals } from '../domain/detect-precision.ts';
import { defineInstrument, type Instrument } from '../domain/instrument.ts';
import { roundQuantity } from '../domain/rounding.ts';
import { tradePnl, type ClosedTrade } from '../portfolio/portfolio.ts';
import { rejectReasons, type RejectCode } from '../risk/risk-engine.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import { getStrategy } from '../strategies/registry.ts';
import type { SeriesSet } from '../strategies/strategy.ts';
import { simulationConfig, type EngineOutput } from './engine.ts';
import { stopAtRuin } from './ruin.ts';
import { computeMetrics, drawdownCurve, tradeReturnPct } from './metrics.ts';
import { makeTicker, cancelledError } from './progress.ts';
import {
  backtestSpecSchema,
  type BacktestMetrics,
  type BacktestResult,
  type BacktestSpec,
  type BacktestSpecInput,
  type BacktestTrade,
  type OpenTrade,
} from './spec.ts';

export interface RunBacktestOptions {
  /** Fraction of bars simulated, 0 … 1, about every 65,536 bars. */
  onProgress?: (fraction: number) => void;
  /** Aborting it stops the run with AutobotError('cancelled'). */
  signal?: AbortSignal;
  /** `kernel` (default when the strategy has one) or `api`, the strategy-object path; results are identical. */
  mode?: 'api' | 'kernel';
  /** Extra per-bar series some strategies read, e.g. `sentiment` for rsi's `minSentiment`. */
  series?: SeriesSet;
  /** Where to write the equity curve when its length is the bar count (else the run allocates one). */
  equityOut?: Float64Array | undefined;
  /** Decimals of the prices (a stored series records them); detected from the candles when left out. */
  priceDecimals?: number | undefined;
}

/** Checks a spec; throws AutobotError('invalid_input') whose issues name each offending field. */
export function parseBacktestSpec(spec: BacktestSpecInput): BacktestSpec {
  const parsed = backtestSpecSchema.safeParse(spec);
  if (parsed.success) return parsed.data;
  throw invalidInputError(parsed.error.issues);
}

export function runBacktest(
  candles: CandleColumns,
  spec: BacktestSpecInput,
  options: RunBacktestOptions = {},
): BacktestResult {
  // The result copies the equity curve out, so the run may write it into this thread's scratch buffer.
  const equityOut = scratchEquity(candles.close.length);
  const { spec: checked, params, output } = runEngine(candles, spec, { ...options, equityOut });
  return backtestResult(candles, checked, params, output, options.priceDecimals);
}

/** Runs of at most this many bars share one equity buffer per thread (16 MB at the cap). */
const scratchBars = 2_000_000;
let scratch: Float64Array | null = null;

/**
 * A buffer for an equity curve that is copied out before the next run, or undefined (the run then
 * allocates). A fresh million-bar array costs its page faults on first touch, a sizeable share of a
 * fast run; reusing one keeps them to the first run.
 */
function scratchEquity(bars: number): Float64Array | undefined {
  if (bars > scratchBars) return undefined;
  if (scratch === null || scratch.length < bars) scratch = new Float64Array(Math.max(bars, 65_536));
  return scratch.subarray(0, bars);
}

/** A validated run's raw output, before it is shaped for JSON. */
export interface EngineRun {
  spec: BacktestSpec;
  /** The strategy's params with defaults filled in. */
  params: Record<string, number>;
  output: EngineOutput;
}

/**
 * Validates and runs, without shaping the result: for callers that need the metrics or the trades
 * but not the per-bar arrays (an optimiser's detail of one set would otherwise copy millions of values).
 */
export function runEngine(
  candles: CandleColumns,
  spec: BacktestSpecInput,
  options: RunBacktestOptions = {},
): EngineRun {
  const checked = parseBacktestSpec(spec);
  const prepared = getStrategy(checked.strategy).prepare(checked.params);
  const n = candles.close.length;
  if (n === 0) {
    const message = 'the chosen range holds no candles';
    throw new AutobotError('invalid_input', message, { issues: [{ path: 'range', message }] });
  }
  if (options.signal?.aborted) throw cancelledError();
  const input = {
    candles,
    series: options.series ?? {},
    config: simulationConfig(checked),
    ticker: makeTicker(n, options),
    equityOut: options.equityOut,
    breakers: checked.breakers,
  };
  // Breakers and reinvestment need the strategy-object engine (the kernels size by `sizing` alone
  // and refuse breakers): hand the run over to it.
  const useApi =
    options.mode === 'api' ||
    prepared.kernel === null ||
    checked.breakers !== undefined ||
    checked.reinvestment !== undefined;
  const run = useApi ? prepared.api : prepared.kernel!;
  const output = stopAtRuin(run(input), input, run);
  options.onProgress?.(1);
  return { spec: checked, params: prepared.params, output };
}

/** The metrics of a run's output. */
export function engineMetrics(candles: CandleColumns, run: EngineRun): BacktestMetrics {
  const { output } = run;
  return computeMetrics(candles, output.equity, output.trades, run.spec.cash, output.commissions);
}

/**
 * The instrument a backtest trades: the data's price decimals and the spec's lot size as its
 * quantity step, so reported sizes go through the one rounding in core/domain.
 */
export function backtestInstrument(spec: Pick<BacktestSpec, 'lotSize'>, priceDecimals: number): Instrument {
  return defineInstrument({
    symbol: 'backtest',
    venue: 'simulated',
    priceDecimals,
    quantityStep: spec.lotSize,
  });
}

/**
 * A size as reported: lots × lot size is a double that can miss the decimal (396825 × 0.0001 =
 * 39.682500000000005); the instrument's rounding puts it back on the grid (39.6825).
 */
const reportedSize = (instrument: Instrument, quantity: number) =>
  roundQuantity(instrument, quantity) as number;

/** The closed trades as reported: times, sides and returns beside the engine's figures. */
export function backtestTrades(
  candles: CandleColumns,
  trades: readonly ClosedTrade[],
  instrument?: Instrument,
): BacktestTrade[] {
  const { time } = candles;
  return trades.map((trade) => ({
    side: trade.direction > 0 ? 'long' : 'short',
    size: instrument ? reportedSize(instrument, trade.quantity) : trade.quantity,
    entryBar: trade.entryBar,
    exitBar: trade.exitBar,
    entryTime: time[trade.entryBar]!,
    exitTime: time[trade.exitBar]!,
    entryPrice: trade.entryPrice,
    exitPrice: trade.exitPrice,
    pnl: trade.pnl,
    returnPct: tradeReturnPct(trade.pnl, trade.entryPrice, trade.quantity),
    commission: trade.commission,
    exitReason: trade.exitReason,
  }));
}

/** Shapes an engine output as the JSON-friendly result (no typed arrays, null for undefined figures). */
export function backtestResult(
  candles: CandleColumns,
  spec: BacktestSpec,
  params: Record<string, number>,
  output: EngineOutput,
  priceDecimals: number = detectCandleDecimals(candles),
): BacktestResult {
  const { time, close } = candles;
  const metrics = engineMetrics(candles, { spec, params, output });
  const instrument = backtestInstrument(spec, priceDecimals);
  const trades = backtestTrades(candles, output.trades, instrument);
  const last = close.length - 1;
  const open = output.openPosition;
  let openTrade: OpenTrade | null = null;
  if (open !== null) {
    const pnl = tradePnl(open.direction, open.quantity, open.entryPrice, close[last]!, open.commission);
    openTrade = {
      side: open.direction > 0 ? 'long' : 'short',
      size: reportedSize(instrument, open.quantity),
      entryBar: open.entryBar,
      entryTime: time[open.entryBar]!,
      entryPrice: open.entryPrice,
      markTime: time[last]!,
      markPrice: close[last]!,
      pnl,
      returnPct: tradeReturnPct(pnl, open.entryPrice, open.quantity),
      commission: open.commission,
    };
  }
  const rejections = (Object.entries(output.rejections) as [RejectCode, number][])
    .filter(([, count]) => count > 0)
    .map(([code, count]) => ({ code, reason: rejectReasons[code], count }));
  return {
    strategy: spec.strategy,
    params,
    spec,
    metrics,
    equity: {
      time: Array.from(time),
      equity: Array.from(output.equity),
      drawdownPct: Array.from(drawdownCurve(output.equity)),
    },
    trades,
    openTrade,
    rejections,
    priceDecimals,
    ruin: output.ruin ? { ...output.ruin, time: time[output.ruin.bar]! } : null,
    breakerTrips: output.breakerTrips ?? [],
  };
}
