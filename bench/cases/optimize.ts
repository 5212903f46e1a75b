// The optimiser's throughput (issue #4): a 1,000-set rsi grid — lower 10…49 × upper 51…75, period 14
// — over 1,000,000 synthetic 1-minute candles on two workers, validation off so the case times the
// search itself: sharing the candles with the threads, 1,000 summary-kernel backtests and the
// ranking. The threads stay warm between runs (core/jobs/warm-threads.ts), so the warm-up run
// pays their start-up and the timed runs do not: that is what a second optimisation in the app costs.
// Target: median ≤ 3 s, i.e. ≥ 330 M candle-evaluations per second.
//
// optimize.cold-start keeps the start-up visible: before each run it ends the warm threads, then
// times starting two fresh ones and a 20-set grid over 10,000 candles, which costs little beside them.
import type { BenchCase } from '../harness.ts';
import { runOptimization } from '../../core/optimize/optimize-runner.ts';
import type { OptimizeRequestInput } from '../../core/optimize/spec.ts';
import { closeWarmThreads, warmThreadStats } from '../../core/jobs/warm-threads.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

const bars = 1_000_000;

export const gridRequest: OptimizeRequestInput = {
  strategy: 'rsi',
  baseSpec: { cash: 10_000, commission: 0.001, params: { period: 14 } },
  ranges: [
    { name: 'lower', from: 10, to: 49, step: 1 },
    { name: 'upper', from: 51, to: 75, step: 1 },
  ],
  method: 'grid',
  validation: { kind: 'none' },
};

interface OptimizeState {
  candles: CandleColumns;
  evaluations: number;
}

const coldBars = 10_000;

/** 4 × 5 sets: little work, so the case measures mostly the two threads starting. */
export const coldRequest: OptimizeRequestInput = {
  ...gridRequest,
  ranges: [
    { name: 'lower', from: 20, to: 35, step: 5 },
    { name: 'upper', from: 60, to: 80, step: 5 },
  ],
};

export const optimizeCases: BenchCase[] = [
  {
    name: 'optimize.grid',
    runs: 5,
    warmup: 1,
    setup: (): OptimizeState => ({ candles: syntheticMinuteCandles(bars), evaluations: 0 }),
    run: async (state) => {
      const s = state as OptimizeState;
      const result = await runOptimization(s.candles, gridRequest, { workers: 2 });
      if (result.evaluationCount !== 1000 || result.workers !== 2)
        throw new Error('the grid did not run 1,000 sets on 2 workers');
      s.evaluations = result.evaluationCount;
    },
    figures: (medianMs, state) => {
      const { evaluations } = state as OptimizeState;
      return {
        sets: evaluations,
        bars,
        workers: 2,
        candle_evaluations_per_s: Math.round((evaluations * bars) / (medianMs / 1000)),
        ms_per_set_per_worker: Math.round(((medianMs * 2) / evaluations) * 100) / 100,
      };
    },
    teardown: () => closeWarmThreads(),
  },
  {
    name: 'optimize.cold-start',
    runs: 5,
    warmup: 1,
    setup: (): OptimizeState => ({ candles: syntheticMinuteCandles(coldBars), evaluations: 0 }),
    beforeEach: () => closeWarmThreads(),
    run: async (state) => {
      const s = state as OptimizeState;
      const before = warmThreadStats().started;
      const result = await runOptimization(s.candles, coldRequest, { workers: 2 });
      if (result.evaluationCount !== 20 || warmThreadStats().started !== before + 2)
        throw new Error('the run did not start two fresh threads for 20 sets');
      s.evaluations = result.evaluationCount;
    },
    figures: (_medianMs, state) => ({
      sets: (state as OptimizeState).evaluations,
      bars: coldBars,
      workers: 2,
    }),
    teardown: () => closeWarmThreads(),
  },
];
