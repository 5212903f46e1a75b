// Progress and cancellation for the bar loops, checked every 65,536 bars: often enough for a
// progress bar, rare enough to cost nothing per bar.
import { AutobotError } from '../domain/autobot-error.ts';

/** Loops call the ticker when (i & progressMask) === 0. */
export const progressMask = 0xffff;

export type Ticker = (bar: number) => void;

export interface ProgressOptions {
  /** Fraction of bars done, 0 … 1. */
  onProgress?: ((fraction: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export function cancelledError(): AutobotError {
  return new AutobotError('cancelled', 'The backtest was cancelled.');
}

/** A ticker reporting progress over `bars` and throwing `cancelled` once the signal aborts; null if nobody listens. */
export function makeTicker(bars: number, options: ProgressOptions): Ticker | null {
  const { onProgress, signal } = options;
  if (onProgress === undefined && signal === undefined) return null;
  return (bar) => {
    if (signal?.aborted) throw cancelledError();
    onProgress?.(bars > 0 ? bar / bars : 1);
  };
}
