// Resampling is what every derived timeframe on the chart and in a backtest rests on: a daily bar
// must be the same whether it was built from minutes directly or from hours built from minutes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Timeframe } from '../../core/contract/calls.ts';
import { timeframes } from '../../core/contract/calls.ts';
import { bucketStart, canDerive, resample } from '../../core/data/resample.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';

/** Random 1-minute series with gaps (weekends, halts) across month and week boundaries. */
const minuteSeries = fc
  .record({
    start: fc.integer({ min: 0, max: 60_000_000 }),
    steps: fc.array(
      fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 60, max: 5000 })),
      {
        minLength: 1,
        maxLength: 600,
      },
    ),
    prices: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 600 * 4, maxLength: 600 * 4 }),
    volumes: fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 600, maxLength: 600 }),
  })
  .map(({ start, steps, prices, volumes }) => {
    const candles = allocateCandleColumns(steps.length);
    let minute = start;
    steps.forEach((step, i) => {
      minute += step;
      const [a, b, c, d] = prices.slice(i * 4, i * 4 + 4) as [number, number, number, number];
      candles.time[i] = minute * 60;
      candles.open[i] = a / 100;
      candles.close[i] = b / 100;
      candles.high[i] = Math.max(a, b, c, d) / 100;
      candles.low[i] = Math.min(a, b, c, d) / 100;
      // Whole volumes: their sums are exact in float64 whatever the order they are added in.
      candles.volume[i] = volumes[i]!;
    });
    return candles;
  });

function rows(candles: CandleColumns) {
  return Array.from(candles.time, (time, i) => [
    time,
    candles.open[i],
    candles.high[i],
    candles.low[i],
    candles.close[i],
    candles.volume[i],
  ]);
}

describe('resampling', () => {
  it('1m → 1h → 1d equals 1m → 1d exactly, gaps included', () => {
    fc.assert(
      fc.property(minuteSeries, (minutes) => {
        expect(rows(resample(resample(minutes, '1h'), '1d'))).toEqual(rows(resample(minutes, '1d')));
      }),
      { numRuns: 300 },
    );
  });

  it('every chain of derivable timeframes ends where the direct path does', () => {
    const chain = fc
      .subarray(
        [...timeframes].filter((t) => t !== '1m'),
        { minLength: 1 },
      )
      .map((picked) => picked.filter((t, i) => i === 0 || canDerive(picked[i - 1]!, t)))
      .filter((picked) => canDerive('1m', picked[0]!));
    fc.assert(
      fc.property(minuteSeries, chain, (minutes, steps) => {
        let stepped = minutes;
        for (const timeframe of steps) stepped = resample(stepped, timeframe);
        expect(rows(stepped)).toEqual(rows(resample(minutes, steps.at(-1)!)));
      }),
      { numRuns: 300 },
    );
  });

  it('each coarse bar opens with the first fine bar, closes with the last, spans the extremes and sums volume', () => {
    fc.assert(
      fc.property(
        minuteSeries,
        fc.constantFrom<Timeframe>('5m', '1h', '4h', '1d', '1w', '1M'),
        (minutes, tf) => {
          const coarse = resample(minutes, tf);
          let i = 0;
          for (let k = 0; k < coarse.time.length; k++) {
            const members: number[] = [];
            while (i < minutes.time.length && bucketStart(minutes.time[i]!, tf) === coarse.time[k])
              members.push(i++);
            expect(members.length).toBeGreaterThan(0);
            expect(coarse.open[k]).toBe(minutes.open[members[0]!]);
            expect(coarse.close[k]).toBe(minutes.close[members.at(-1)!]);
            expect(coarse.high[k]).toBe(Math.max(...members.map((m) => minutes.high[m]!)));
            expect(coarse.low[k]).toBe(Math.min(...members.map((m) => minutes.low[m]!)));
            expect(coarse.volume[k]).toBe(members.reduce((sum, m) => sum + minutes.volume[m]!, 0));
          }
          expect(i).toBe(minutes.time.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('aligns weeks to Monday 00:00 UTC and months to the 1st', () => {
    // 2024-01-03 is a Wednesday.
    const wednesday = Date.UTC(2024, 0, 3, 15, 30) / 1000;
    expect(new Date(bucketStart(wednesday, '1w') * 1000).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new Date(bucketStart(wednesday, '1M') * 1000).toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(new Date(bucketStart(wednesday, '4h') * 1000).toISOString()).toBe('2024-01-03T12:00:00.000Z');
    const leapDay = Date.UTC(2024, 1, 29, 23, 59) / 1000;
    expect(new Date(bucketStart(leapDay, '1M') * 1000).toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });

  it('knows which timeframes derive from which', () => {
    expect(canDerive('1m', '5m')).toBe(true);
    expect(canDerive('1h', '1d')).toBe(true);
    expect(canDerive('1d', '1w')).toBe(true);
    expect(canDerive('1d', '1M')).toBe(true);
    expect(canDerive('1w', '1M')).toBe(false);
    expect(canDerive('1h', '1m')).toBe(false);
    expect(canDerive('1d', '1d')).toBe(false);
    expect(canDerive('15m', '1h')).toBe(true);
    expect(canDerive('30m', '15m')).toBe(false);
  });
});
