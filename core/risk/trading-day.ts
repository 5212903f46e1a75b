// The trading day the daily-loss breaker counts in: a day starts at a configurable UTC time
// (default 00:00), so a forex desk can end its day at 22:00 UTC (17:00 New York) instead.
const dayMs = 86_400_000;

/** "HH:MM" (UTC) as minutes after midnight; throws naming the value when it is not a time of day. */
export function parseDayStart(text: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (match === null) throw new RangeError(`day start must be HH:MM in UTC (00:00 to 23:59), got "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Which trading day epoch-ms `time` falls in (a day number, for comparing). */
export function tradingDay(time: number, startMinutes: number): number {
  return Math.floor((time - startMinutes * 60_000) / dayMs);
}

/** Epoch ms when the trading day after the one `time` falls in begins. */
export function nextTradingDay(time: number, startMinutes: number): number {
  return (tradingDay(time, startMinutes) + 1) * dayMs + startMinutes * 60_000;
}

/**
 * Epoch ms [out[0], out[1]) inside which tradingDay gives `day`, for a loop that skips bars within
 * one trading day. tradingDay is monotone in time (each rounding step is), so checking both ends
 * with it proves every time between; the ends are pulled in a hair (about a millisecond) so that
 * rounding at the boundary cannot put a time inside on the wrong day. An empty window when the
 * check fails (or `day` is NaN): every bar is then judged one by one.
 */
export function tradingDayWindow(day: number, startMinutes: number, out: Float64Array): void {
  const start = day * dayMs + startMinutes * 60_000;
  const from = start + Math.abs(start) * 1e-12;
  const end = start + dayMs;
  const to = end - Math.abs(end) * 1e-12;
  const ok = tradingDay(from, startMinutes) === day && tradingDay(to, startMinutes) === day;
  out[0] = ok ? from : Number.POSITIVE_INFINITY;
  out[1] = ok ? to : Number.NEGATIVE_INFINITY;
}
