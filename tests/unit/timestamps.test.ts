import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../core/data/timestamps.ts';

describe('parseTimestamp', () => {
  it.each([
    ['2004-08-19', Date.UTC(2004, 7, 19) / 1000],
    ['2017-04-19 09:00:00', Date.UTC(2017, 3, 19, 9) / 1000],
    ['2017-04-19T09:00', Date.UTC(2017, 3, 19, 9) / 1000],
    ['2024-01-01T00:00:00Z', 1704067200],
    ['2024-01-01T02:00:00+02:00', 1704067200],
    ['1704067200', 1704067200],
    ['1704067200000', 1704067200],
  ])('%s → %d', (text, expected) => expect(parseTimestamp(text)).toBe(expected));

  it.each(['2024-13-01', '2024-02-30', '2024-01-01 25:00:00', 'yesterday', '', '-5', '2024/01/01'])(
    'refuses %s',
    (text) => expect(parseTimestamp(text)).toBeNull(),
  );

  it('property: every UTC second from 1970 to 2100 round-trips through its ISO form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
        const iso = new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
        expect(parseTimestamp(iso)).toBe(seconds);
        expect(parseTimestamp(iso.slice(0, 19).replace('T', ' '))).toBe(seconds);
      }),
    );
  });
});
