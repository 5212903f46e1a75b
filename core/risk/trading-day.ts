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
