// Bar times outside 1970-01-01 … 2100-01-01 are refused with their line: before this check a
// 400-digit epoch was stored as Infinity and counted by candles.list though no read returned it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvRejected, latestBarTime, parseCandlesCsv } from '../../core/data/csv-candles.ts';

const header = 'time,open,high,low,close,volume';
const row = (time: string) => `${time},10,12,9,11,100`;

function refusal(csv: string): CsvRejected {
  try {
    parseCandlesCsv(csv);
  } catch (error) {
    if (error instanceof CsvRejected) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('bar time range', () => {
  it.each([
    ['a 400-digit epoch', '9'.repeat(400)],
    ['a date before 1970', '1969-12-31'],
    ['a date after 2100', '2100-01-02'],
    ['an epoch in milliseconds after 2100', String((latestBarTime + 1) * 1000)],
  ])('refuses %s with its line number', (_, time) => {
    const error = refusal([header, row('2020-01-01'), row(time)].join('\n'));
    expect(error.detail).toEqual({ line: 3, field: 'time' });
    expect(error.message).toMatch(/^Line 3, field "time": ".*" is outside 1970-01-01 … 2100-01-01$/);
  });

  it('accepts both ends of the range', () => {
    const { candles, length } = parseCandlesCsv([header, row('1970-01-01'), row('2100-01-01')].join('\n'));
    expect(Array.from(candles.time.subarray(0, length))).toEqual([0, latestBarTime]);
  });

  it('property: every parsed time is within the range, any out-of-range epoch is refused at its line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: latestBarTime }),
            fc.bigInt({ min: BigInt(latestBarTime) + 1n, max: 10n ** 60n }),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (values) => {
          const sorted = [...new Set(values.map(String))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
          const csv = [header, ...sorted.map(row)].join('\n');
          // Epochs of 1e11 and more are read as milliseconds, so the first refused one is the first
          // whose value in seconds passes 2100.
          const seconds = sorted.map((v) => (BigInt(v) >= 100_000_000_000n ? Number(v) / 1000 : Number(v)));
          const firstBad = seconds.findIndex((s) => Math.floor(s) > latestBarTime);
          if (firstBad === -1) {
            const { candles, length } = parseCandlesCsv(csv);
            for (let i = 0; i < length; i++)
              expect(candles.time[i]! >= 0 && candles.time[i]! <= latestBarTime).toBe(true);
          } else {
            try {
              parseCandlesCsv(csv);
              expect.unreachable('an out-of-range time was accepted');
            } catch (error) {
              // Flooring milliseconds can make two distinct epochs one second: then "duplicate" may come first.
              expect((error as CsvRejected).detail!.line as number).toBeLessThanOrEqual(firstBad + 2);
            }
          }
        },
      ),
    );
  });
});
