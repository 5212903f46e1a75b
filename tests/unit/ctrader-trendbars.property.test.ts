// Trendbar history: bars arrive as a low plus deltas × 10⁻⁵ with a start in minutes, and one
// request may span only so much time. A decoding slip shifts every price of a chart; a window too
// long is refused by cTrader, one that leaves a gap loses bars.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeframes } from '../../core/contract/calls.ts';
import {
  decodeTrendbar,
  encodeTrendbar,
  trendbarWindowMs,
  trendbarWindows,
} from '../../core/venues/ctrader/trendbars.ts';

describe('cTrader trendbars', () => {
  it('decodes the wire shape cTrader sends', () => {
    expect(
      decodeTrendbar({
        low: '108400',
        deltaOpen: 20,
        deltaHigh: 95,
        deltaClose: '60',
        volume: 431,
        utcTimestampInMinutes: 29_446_560,
      }),
    ).toEqual({ time: 29_446_560 * 60, open: 1.0842, high: 1.08495, low: 1.084, close: 1.0846, volume: 431 });
  });

  it('bars round-trip through the wire shape', () => {
    const price = fc.integer({ min: 1, max: 10_000_000_000 });
    fc.assert(
      fc.property(
        price,
        price,
        price,
        price,
        fc.integer({ min: 0, max: 40_000_000 }),
        (a, b, c, d, minute) => {
          const [low, open, close, high] = [Math.min(a, b, c, d), b, c, Math.max(a, b, c, d)].map(
            (n) => n / 100_000,
          ) as [number, number, number, number];
          const bar = { time: minute * 60, open, high, low, close, volume: 7 };
          expect(decodeTrendbar(encodeTrendbar(bar, 1))).toEqual(bar);
        },
      ),
    );
  });

  it('windows cover the range exactly, in order, none longer than cTrader allows', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...timeframes),
        fc.integer({ min: 0, max: 2e12 }),
        fc.integer({ min: 1, max: 4e11 }),
        (timeframe, from, span) => {
          const windows = trendbarWindows(timeframe, from, from + span);
          expect(windows[0]![0]).toBe(from);
          expect(windows.at(-1)![1]).toBe(from + span);
          for (let i = 0; i < windows.length; i++) {
            const [start, end] = windows[i]!;
            expect(end - start).toBeLessThanOrEqual(trendbarWindowMs(timeframe));
            expect(end).toBeGreaterThan(start);
            if (i > 0) expect(start).toBe(windows[i - 1]![1]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses an empty or reversed range, naming it', () => {
    expect(() => trendbarWindows('1h', 10, 10)).toThrow(/from < to/);
  });
});
