// Backtests one parameter set on one window of the candles, the unit of work of an optimisation
// (it runs inside each pool worker). Two paths, chosen by EvaluationPath:
//
//   kernel   (default) the strategy's kernel in summary mode: no equity array, no trade objects,
//            only the metric accumulators; its indicators come from a cache, so one RSI series
//            (per period) serves every (lower, upper) pair and one SMA per period every cross.
//   backtest the engine run a user's backtest makes (runEngine: runBacktest before it shapes the
//            result), per set: the reference the kernel path is checked against
//            (tests/integration/optimize-grid.test.ts), and the fallback for strategies without a
//            summary kernel.
//
// Both land on the same metrics: the kernels' summary mode feeds the same accumulators a full
// run's arrays do (core/backtest/metrics.ts).
import { simulationConfig, type SimulationConfig } from '../backtest/engine.ts';
import { openBlockMinima, rsiKernel } from '../backtest/kernels/rsi-kernel.ts';
import { smaCrossKernel } from '../backtest/kernels/sma-cross-kernel.ts';
import type { KernelSummary } from '../backtest/kernels/kernel-book.ts';
import { metricsFromStats } from '../backtest/metrics.ts';
import { backtestTrades, engineMetrics, parseBacktestSpec, runEngine } from '../backtest/run-backtest.ts';
import type { BacktestMetrics, BacktestSpec } from '../backtest/spec.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import { rsi } from '../indicators/rsi.ts';
import { sma } from '../indicators/sma.ts';
import { sliceCandles, type CandleColumns } from '../storage/candle-columns.ts';
import { getStrategy, type StrategyEntry } from '../strategies/registry.ts';
import type { ParamSet } from './parameter-space.ts';
import { rsiAtEntry } from './rsi-analysis.ts';
import type { BaseSpec, KeyMetrics, RsiAtEntry } from './spec.ts';
import type { BarRange } from './validation.ts';

export type EvaluationPath = 'kernel' | 'backtest';

export interface EvaluatorSetup {
  strategy: string;
  /** Costs, sizing and the fixed params; each set's searched params are laid over `params`. */
  baseSpec: BaseSpec;
  path: EvaluationPath;
}

export interface SetDetail {
  metrics: BacktestMetrics;
  /** For the rsi strategy when asked: RSI at each entry against the trade's PnL. */
  rsiAtEntry: RsiAtEntry | null;
}

export function keyMetricsOf(metrics: BacktestMetrics): KeyMetrics {
  return {
    trades: metrics.trades,
    returnPct: metrics.returnPct,
    profitFactor: metrics.profitFactor,
    winRatePct: metrics.winRatePct,
    maxDrawdownPct: metrics.maxDrawdownPct,
    sharpe: metrics.sharpe,
    calmar: metrics.calmar,
  };
}

/** Indicator arrays of the current window by key ("rsi:14"), least recently used dropped first. */
class IndicatorCache {
  /** Bytes of arrays kept at most: 16 one-million-bar series. */
  static readonly budgetBytes = 128 * 1024 * 1024;
  #window = '';
  readonly #entries = new Map<string, Float64Array>();

  get(window: BarRange, key: string, compute: () => Float64Array): Float64Array {
    const windowKey = `${window.start}:${window.end}`;
    if (windowKey !== this.#window) {
      this.#entries.clear();
      this.#window = windowKey;
    }
    const held = this.#entries.get(key);
    if (held !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, held);
      return held;
    }
    const series = compute();
    const limit = Math.max(2, Math.floor(IndicatorCache.budgetBytes / Math.max(1, series.byteLength)));
    while (this.#entries.size >= limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, series);
    return series;
  }
}

/** A kernel in summary mode for validated params, or null when this path cannot take the set. */
type SummaryKernel = (
  candles: CandleColumns,
  window: BarRange,
  params: Record<string, number>,
  config: SimulationConfig,
  cache: IndicatorCache,
) => KernelSummary | null;

