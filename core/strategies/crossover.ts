import { liveSeriesBehind } from './live-series.ts';

/** `a` crossed above `b` on bar i: below it on bar i − 1, above it on bar i. NaN (warm-up) never crosses. */
export function crossedAbove(a: Float64Array, b: Float64Array, i: number): boolean {
  return i > 0 && a[i - 1]! < b[i - 1]! && a[i]! > b[i]!;
}

/**
 * 1 when `a` crossed above `b` on bar i, −1 when it crossed below, else 0: `crossedAbove(a, b, i)`
 * and `crossedAbove(b, a, i)` in one look at the four values. On the live path it reads the series
 * behind the views (live-series.ts): one fast trap per series instead of a slow one per value.
 */
export function crossing(a: Float64Array, b: Float64Array, i: number): -1 | 0 | 1 {
  if (i <= 0) return 0;
  const liveA = liveSeriesBehind(a);
  const liveB = liveSeriesBehind(b);
  const a0 = liveA === undefined ? a[i - 1]! : liveA.at(i - 1);
  const b0 = liveB === undefined ? b[i - 1]! : liveB.at(i - 1);
  if (!(a0 < b0 || b0 < a0)) return 0;
  const a1 = liveA === undefined ? a[i]! : liveA.at(i);
  const b1 = liveB === undefined ? b[i]! : liveB.at(i);
  if (a0 < b0) return a1 > b1 ? 1 : 0;
  return b1 > a1 ? -1 : 0;
}
