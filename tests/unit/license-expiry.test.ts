// `license issue --expires`: a real calendar day means through its end (UTC); a day that does not
// exist is refused, never rolled over into the next month as Date would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth, formatCalendarDay, parseCalendarDay } from '../../core/license/calendar-day.ts';
import { parseExpiry } from '../../core/license/vendor.ts';

const year = fc.integer({ min: 1, max: 9999 });
const month = fc.integer({ min: 1, max: 12 });

describe('expiry dates', () => {
  it('property: every real YYYY-MM-DD round-trips and means the end of that day, UTC', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const text = date.toISOString().slice(0, 10);
          const parsed = parseCalendarDay(text);
          expect(parsed.ok && formatCalendarDay(parsed.value)).toBe(text);
          expect(parseExpiry(text).toISOString()).toBe(`${text}T23:59:59.999Z`);
        },
      ),
    );
  });

  it('property: every day past the end of its month, and day 00, is refused', () => {
    fc.assert(
      fc.property(year, month, fc.integer({ min: 0, max: 99 }), (y, m, d) => {
        fc.pre(d === 0 || d > daysInMonth(y, m));
        const text = formatCalendarDay({ year: y, month: m, day: d });
        expect(parseCalendarDay(text).ok).toBe(false);
        expect(() => parseExpiry(text)).toThrow(/not a real date/);
        expect(() => parseExpiry(`${text}T12:00:00Z`)).toThrow(/not a real date/);
      }),
    );
  });

  it('property: month 00 and months past 12 are refused', () => {
    fc.assert(
      fc.property(year, fc.oneof(fc.constant(0), fc.integer({ min: 13, max: 99 })), (y, m) => {
        expect(() => parseExpiry(formatCalendarDay({ year: y, month: m, day: 1 }))).toThrow(/no month/);
      }),
    );
  });

  it('says why, in the words of the calendar', () => {
    expect(() => parseExpiry('2027-02-30')).toThrow(
      '"2027-02-30" is not a real date: February 2027 has 28 days.',
    );
    expect(() => parseExpiry('2028-02-30')).toThrow('February 2028 has 29 days');
    expect(parseExpiry('2028-02-29').toISOString()).toBe('2028-02-29T23:59:59.999Z');
    expect(() => parseExpiry('2100-02-29')).toThrow('February 2100 has 28 days');
    expect(parseExpiry('2000-02-29').toISOString()).toBe('2000-02-29T23:59:59.999Z');
    expect(() => parseExpiry('2027-04-31')).toThrow('April 2027 has 30 days');
  });

  it('takes an ISO instant with a zone as given, and refuses impossible times or no zone', () => {
    expect(parseExpiry('2027-01-31T12:30:00Z').toISOString()).toBe('2027-01-31T12:30:00.000Z');
    expect(parseExpiry('2027-01-31T12:30:00.5+02:00').toISOString()).toBe('2027-01-31T10:30:00.500Z');
    expect(() => parseExpiry('2027-01-31T24:00:00Z')).toThrow(/not a real time/);
    expect(() => parseExpiry('2027-01-31T12:60Z')).toThrow(/not a real time/);
    expect(() => parseExpiry('2027-01-31T12:00:00')).toThrow(/not a date/);
    expect(() => parseExpiry('31/01/2027')).toThrow(/not a date/);
  });
});
