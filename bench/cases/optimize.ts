// The optimiser's throughput (issue #4): a 1,000-set rsi grid — lower 10…49 × upper 51…75, period 14
// — over 1,000,000 synthetic 1-minute candles on two workers, validation off so the case times the
// search itself: pool start, sharing the candles, 1,000 summary-kernel backtests and the ranking.
// Target: median ≤ 3 s, i.e. ≥ 330 M candle-evaluations per second.
import type { BenchCase } from '../harness.ts';
import { runOptimization } from '../../core/optimize/optimize-runner.ts';
import type { OptimizeRequestInput } from '../../core/optimize/spec.ts';
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
  },
];
