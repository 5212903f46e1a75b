// The one formatter for prices and quantities (core/domain/price-format.ts), and the detection that
// feeds it its decimals: what a user reads in the CLI, the trade table, the chart axis and legend.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalsOf, roundTo } from '../../core/domain/decimals.ts';
import { detectCandleDecimals, detectPriceDecimals } from '../../core/domain/detect-precision.ts';
import { formatAtDecimals } from '../../core/domain/price-format.ts';

describe('formatAtDecimals', () => {
  it('prints exactly the decimals asked, without float noise, grouped when asked', () => {
    expect(formatAtDecimals(1.14, 5)).toBe('1.14000');
    expect(formatAtDecimals(1.07 + 0.00219, 5)).toBe('1.07219');
    expect(formatAtDecimals(39.682500000000005, 4)).toBe('39.6825');
    expect(formatAtDecimals(43_210.5, 2, { grouping: true })).toBe('43,210.50');
    expect(formatAtDecimals(-1_234_567.891, 2, { grouping: true })).toBe('-1,234,567.89');
    expect(formatAtDecimals(999.999, 2, { grouping: true })).toBe('1,000.00');
    expect(formatAtDecimals(12, 0, { grouping: true })).toBe('12');
    expect(formatAtDecimals(-0.001, 2)).toBe('0.00');
    expect(formatAtDecimals(Number.NaN, 2)).toBe('NaN');
  });

  it('is the value at those decimals, and grouping only adds commas (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e12, max: 1e12, noNaN: true }),
        fc.integer({ min: 0, max: 8 }),
        (value, decimals) => {
          const plain = formatAtDecimals(value, decimals);
          const grouped = formatAtDecimals(value, decimals, { grouping: true });
          expect(grouped.replaceAll(',', '')).toBe(plain);
          expect(Number(plain)).toBe(Object.is(roundTo(value, decimals), -0) ? 0 : roundTo(value, decimals));
          const fraction = plain.split('.')[1] ?? '';
          expect(fraction.length).toBe(decimals);
          expect(plain.startsWith('-0') && Number(plain) === 0).toBe(false);
          expect(grouped).toMatch(/^-?\d{1,3}(,\d{3})*(\.\d+)?$/);
        },
      ),
    );
  });
});

describe('detectPriceDecimals', () => {
  it('equals the most decimals any price carries, float noise aside (property)', () => {
    // The fast path (one multiplication per price) must agree with decimalsOf on every price,
    // including computed ones (noise in the last digits) and values beyond the cap.
    const price = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 8 }))
        .map(([units, decimals]) => Number((units / 10 ** decimals).toFixed(decimals))),
      fc
        .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 6 }))
        .map(([units, decimals]) => units * 10 ** -decimals),
      fc.double({ min: 0.0001, max: 100_000, noNaN: true }),
    );
    fc.assert(
      fc.property(fc.array(price, { minLength: 1, maxLength: 40 }), (prices) => {
        const expected = Math.min(8, Math.max(2, ...prices.map((p) => decimalsOf(p, 8))));
        expect(detectPriceDecimals(prices)).toBe(expected);
      }),
    );
  });

  it('reads EURUSD-like quotes at 5, BTC and shares at 2, over all four price columns', () => {
    const column = (values: number[]) => Float64Array.from(values);
    expect(
      detectCandleDecimals({
        open: column([1.0716, 1.07214]),
        high: column([1.0722, 1.07296]),
        low: column([1.07083, 1.07214]),
        close: column([1.07219, 1.0726]),
      }),
    ).toBe(5);
    // A low with a digit the closes lack still counts.
    expect(
      detectCandleDecimals({
        open: column([43_210.5]),
        high: column([43_300]),
        low: column([43_100.25]),
        close: column([43_250]),
      }),
    ).toBe(2);
    expect(
      detectCandleDecimals({
        open: column([100]),
        high: column([101]),
        low: column([99.125]),
        close: column([100]),
      }),
    ).toBe(3);
  });
});
