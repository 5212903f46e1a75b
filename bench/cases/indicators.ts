// Batch indicator cost on 1,000,000 synthetic closes, the backtester's unit of work (budget: RSI on 1M bars
// inside 15 ms, target ≤ 5 ms). The output buffer is allocated once in setup and reused, as the optimiser
// does, so the runs time the loops rather than the allocator. Warm-up runs let the JIT settle first.
import type { BenchCase } from '../harness.ts';
import { rsi } from '../../core/indicators/rsi.ts';
import { sma } from '../../core/indicators/sma.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

const million = 1_000_000;

interface IndicatorState {
  closes: Float64Array;
  out: Float64Array;
}

function setup(): IndicatorState {
  return { closes: syntheticMinuteCandles(million).close, out: new Float64Array(million) };
}

const perSecond = (ms: number) => ({ bars_per_s: Math.round(million / (ms / 1000)) });

function checked(out: Float64Array, warmUp: number): void {
  if (!Number.isNaN(out[warmUp - 1]!) || Number.isNaN(out[warmUp]!) || Number.isNaN(out[million - 1]!))
    throw new Error('indicator output has the wrong warm-up');
}

export const indicatorCases: BenchCase[] = [
  {
    name: 'indicators.rsi',
    runs: 21,
    warmup: 5,
    setup,
    run: (state) => {
      const { closes, out } = state as IndicatorState;
      checked(rsi(closes, 14, out), 14);
    },
    figures: perSecond,
  },
  {
    name: 'indicators.sma',
    runs: 21,
    warmup: 5,
    setup,
    run: (state) => {
      const { closes, out } = state as IndicatorState;
      checked(sma(closes, 20, out), 19);
    },
    figures: perSecond,
  },
];
