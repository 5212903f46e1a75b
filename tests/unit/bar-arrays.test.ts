// Indicator arrays lent to a run and pooled afterwards: the next run of the same length reuses
// them, and what a run computes never depends on what an earlier run left in them.
import { describe, expect, it } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { BarArrays } from '../../core/backtest/bar-arrays.ts';
import { runStrategy, simulationConfig } from '../../core/backtest/engine.ts';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { rsiStrategy } from '../../core/strategies/rsi.ts';
import { defineStrategy } from '../../core/strategies/strategy.ts';

describe('bar arrays lent for a run', () => {
  it('go back to the pool after the run and serve the next run of the same length', () => {
    const first = new BarArrays(12_345);
    const a = first.take();
    const b = first.take();
    expect(a.length).toBe(12_345);
    expect(b).not.toBe(a);
    first.release();
    const second = new BarArrays(12_345);
    const reused = [second.take(), second.take()];
    expect(reused).toContain(a);
    expect(reused).toContain(b);
    expect(new BarArrays(12_346).take()).not.toBe(a);
    second.release();
  });

  it('keep at most 64 MB pooled, dropping the oldest', () => {
    const big = new BarArrays(1_000_000);
    const lent = Array.from({ length: 9 }, () => big.take());
    big.release();
    const next = new BarArrays(1_000_000);
    const again = Array.from({ length: 9 }, () => next.take());
    // Eight 8 MB arrays fit; the first one lent was dropped, so a fresh one replaces it.
    expect(again.filter((array) => lent.includes(array))).toHaveLength(8);
    expect(again).not.toContain(lent[0]);
    next.release();
  });

  it('leave a run’s result unchanged by what earlier runs wrote into them', () => {
    const spec = backtestSpecSchema.parse({ strategy: 'rsi', commission: 0.001 });
    const params = rsiStrategy.paramsSchema.parse({ period: 14, lower: 30, upper: 70, stopLossPct: 1 });
    // The same strategy computing its RSI into a fresh array each time: the reference.
    const unpooled = defineStrategy({
      ...rsiStrategy,
      init: (data) => rsiStrategy.init({ ...data, barArray: undefined }),
    });
    for (const seed of [1, 2, 3]) {
      const candles = syntheticMinuteCandles(50_000, seed);
      const input = { candles, series: {}, config: simulationConfig(spec), ticker: null };
      const pooled = runStrategy(rsiStrategy, params, input);
      const fresh = runStrategy(unpooled, params, input);
      expect(pooled.trades).toEqual(fresh.trades);
      expect(Array.from(pooled.equity)).toEqual(Array.from(fresh.equity));
      expect(pooled.trades.length).toBeGreaterThan(50);
    }
  });
});
