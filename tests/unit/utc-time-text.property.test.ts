import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatUtcTimeText, parseUtcTimeText } from '../../renderer/src/components/utc-time-text.ts';

// Bar times as the app stores them: whole minutes from 1970 to 2099.
const barTime = fc.integer({ min: 0, max: Math.floor(Date.UTC(2099, 11, 31) / 60_000) }).map((m) => m * 60);

describe('the Backtest period as typed text (UTC)', () => {
  test('a bar time written by the form reads back as the same bound on either edge, so a filled period keeps its first and last bar', () => {
    fc.assert(
      fc.property(barTime, (time) => {
        const text = formatUtcTimeText(time);
        const from = parseUtcTimeText(text, 'from');
        const to = parseUtcTimeText(text, 'to');
        expect(from).toEqual({ ok: true, value: time });
        // A midnight bar is written as its date: `to` then covers the whole day, the bar included.
        expect(to.ok && to.value! >= time && to.value! < time + 86_400).toBe(true);
      }),
    );
  });

  test('a bare date spans the whole day; a time is exact', () => {
    expect(parseUtcTimeText('2020-03-01', 'from')).toEqual({ ok: true, value: Date.UTC(2020, 2, 1) / 1000 });
    expect(parseUtcTimeText('2020-03-01', 'to')).toEqual({
      ok: true,
      value: Date.UTC(2020, 2, 1) / 1000 + 86_399,
    });
    expect(parseUtcTimeText(' 2020-03-01 14:30 ', 'to')).toEqual({
      ok: true,
      value: Date.UTC(2020, 2, 1, 14, 30) / 1000,
    });
    expect(parseUtcTimeText('', 'from')).toEqual({ ok: true, value: undefined });
  });

  test('text that is not a calendar date is refused naming the field, never rolled over', () => {
    expect(parseUtcTimeText('2021-02-30', 'to')).toEqual({
      ok: false,
      message: 'to: 2021-02-30 is not a date on the calendar',
    });
    expect(parseUtcTimeText('2021-01-01 24:00', 'from')).toMatchObject({ ok: false });
    expect(parseUtcTimeText('01/02/2021', 'from')).toEqual({
      ok: false,
      message: 'from: write a UTC date as YYYY-MM-DD, optionally with a time HH:MM',
    });
  });
});
