// Trendbar history: cTrader sends each bar as a low plus deltas (all × 10⁻⁵) and a start in
// minutes, and limits how much time one request may span (M1–M5 3.5 days, M10–H1 245 days,
// H4–D1 366 days, W1/MN1 1,830 days). Longer ranges are split into windows of that size.
import type { Timeframe } from '../../domain/timeframe.ts';
import type { Bar } from '../../domain/bar.ts';
import { readInt64, relativeToPrice } from './scaling.ts';

const day = 86_400_000;

/** Our timeframe → cTrader's ProtoOATrendbarPeriod number. */
export const trendbarPeriod: Record<Timeframe, number> = {
  '1m': 1,
  '5m': 5,
  '15m': 7,
  '30m': 8,
  '1h': 9,
  '4h': 10,
  '1d': 12,
  '1w': 13,
  '1M': 14,
};

/** The longest span one GetTrendbarsReq may cover for `timeframe`, in ms. */
export function trendbarWindowMs(timeframe: Timeframe): number {
  switch (timeframe) {
    case '1m':
    case '5m':
      return 3.5 * day;
    case '15m':
    case '30m':
    case '1h':
      return 245 * day;
    case '4h':
    case '1d':
      return 366 * day;
    case '1w':
    case '1M':
      return 1830 * day;
  }
}

/** [from, to) split into consecutive windows no longer than the limit for `timeframe`. */
export function trendbarWindows(timeframe: Timeframe, from: number, to: number): [number, number][] {
  if (!(Number.isFinite(from) && Number.isFinite(to) && from < to))
    throw new RangeError(`trendbar range must have from < to, got ${from} → ${to}`);
  const size = trendbarWindowMs(timeframe);
  const windows: [number, number][] = [];
  for (let start = from; start < to; start += size) windows.push([start, Math.min(to, start + size)]);
  return windows;
}

/** One ProtoOATrendbar → a bar (time in epoch seconds, prices unscaled, volume in units). */
export function decodeTrendbar(raw: Record<string, unknown>): Bar {
  const low = readInt64(raw.low, 'trendbar.low');
  const price = (delta: unknown, field: string) =>
    relativeToPrice(low + readInt64(delta ?? 0, `trendbar.${field}`), `trendbar.${field}`);
  return {
    time: readInt64(raw.utcTimestampInMinutes, 'trendbar.utcTimestampInMinutes') * 60,
    open: price(raw.deltaOpen, 'deltaOpen'),
    high: price(raw.deltaHigh, 'deltaHigh'),
    low: relativeToPrice(low, 'trendbar.low'),
    close: price(raw.deltaClose, 'deltaClose'),
    // Trendbar volume is a tick count in cTrader's docs; kept as sent, unscaled.
    volume: raw.volume === undefined ? 0 : readInt64(raw.volume, 'trendbar.volume'),
  };
}

/** Used by tests and the peer: a bar → the wire shape. */
export function encodeTrendbar(bar: Bar, period: number): Record<string, unknown> {
  const scale = (price: number) => Math.round(price * 100_000);
  const low = scale(bar.low);
  return {
    period,
    low,
    deltaOpen: scale(bar.open) - low,
    deltaHigh: scale(bar.high) - low,
    deltaClose: scale(bar.close) - low,
    volume: bar.volume,
    utcTimestampInMinutes: Math.floor(bar.time / 60),
  };
}
