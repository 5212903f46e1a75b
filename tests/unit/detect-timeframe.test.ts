import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeframes, type Timeframe } from '../../core/contract/calls.ts';
import {
  describeSpacing,
  detectTimeframe,
  medianSpacing,
  timeframeForSpacing,
} from '../../core/data/detect-timeframe.ts';
import { timeframeSecondsTable } from '../../core/storage/timeframe-seconds.ts';

const day = 86_400;

describe('detectTimeframe', () => {
  it('reads daily stock bars with weekends and holidays as 1d', () => {
    const times: number[] = [];
    for (let d = 0; times.length < 300; d++) {
      const weekday = (d + 3) % 7; // 1970-01-01 was a Thursday
      if (weekday < 5 && d % 61 !== 0) times.push(d * day);
    }
    expect(detectTimeframe(times)).toBe('1d');
  });

  it('reads calendar months (28 to 31 days) as 1M', () => {
    const times = Array.from({ length: 40 }, (_, i) => Date.UTC(2012, i, 1) / 1000);
    expect(detectTimeframe(times)).toBe('1M');
  });

  it('has no answer for spacings between timeframes or for fewer than two bars', () => {
    expect(timeframeForSpacing(2 * 3600)).toBeNull();
    expect(timeframeForSpacing(3 * day)).toBeNull();
    expect(detectTimeframe([1_700_000_000])).toBeNull();
    expect(medianSpacing([])).toBeNull();
  });

  it('property: bars spaced at a timeframe, with some missing, are that timeframe', () => {
    const nominal = (timeframe: Timeframe) =>
      timeframe === '1M' ? 30 * day : timeframeSecondsTable[timeframe];
    fc.assert(
      fc.property(
        fc.constantFrom(...timeframes),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 200 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        (timeframe, kept, start) => {
          // At most a third missing: the median gap stays one bar.
          const keep = kept.map((k, i) => k || i % 3 !== 0);
          const times = keep.flatMap((k, i) => (k ? [start + i * nominal(timeframe)] : []));
          expect(detectTimeframe(times)).toBe(timeframe);
        },
      ),
    );
  });

  it('property: the answer does not change when a few odd gaps are added', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...timeframes.filter((t) => t !== '1M')),
        fc.array(fc.integer({ min: 1, max: 10 * day }), { maxLength: 5 }),
        (timeframe, odd) => {
          const step = timeframeSecondsTable[timeframe];
          const times = Array.from({ length: 50 }, (_, i) => i * step);
          let last = times.at(-1)!;
          for (const gap of odd) times.push((last += gap));
          expect(detectTimeframe(times)).toBe(timeframe);
        },
      ),
    );
  });

  it('describes gaps in words', () => {
    expect(describeSpacing(day)).toBe('1 day');
    expect(describeSpacing(30 * day)).toBe('30 days');
    expect(describeSpacing(4 * 3600)).toBe('4 hours');
    expect(describeSpacing(300)).toBe('5 minutes');
  });
});
