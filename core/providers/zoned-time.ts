// Providers stamp intraday bars in the exchange's wall-clock time ("2024-05-01 15:55:00",
// US/Eastern). Storage keeps UTC epoch seconds, so the wall time is converted with the zone's
// offset at that instant, daylight saving included, using Intl (no time-zone library needed).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The zone's offset from UTC in ms at the instant `epochMs`. */
function offsetAt(epochMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(epochMs)))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/**
 * "YYYY-MM-DD" or "YYYY-MM-DD HH:MM[:SS]" in `timeZone` → epoch seconds, or null when the text is
 * not such a time. A date alone is that day's midnight UTC, as a CSV's dates are stored.
 */
export function wallTimeToEpoch(text: string, timeZone: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s] = match;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  );
  if (!Number.isFinite(wall)) return null;
  if (h === undefined || timeZone === 'UTC') return wall / 1000;
  let epoch = wall - offsetAt(wall, timeZone);
  // Once more with the offset at the corrected instant (the two differ only across a DST change).
  epoch = wall - offsetAt(epoch, timeZone);
  return epoch / 1000;
}
