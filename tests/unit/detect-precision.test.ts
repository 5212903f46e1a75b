// Price decimals for imported data: what the prices actually carry, float noise ignored.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandlesCsv } from '../../core/data/csv-candles.ts';
import { decimalsOf } from '../../core/domain/decimals.ts';
import {
  detectCandleDecimals,
  detectPriceDecimals,
  instrumentFromData,
} from '../../core/domain/detect-precision.ts';
import { formatPrice, formatQuantity } from '../../core/domain/rounding.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';

describe('detectPriceDecimals', () => {
  it('reads the decimals the quotes carry, a dropped trailing zero or float noise aside', () => {
    expect(detectPriceDecimals([1.0716, 1.0722, 1.07083, 1.07219])).toBe(5);
    expect(detectPriceDecimals([4.58, 7.38, 3.8, 5.55])).toBe(2);
    expect(detectPriceDecimals([100, 104.06, 95.96])).toBe(2);
    expect(detectPriceDecimals([39.682500000000005, 12.5])).toBe(4);
    expect(detectPriceDecimals([0.1 + 0.2])).toBe(2);
  });

  it('shows at least the minimum and never more than the cap', () => {
    expect(detectPriceDecimals([100, 200])).toBe(2);
    expect(detectPriceDecimals([100, 200], { min: 0 })).toBe(0);
    expect(detectPriceDecimals([1 / 3])).toBe(8);
    expect(detectPriceDecimals([0.000012345678912], { cap: 10 })).toBe(10);
    expect(detectPriceDecimals([], { min: 3 })).toBe(3);
    expect(detectPriceDecimals([Number.NaN, Number.POSITIVE_INFINITY])).toBe(2);
  });

  it('finds exactly the decimals prices were written with (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }),
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 50 }),
        (decimals, units) => {
          // Prices as a CSV holds them: a decimal string of `decimals` places, read back as a double.
          const prices = units.map((unit) => Number((unit / 10 ** decimals).toFixed(decimals)));
          const carried = Math.max(...prices.map((price) => decimalsOf(price)));
          expect(detectPriceDecimals(prices)).toBe(Math.max(2, carried));
          expect(detectPriceDecimals(prices)).toBeLessThanOrEqual(decimals);
        },
      ),
    );
  });
});

describe('instrumentFromData', () => {
  it('ticks at the detected decimals and steps at the lot size, so prices print as the data has them', () => {
    const candles = { open: [1.0716], high: [1.0722], low: [1.07083], close: [1.07219] };
    const eurusd = instrumentFromData('EURUSD', candles, 1000);
    expect(eurusd).toMatchObject({
      venue: 'simulated',
      tickSize: 0.00001,
      priceDecimals: 5,
      quantityStep: 1000,
    });
    expect(formatPrice(eurusd, 1.14)).toBe('1.14000');
    const btc = instrumentFromData(
      'BTCUSD',
      { open: [4.58], high: [7.38], low: [3.8], close: [5.55] },
      0.0001,
    );
    expect(formatQuantity(btc, 39.682500000000005)).toBe('39.6825');
  });
});

describe('detectCandleDecimals on the shared market data', () => {
  const cases = [
    ['EURUSD.csv', 5],
    ['BTCUSD.csv', 2],
    ['GOOG.csv', 2],
  ] as const;
  for (const [name, expected] of cases) {
    const file = sharedDataFile(name);
    // Skips outside the build machines (no ../shared/data); under CI sharedDataFile throws instead.
    it.skipIf(file === null)(
      `${name} shows ${expected} decimals (${file === null ? sharedDataSkipReason : 'real data'})`,
      () => {
        const { candles } = parseCandlesCsv(readFileSync(file!, 'utf8'));
        expect(detectCandleDecimals(candles)).toBe(expected);
      },
    );
  }
});
