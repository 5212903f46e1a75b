// Number formats shared by stats, tables and comparisons; null means "not defined" (e.g. a profit
// factor with no losing trade), shown as a dash rather than a misleading 0 or Infinity.
export function formatPct(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '—' : `${value.toFixed(digits)} %`;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined
    ? '—'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatTime(epochSeconds: number): string {
  const iso = new Date(epochSeconds * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : formatIsoMinute(iso);
}

/** An ISO timestamp (when something was saved or updated) to the minute: "2026-11-30 02:17". */
export function formatIsoMinute(iso: string): string {
  return iso.slice(0, 16).replace('T', ' ');
}
