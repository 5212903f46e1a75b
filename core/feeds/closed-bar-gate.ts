// Which bars of a live exchange feed are closed, and which of them a strategy has already had.
// Exchanges send the bar still forming (many updates of one time) beside closed ones, REST answers
// overlap what the stream said, and a reconnect replays both; a strategy must see each closed bar
// once, in time order. ccxt's unified OHLCV drops Binance's "closed" flag (`x`), so the rule is
// the one every exchange allows: a bar is closed once a later bar has begun. The newest bar seen is
// the forming one (the chart may show it; the strategy never does).
import type { Bar } from '../domain/bar.ts';

/** ccxt's OHLCV row: [open time ms, open, high, low, close, volume]. */
export type OhlcvRow = readonly (number | undefined)[];

export class ClosedBarGate {
  private readonly stepSeconds: number;
  /** Open time (epoch s) of the last bar released, or null before the first. */
  private lastTime: number | null;
  /** Bars after lastTime, by open time; the newest is forming. */
  private readonly unsent = new Map<number, Bar>();

  constructor(stepSeconds: number, after: number | null) {
    this.stepSeconds = stepSeconds;
    this.lastTime = after;
  }

  get last(): number | null {
    return this.lastTime;
  }

  /** Takes rows in any order and any overlap; a later update of a bar replaces the earlier. */
  accept(rows: readonly OhlcvRow[]): void {
    for (const row of rows) {
      const time = Math.floor(Number(row[0]) / 1000);
      if (!Number.isFinite(time) || (this.lastTime !== null && time <= this.lastTime)) continue;
      this.unsent.set(time, {
        time,
        open: Number(row[1]),
        high: Number(row[2]),
        low: Number(row[3]),
        close: Number(row[4]),
        volume: Number(row[5] ?? 0),
      });
    }
  }

  /**
   * Starts the feed at "now": everything closed so far counts as delivered, so the first bar
   * released is the first to close after this. For a feed with no starting time.
   */
  skipClosed(): void {
    const newest = this.newestTime();
    if (newest === null) return;
    for (const time of [...this.unsent.keys()]) if (time < newest) this.unsent.delete(time);
    this.lastTime = Math.max(this.lastTime ?? Number.NEGATIVE_INFINITY, newest - this.stepSeconds);
  }

  /** The bar still forming (the newest seen), or null. */
  forming(): Bar | null {
    const newest = this.newestTime();
    return newest === null ? null : this.unsent.get(newest)!;
  }

  /**
   * Where bars are missing before the next closed one: the time to backfill after, or null. Half
   * a step of slack, as months differ in length.
   */
  gap(): number | null {
    if (this.lastTime === null) return null;
    const closed = this.closedTimes();
    if (closed.length === 0) return null;
    return closed[0]! > this.lastTime + this.stepSeconds * 1.5 ? this.lastTime : null;
  }

  /** The closed bars not released yet, oldest first; they count as delivered from here. */
  release(): Bar[] {
    const bars = this.closedTimes().map((time) => this.unsent.get(time)!);
    for (const bar of bars) this.unsent.delete(bar.time);
    if (bars.length > 0) this.lastTime = bars.at(-1)!.time;
    return bars;
  }

  private closedTimes(): number[] {
    const newest = this.newestTime();
    return [...this.unsent.keys()].filter((time) => time !== newest).sort((a, b) => a - b);
  }

  private newestTime(): number | null {
    let newest: number | null = null;
    for (const time of this.unsent.keys()) if (newest === null || time > newest) newest = time;
    return newest;
  }
}
