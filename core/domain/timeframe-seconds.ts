// Nominal bar lengths, in the domain module (the contract re-exports them for the renderer, which
// may import only the contract), so the core and the renderer share one table. Months count as 30
// days: the table sizes storage chunks and spaces bars on a chart axis; calendar months are handled
// where they matter (core/data/resample.ts).
import type { Timeframe } from './timeframe.ts';

export const timeframeSecondsTable: Record<Timeframe, number> = {
  '1m': 60,
  '5m': 300,
  '15m': 900,
  '30m': 1800,
  '1h': 3600,
  '4h': 14_400,
  '1d': 86_400,
  '1w': 604_800,
  '1M': 2_592_000,
};

export function timeframeSeconds(timeframe: Timeframe): number {
  return timeframeSecondsTable[timeframe];
}
