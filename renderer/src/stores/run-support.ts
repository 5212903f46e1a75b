// What the Backtest and Optimizer stores both need around a run: its id, the stored series it ran
// on (for charts and "apply to a backtest"), and telling a cancel from a failure.
import { timeframes, type Timeframe } from '../../../core/contract/calls.ts';
import { CallFailure } from '../api/client.ts';

/** The stored series a run used; null for an uploaded CSV. */
export type RunSeries = { symbol: string; timeframe: Timeframe } | null;

/** An id for progress events and cancel: `prefix`, the time, and a random tail. */
export function newRunId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** The series of a saved run, as its summary records it. */
export function seriesOfSaved(
  summary: { symbol: string | null; timeframe: string | null } | null,
): RunSeries {
  const timeframe = timeframes.find((candidate) => candidate === summary?.timeframe);
  return summary?.symbol && timeframe ? { symbol: summary.symbol, timeframe } : null;
}

/** The series a run was asked to use. */
export function seriesOfRequest(
  data: { source: 'csv' } | { source: 'stored'; symbol: string; timeframe: Timeframe },
): RunSeries {
  return data.source === 'stored' ? { symbol: data.symbol, timeframe: data.timeframe } : null;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof CallFailure && error.error.code === 'cancelled';
}
