// Dates the vendor types (`license issue --expires 2027-01-31`) are checked field by field: the
// Date parser rolls impossible days over (2027-02-30 silently becomes 2 March), and a licence must
// never end on a day nobody asked for.

export interface CalendarDay {
  year: number;
  /** 1–12 */
  month: number;
  /** 1–31 */
  day: number;
}

const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Days in a month of the proleptic Gregorian calendar (the one ISO 8601 and Date use). */
export function daysInMonth(year: number, month: number): number {
  // Arithmetic, not Date.UTC: Date maps the years 0–99 to 1900–1999.
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export type CalendarDayResult = { ok: true; value: CalendarDay } | { ok: false; message: string };

/** Parses exactly `YYYY-MM-DD` and refuses a day that does not exist, saying why. */
export function parseCalendarDay(text: string): CalendarDayResult {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return { ok: false, message: `"${text}" is not a date in the form YYYY-MM-DD.` };
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) {
    return { ok: false, message: `"${text}" is not a real date: there is no month ${match[2]}.` };
  }
  const last = daysInMonth(year, month);
  if (day < 1 || day > last) {
    return {
      ok: false,
      message: `"${text}" is not a real date: ${monthNames[month - 1]} ${year} has ${last} days.`,
    };
  }
  return { ok: true, value: { year, month, day } };
}

export function formatCalendarDay({ year, month, day }: CalendarDay): string {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}
