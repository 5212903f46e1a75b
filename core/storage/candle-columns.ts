/** Columnar candles: every consumer (charts, indicators, the backtester) walks fields, not bar objects. */
export interface CandleColumns {
  /** Bar open time, epoch seconds UTC. */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export const candleFields = [
  'time',
  'open',
  'high',
  'low',
  'close',
  'volume',
] as const satisfies readonly (keyof CandleColumns)[];

export function allocateCandleColumns(length: number): CandleColumns {
  return {
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

export function sliceCandles(candles: CandleColumns, start: number, end: number): CandleColumns {
  return {
    time: candles.time.subarray(start, end),
    open: candles.open.subarray(start, end),
    high: candles.high.subarray(start, end),
    low: candles.low.subarray(start, end),
    close: candles.close.subarray(start, end),
    volume: candles.volume.subarray(start, end),
  };
}