const summaryKernels: Readonly<Record<string, SummaryKernel>> = {
  rsi: (candles, window, params, config, cache) => {
    // The sentiment filter needs a series the optimiser is not given: leave it to the full engine run.
    if (params.minSentiment !== undefined) return null;
    const period = params.period!;
    const series = cache.get(window, `rsi:${period}`, () => rsi(candles.close, period));
    const bracket = { takeProfitPct: params.takeProfitPct, stopLossPct: params.stopLossPct };
    const openBlockMin = cache.get(window, 'open-block-min', () => openBlockMinima(candles.open));
    const inputs = { rsi: series, lower: params.lower!, upper: params.upper!, bracket, openBlockMin };
    return rsiKernel(candles, { ...inputs, sentiment: null, minSentiment: -Infinity }, config, 'summary');
  },
  'sma-cross': (candles, window, params, config, cache) => {
    const fast = cache.get(window, `sma:${params.fast}`, () => sma(candles.close, params.fast!));
    const slow = cache.get(window, `sma:${params.slow}`, () => sma(candles.close, params.slow!));
    return smaCrossKernel(candles, { fast, slow }, config, 'summary');
  },
};

export class SetEvaluator {
  readonly #candles: CandleColumns;
  readonly #strategy: StrategyEntry;
  readonly #spec: BacktestSpec;
  readonly #config: SimulationConfig;
  readonly #path: EvaluationPath;
  readonly #cache = new IndicatorCache();

  constructor(candles: CandleColumns, setup: EvaluatorSetup) {
    this.#candles = candles;
    this.#strategy = getStrategy(setup.strategy);
    this.#spec = parseBacktestSpec({ ...setup.baseSpec, strategy: setup.strategy });
    this.#config = simulationConfig(this.#spec);
    this.#path = setup.path;
  }

  #window(window: BarRange): CandleColumns {
    return sliceCandles(this.#candles, window.start, window.end);
  }

  #params(params: ParamSet): ParamSet {
    return { ...this.#spec.params, ...params };
  }

  /** The set's metrics on the window: summary kernel when possible, a full engine run otherwise. */
  evaluate(window: BarRange, params: ParamSet): KeyMetrics {
    const candles = this.#window(window);
    // Breakers and reinvestment need the engine (the kernels cannot apply them): such a set is a
    // full engine run.
    const kernel =
      this.#path === 'kernel' && this.#spec.breakers === undefined && this.#spec.reinvestment === undefined
        ? summaryKernels[this.#strategy.name]
        : undefined;
    if (kernel !== undefined) {
      const prepared = this.#strategy.prepare(this.#params(params));
      const summary = kernel(candles, window, prepared.params, this.#config, this.#cache);
      if (summary !== null) {
        const input = {
          time: candles.time,
          close: candles.close,
          startEquity: this.#config.cash,
          commissions: summary.commissions,
        };
        return keyMetricsOf(metricsFromStats(input, summary.equity, summary.trades));
      }
    }
    return keyMetricsOf(engineMetrics(candles, this.#run(candles, params)));
  }

  /** Full metrics of one set (and its RSI-at-entry scatter when asked): a complete backtest. */
  detail(window: BarRange, params: ParamSet, withRsiAtEntry: boolean): SetDetail {
    const candles = this.#window(window);
    const run = this.#run(candles, params);
    const period = run.params.period;
    const scatter =
      withRsiAtEntry && this.#strategy.name === 'rsi' && period !== undefined
        ? rsiAtEntry(backtestTrades(candles, run.output.trades), rsi(candles.close, period))
        : null;
    return { metrics: engineMetrics(candles, run), rsiAtEntry: scatter };
  }

  /** The run alone: the metrics need neither the per-bar arrays nor the trade rows a user's backtest gets. */
  #run(candles: CandleColumns, params: ParamSet) {
    if (candles.time.length === 0) throw new AutobotError('invalid_input', 'the window holds no candles');
    return runEngine(candles, { ...this.#spec, params: this.#params(params) });
  }
}
