// One candle as a feed delivers it, one at a time (storage keeps them in columns: candle-columns.ts).

export interface Bar {
  /** Open time, epoch seconds (UTC), as the chart and the candle store use. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
