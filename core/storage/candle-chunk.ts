// The on-disk form of a run of candles: six float64 columns (time, open, high, low, close, volume)
// packed one after another, little-endian, in time order. Times are unique within a chunk.
import { allocateCandleColumns, type CandleColumns, candleFields } from './candle-columns.ts';

export const bytesPerBar = candleFields.length * Float64Array.BYTES_PER_ELEMENT;

export function encodeChunk(candles: CandleColumns, start: number, end: number): Buffer {
  const count = end - start;
  const packed = new Float64Array(count * candleFields.length);
  candleFields.forEach((field, column) => packed.set(candles[field].subarray(start, end), column * count));
  return Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
}

/** Copies the chunk's bars into `target` starting at `offset`, keeping only from <= time <= to. */
export function decodeChunkInto(
  blob: Uint8Array,
  count: number,
  target: CandleColumns,
  offset: number,
  from: number,
  to: number,
): number {
  const packed = float64View(blob, count * candleFields.length);
  const times = packed.subarray(0, count);
  const first = lowerBound(times, from);
  const end = upperBoundInclusive(times, to, first);
  const kept = end - first;
  candleFields.forEach((field, column) =>
    target[field].set(packed.subarray(column * count + first, column * count + end), offset),
  );
  return kept;
}

export function decodeChunk(blob: Uint8Array, count: number): CandleColumns {
  const candles = allocateCandleColumns(count);
  decodeChunkInto(blob, count, candles, 0, -Infinity, Infinity);
  return candles;
}

/** A Float64Array over the blob's bytes: a view when 8-byte aligned, else one aligned copy. */
function float64View(blob: Uint8Array, length: number): Float64Array {
  if (blob.byteOffset % Float64Array.BYTES_PER_ELEMENT === 0) {
    return new Float64Array(blob.buffer, blob.byteOffset, length);
  }
  const aligned = new Float64Array(length);
  new Uint8Array(aligned.buffer).set(blob.subarray(0, length * Float64Array.BYTES_PER_ELEMENT));
  return aligned;
}

/** First index whose time is >= value. */
export function lowerBound(times: Float64Array, value: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index at or after `start` whose time is > value. */
function upperBoundInclusive(times: Float64Array, value: number, start: number): number {
  let low = start;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** How many of the chunk's bars have from <= time <= to, reading only its time column. */
export function countChunkInRange(blob: Uint8Array, count: number, from: number, to: number): number {
  const times = float64View(blob, count);
  const first = lowerBound(times, from);
  return upperBoundInclusive(times, to, first) - first;
}
