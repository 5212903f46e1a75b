// A million-bar equity curve is ~50 MB as JSON: far more than a chart can show. The UI gets at
// most `maxPoints` points, keeping in each bucket the bar with the deepest drawdown so the worst
// fall is never smoothed away. Metrics are always computed on the full curve first.
import type { EquityCurve } from './spec.ts';

export function thinEquityCurve(curve: EquityCurve, maxPoints: number): EquityCurve {
  const length = curve.time.length;
  if (length <= maxPoints || maxPoints < 2) return curve;
  const thinned: EquityCurve = { time: [], equity: [], drawdownPct: [] };
  const take = (index: number) => {
    thinned.time.push(curve.time[index]!);
    thinned.equity.push(curve.equity[index]!);
    thinned.drawdownPct.push(curve.drawdownPct[index]!);
  };
  // First and last bars are always kept; the buckets cover the bars between them.
  const buckets = maxPoints - 2;
  take(0);
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = 1 + Math.floor((bucket * (length - 2)) / buckets);
    const end = 1 + Math.floor(((bucket + 1) * (length - 2)) / buckets);
    let deepest = start;
    for (let i = start + 1; i < end; i++)
      if (curve.drawdownPct[i]! < curve.drawdownPct[deepest]!) deepest = i;
    if (start < end) take(deepest);
  }
  take(length - 1);
  return thinned;
}
