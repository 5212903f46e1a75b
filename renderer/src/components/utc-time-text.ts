// The Backtest form's period, as people type it: a UTC date, optionally with a time. Bars are
// stamped in UTC everywhere in AUTOBOT, so the period is too; a local-time picker would shift the
// range by the user's offset and silently drop or add a day of bars.

const pattern = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export type PeriodEdge = 'from' | 'to';

export type ParsedTime = { ok: true; value: number | undefined } | { ok: false; message: string };

/**
 * Epoch seconds for the text, '' meaning "no bound". A bare date is the whole day: `from` starts at
 * its midnight, `to` ends at its last second, so "2020-01-01 … 2020-12-31" includes both days' bars.
 */
export function parseUtcTimeText(text: string, edge: PeriodEdge): ParsedTime {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  const match = pattern.exec(trimmed);
  const refuse = {
    ok: false as const,
    message: `${edge}: write a UTC date as YYYY-MM-DD, optionally with a time HH:MM`,
  };
  if (!match) return refuse;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(millis);
  // Date.UTC rolls 2021-02-30 over to March 2: refuse instead of moving the user's bound.
  if (
    back.getUTCFullYear() !== year ||
    back.getUTCMonth() !== month - 1 ||
    back.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return { ok: false, message: `${edge}: ${trimmed} is not a date on the calendar` };
  const dateOnly = match[4] === undefined;
  const seconds = millis / 1000;
  return { ok: true, value: dateOnly && edge === 'to' ? seconds + 86_399 : seconds };
}

/** The text for a bar time: the date alone at midnight, else date and time (seconds when present). */
export function formatUtcTimeText(epochSeconds: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  if (time === '00:00:00') return date;
  return `${date} ${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}
