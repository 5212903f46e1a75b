// The rsi strategy with take-profit and stop-loss on 1,000,000 synthetic 1-minute candles, RSI
// computed inside every timed run. Budgets (issue #3): backtest.kernel ≤ 15 ms, backtest.api (the
// strategy-object path users write) ≤ 30 ms. Setup checks both give identical results first.
// The kernel cases reuse their RSI and equity buffers, as the optimiser does across evaluations.
// The api case writes its equity curve into a reused buffer, as runBacktest does (its scratch
// buffer: the result copies the curve out); its strategy allocates its RSI like any user strategy.
// The run case is a user's whole backtest, result shaping included.
import { runStrategy, simulationConfig, type EngineOutput } from '../../core/backtest/engine.ts';
import type { KernelSummary } from '../../core/backtest/kernels/kernel-book.ts';
import { rsiKernel } from '../../core/backtest/kernels/rsi-kernel.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { rsi } from '../../core/indicators/rsi.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { rsiStrategy } from '../../core/strategies/rsi.ts';
import type { BenchCase } from '../harness.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

const million = 1_000_000;
const rawParams = { period: 14, lower: 30, upper: 70, takeProfitPct: 1, stopLossPct: 0.5 };
const spec = backtestSpecSchema.parse({ strategy: 'rsi', params: rawParams, commission: 0.001 });

interface BacktestState {
  candles: CandleColumns;
  rsiOut: Float64Array;
  equityOut: Float64Array;
  /** The api case's own equity buffer (setup compares its curve with the kernel's). */
  apiEquityOut: Float64Array;
  /** Closed trades on the series, for the report. */
  trades: number;
}

const params = rsiStrategy.paramsSchema.parse(rawParams);
const config = simulationConfig(spec);

function kernel(state: BacktestState, mode: 'full'): EngineOutput;
function kernel(state: BacktestState, mode: 'summary'): KernelSummary;
function kernel(state: BacktestState, mode: 'full' | 'summary') {
  const inputs = {
    rsi: rsi(state.candles.close, params.period, state.rsiOut),
    lower: params.lower,
    upper: params.upper,
    bracket: { takeProfitPct: params.takeProfitPct, stopLossPct: params.stopLossPct },
    sentiment: null,
    minSentiment: -Infinity,
  };
  return mode === 'full'
    ? rsiKernel(state.candles, inputs, config, 'full', { equityOut: state.equityOut })
    : rsiKernel(state.candles, inputs, config, 'summary');
}

const api = (state: BacktestState) =>
  runStrategy(rsiStrategy, params, {
    candles: state.candles,
    series: {},
    config,
    ticker: null,
    equityOut: state.apiEquityOut,
  });

function setup(): BacktestState {
  const state = {
    candles: syntheticMinuteCandles(million),
    rsiOut: new Float64Array(million),
    equityOut: new Float64Array(million),
    apiEquityOut: new Float64Array(million),
    trades: 0,
  };
  const fromKernel = kernel(state, 'full');
  const fromApi = api(state);
  const same =
    fromKernel.cash === fromApi.cash &&
    fromKernel.trades.length === fromApi.trades.length &&
    fromKernel.trades.every((trade, i) => JSON.stringify(trade) === JSON.stringify(fromApi.trades[i])) &&
    fromKernel.equity.every((value, i) => Object.is(value, fromApi.equity[i]));
  if (!same) throw new Error('backtest.kernel and backtest.api disagree on the bench series');
  state.trades = fromKernel.trades.length;
  if (state.trades < 1_000) throw new Error('the bench series should trade often');
  return state;
}

const figures = (ms: number, state: unknown) => ({
  candles_per_s: Math.round(million / (ms / 1000)),
  trades: (state as BacktestState).trades,
});

export const backtestCases: BenchCase[] = [
  {
    name: 'backtest.kernel',
    runs: 21,
    warmup: 5,
    setup,
    run: (state) => kernel(state as BacktestState, 'full'),
    figures,
  },
  {
    name: 'backtest.api',
    runs: 21,
    warmup: 5,
    setup,
    run: (state) => api(state as BacktestState),
    figures,
  },
  {
    name: 'backtest.kernel-summary',
    runs: 21,
    warmup: 5,
    setup,
    run: (state) => kernel(state as BacktestState, 'summary'),
    figures,
  },
  {
    name: 'backtest.run',
    runs: 7,
    warmup: 2,
    setup,
    run: (state) => runBacktest((state as BacktestState).candles, spec),
    figures,
  },
];
