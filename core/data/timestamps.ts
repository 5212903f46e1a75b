// Bar times arrive as dates, datetimes or epoch numbers; inside AUTOBOT a bar time is always
// epoch seconds UTC. A date/time without an offset is read as UTC, never as the machine's zone,
// so an import gives the same bars on every computer.

const isoLike = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;
/** Epoch values at or above this are milliseconds (as seconds they would be after the year 5000). */
const millisecondThreshold = 1e11;

export function parseTimestamp(text: string): number | null {
  const match = isoLike.exec(text);
  if (match) {
    const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
    const year = Number(y),
      month = Number(mo),
      day = Number(d);
    const hour = Number(h),
      minute = Number(mi),
      second = Number(s);
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    // Date.UTC rolls 2021-02-30 over into March: refuse such dates instead.
    if (new Date(ms).getUTCDate() !== day) return null;
    return ms / 1000;
  }
  if (/^\d+(\.\d+)?$/.test(text)) {
    const value = Number(text);
    const seconds = value >= millisecondThreshold ? value / 1000 : value;
    return Math.floor(seconds);
  }
  // Full ISO 8601 with an offset or Z, e.g. 2024-01-02T03:04:05+02:00.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
  }
  return null;
}
