// The Chart page draws indicators computed in the renderer (which may not import core/indicators):
// they must show the same values the strategies and backtests compute, on any series.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../../core/indicators/index.ts';
import * as chart from '../../renderer/src/components/chart/indicators.ts';

const series = fc
  .array(fc.double({ min: 1, max: 100_000, noNaN: true, noDefaultInfinity: true }), {
    minLength: 0,
    maxLength: 120,
  })
  .map((values) => Float64Array.from(values));
const period = fc.integer({ min: 2, max: 30 });

/** Same NaN warm-up, values equal to a relative 1e-9 (the core uses drift-free running sums). */
function expectSame(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e)) expect(a, `index ${i}`).toBeNaN();
    else
      expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(e)),
      );
  }
}

describe('chart indicators equal core/indicators', () => {
  it('SMA and EMA', () => {
    fc.assert(
      fc.property(series, period, (values, n) => {
        expectSame(chart.sma(values, n), core.sma(values, n));
        expectSame(chart.ema(values, n), core.ema(values, n));
      }),
      { numRuns: 200 },
    );
  });

  it('Bollinger bands', () => {
    fc.assert(
      fc.property(series, period, fc.double({ min: 0, max: 4, noNaN: true }), (values, n, k) => {
        const a = chart.bollinger(values, n, k);
        const e = core.bollinger(values, n, k);
        expectSame(a.middle, e.middle);
        // σ of nearly flat windows is where the two algorithms' rounding differs most: compare with
        // the price scale as the yardstick.
        for (const side of ['upper', 'lower'] as const)
          for (let i = 0; i < values.length; i++) {
            if (Number.isNaN(e[side][i]!)) expect(a[side][i]).toBeNaN();
            else expect(Math.abs(a[side][i]! - e[side][i]!)).toBeLessThanOrEqual(1e-7 * e.middle[i]!);
          }
      }),
      { numRuns: 200 },
    );
  });

  it('RSI and MACD', () => {
    fc.assert(
      fc.property(series, period, (values, n) => {
        const a = chart.rsi(values, n);
        const e = core.rsi(values, n);
        for (let i = 0; i < values.length; i++) {
          if (Number.isNaN(e[i]!)) expect(a[i]).toBeNaN();
          else expect(Math.abs(a[i]! - e[i]!)).toBeLessThanOrEqual(1e-7);
        }
        const m = chart.macd(values, 12, 26, 9);
        const c = core.macd(values, 12, 26, 9);
        expectSame(m.macd, c.macd);
        expectSame(m.signal, c.signal);
      }),
      { numRuns: 200 },
    );
  });
});
