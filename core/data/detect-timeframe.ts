// Which timeframe a run of bar times is, from the median gap between consecutive bars. The median,
// not the smallest or the mean: weekends, holidays and missing bars make some gaps longer, a few
// odd rows make some shorter, and neither should change the answer.
import type { Timeframe } from '../domain/timeframe.ts';
import { timeframeSecondsTable } from '../storage/timeframe-seconds.ts';

const day = 86_400;
/** How far a median gap may sit from a timeframe's nominal length and still be that timeframe. */
const tolerance = 1.25;

/** The median of the positive gaps between consecutive times, or null with fewer than two bars. */
export function medianSpacing(times: ArrayLike<number>, length = times.length): number | null {
  const gaps: number[] = [];
  for (let i = 1; i < length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const middle = gaps.length >> 1;
  return gaps.length % 2 ? gaps[middle]! : (gaps[middle - 1]! + gaps[middle]!) / 2;
}

/** Whether bars `spacing` seconds apart are bars of `timeframe`. */
export function spacingFits(spacing: number, timeframe: Timeframe): boolean {
  // Calendar months are 28 to 31 days long; a median of two months can land half-way.
  if (timeframe === '1M') return spacing >= 28 * day && spacing <= 31 * day;
  const nominal = timeframeSecondsTable[timeframe];
  return spacing >= nominal / tolerance && spacing <= nominal * tolerance;
}

/** The timeframe bars `spacing` seconds apart belong to, or null when none fits (e.g. 2-hour bars). */
export function timeframeForSpacing(spacing: number): Timeframe | null {
  for (const timeframe of Object.keys(timeframeSecondsTable) as Timeframe[]) {
    if (spacingFits(spacing, timeframe)) return timeframe;
  }
  return null;
}

export function detectTimeframe(times: ArrayLike<number>, length = times.length): Timeframe | null {
  const spacing = medianSpacing(times, length);
  return spacing === null ? null : timeframeForSpacing(spacing);
}

/** "1 day", "30 days", "4 hours", "15 minutes", "45 seconds": a gap in words for messages. */
export function describeSpacing(seconds: number): string {
  const units: Array<[string, number]> = [
    ['day', day],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (seconds >= size) {
      const count = Math.round((seconds / size) * 10) / 10;
      return `${count} ${unit}${count === 1 ? '' : 's'}`;
    }
  }
  return `${Math.round(seconds)} second${Math.round(seconds) === 1 ? '' : 's'}`;
}
