import type { Timeframe } from '../contract/calls.ts';

/** Nominal length of a bar; months count as 30 days (only used to size storage chunks). */
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
