// Coarser bars from finer ones: every timeframe a chart or a backtest may ask for is derived from
// the one a user imported. Buckets are aligned to fixed UTC boundaries (minutes and hours to the
// epoch, days to 00:00 UTC, weeks to Monday 00:00 UTC, months to the 1st), so resampling in steps
// (1m → 1h → 1d) gives exactly the bars of resampling at once (1m → 1d): every coarse boundary is
// also a boundary of each finer timeframe between them.
import type { Timeframe } from '../domain/timeframe.ts';
import { allocateCandleColumns, sliceCandles, type CandleColumns } from '../storage/candle-columns.ts';
import { timeframeSeconds } from '../storage/timeframe-seconds.ts';

const day = 86_400;
/** 1970-01-01 was a Thursday: the first Monday 00:00 UTC is four days after the epoch. */
const firstMonday = 4 * day;

/** The open time of the `timeframe` bar that holds `time` (epoch seconds, UTC). */
export function bucketStart(time: number, timeframe: Timeframe): number {
  if (timeframe === '1M') {
    const date = new Date(time * 1000);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / 1000;
  }
  if (timeframe === '1w') return Math.floor((time - firstMonday) / 604_800) * 604_800 + firstMonday;
  const span = timeframeSeconds(timeframe);
  return Math.floor(time / span) * span;
}

/**
 * Whether every `coarse` bar is a whole number of `fine` bars, i.e. `coarse` can be derived from
 * `fine`. Weeks do not divide months, so 1M derives from days and finer, never from 1w.
 */
export function canDerive(fine: Timeframe, coarse: Timeframe): boolean {
  if (fine === coarse) return false;
  if (coarse === '1M') return fine !== '1w' && timeframeSeconds(fine) <= day;
  if (fine === '1M') return false;
  const fineSpan = timeframeSeconds(fine);
  const coarseSpan = timeframeSeconds(coarse);
  if (coarse === '1w') return fineSpan <= day && day % fineSpan === 0;
  if (fine === '1w') return false;
  return coarseSpan > fineSpan && coarseSpan % fineSpan === 0;
}

/**
 * Bars of `candles` (time-sorted, unique times) gathered into `timeframe` buckets: the open of the
 * first bar, the highest high, the lowest low, the close of the last bar and the summed volume. A
 * bucket with no bar (a gap: a weekend, a halt) produces no bar, as an exchange's own candles do.
 */
export function resample(candles: CandleColumns, timeframe: Timeframe): CandleColumns {
  const length = candles.time.length;
  const out = allocateCandleColumns(length);
  let count = -1;
  // Bars are time-sorted: a new bucket starts only once a bar reaches the current one's end, so the
  // bucket arithmetic (a Date for months) runs once per coarse bar, not once per fine bar.
  let end = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i++) {
    const time = candles.time[i]!;
    if (time >= end) {
      const start = bucketStart(time, timeframe);
      end = nextBucketStart(start, timeframe);
      count++;
      out.time[count] = start;
      out.open[count] = candles.open[i]!;
      out.high[count] = candles.high[i]!;
      out.low[count] = candles.low[i]!;
      out.close[count] = candles.close[i]!;
      out.volume[count] = candles.volume[i]!;
      continue;
    }
    if (candles.high[i]! > out.high[count]!) out.high[count] = candles.high[i]!;
    if (candles.low[i]! < out.low[count]!) out.low[count] = candles.low[i]!;
    out.close[count] = candles.close[i]!;
    out.volume[count] = out.volume[count]! + candles.volume[i]!;
  }
  return sliceCandles(out, 0, count + 1);
}

/** The open time of the `timeframe` bar after the one opening at `start`. */
export function nextBucketStart(start: number, timeframe: Timeframe): number {
  if (timeframe === '1M') {
    const date = new Date(start * 1000);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 1000;
  }
  return start + timeframeSeconds(timeframe);
}
