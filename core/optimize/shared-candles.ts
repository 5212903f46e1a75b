// Candles as one SharedArrayBuffer: the six columns laid end to end, each a Float64Array view.
// The host copies the candles in once; every worker then reads the same memory through its own
// views, so a million bars (48 MB) are never cloned per worker or per message.
import { candleFields, type CandleColumns } from '../storage/candle-columns.ts';

export interface SharedCandles {
  buffer: SharedArrayBuffer;
  /** Bars per column. */
  length: number;
}

const bytesPerValue = Float64Array.BYTES_PER_ELEMENT;

export function shareCandles(candles: CandleColumns): SharedCandles {
  const length = candles.time.length;
  const buffer = new SharedArrayBuffer(length * bytesPerValue * candleFields.length);
  candleFields.forEach((field, k) => {
    new Float64Array(buffer, k * length * bytesPerValue, length).set(candles[field]);
  });
  return { buffer, length };
}

/** Views over a shared buffer (no copy). */
export function sharedCandleColumns({ buffer, length }: SharedCandles): CandleColumns {
  const columns = {} as CandleColumns;
  candleFields.forEach((field, k) => {
    columns[field] = new Float64Array(buffer, k * length * bytesPerValue, length);
  });
  return columns;
}
