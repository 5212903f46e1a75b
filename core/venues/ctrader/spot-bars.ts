// Closed bars from spot prices: cTrader pushes bid/ask spots, and a strategy wants bars that have
// completed. Bars are built from the bid (what a chart of a cTrader symbol shows) and handed over
// when the first spot of the next period arrives, so a bar is never reported before it is closed.
import type { Timeframe } from '../../domain/timeframe.ts';
import { timeframeSeconds } from '../../domain/timeframe-seconds.ts';
import type { Bar } from '../../domain/bar.ts';

export class SpotBarBuilder {
  readonly #seconds: number;
  #bar: Bar | null = null;

  constructor(timeframe: Timeframe) {
    this.#seconds = timeframeSeconds(timeframe);
  }

  /** Adds one price at `timeMs` (epoch ms); returns the bar it closed, if any. */
  add(price: number, timeMs: number): Bar | null {
    const start = Math.floor(timeMs / 1000 / this.#seconds) * this.#seconds;
    const bar = this.#bar;
    if (bar !== null && start === bar.time) {
      bar.high = Math.max(bar.high, price);
      bar.low = Math.min(bar.low, price);
      bar.close = price;
      bar.volume++;
      return null;
    }
    this.#bar = { time: start, open: price, high: price, low: price, close: price, volume: 1 };
    return bar !== null && start > bar.time ? bar : null;
  }
}
