import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWithSeries, needsConfirmation, sampleBars } from '../../core/data/series-compatibility.ts';

const day = 86_400;
const bars = (count: number, step: number, close: number) =>
  sampleBars(
    Array.from({ length: count }, (_, i) => i * step),
    Array.from({ length: count }, () => close),
  );

describe('compareWithSeries', () => {
  it('finds nothing when spacing, timeframe and price level agree', () => {
    expect(compareWithSeries(bars(100, day, 105), '1d', bars(100, day, 100))).toEqual([]);
    expect(compareWithSeries(bars(100, day, 105), '1d', null)).toEqual([]);
  });

  it('names every difference of monthly BTCUSD against daily GOOG', () => {
    const differences = compareWithSeries(bars(40, 30 * day, 6000), '1d', bars(100, day, 500));
    expect(differences.map((d) => d.field)).toEqual(['timeframe', 'spacing', 'price']);
    const error = needsConfirmation(
      { symbol: 'GOOG', timeframe: '1d', exists: true, fileName: 'BTCUSD.csv' },
      differences,
    );
    expect(error.code).toBe('needs_confirmation');
    expect(error.message).toBe(
      'BTCUSD.csv does not look like the stored series GOOG 1d: its bars are 30 days apart (1M), not 1d; ' +
        "the stored bars are 1 day apart, the file's 30 days; the stored closes are around 500, the file's around 6,000. Import anyway?",
    );
    expect(error.issues).toEqual([{ path: 'confirm', message: error.message }]);
  });

  it('property: price levels within ×3 of each other pass, beyond ×3 ask', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1e6, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (level, factor) => {
          const differences = compareWithSeries(bars(50, day, level * factor), '1d', bars(50, day, level));
          const asks = differences.some((d) => d.field === 'price');
          if (factor > 3.0001 || factor < 1 / 3.0001) expect(asks).toBe(true);
          if (factor < 2.9999 && factor > 1 / 2.9999) expect(asks).toBe(false);
        },
      ),
    );
  });
});
