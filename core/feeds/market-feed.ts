// One abstraction for everything that delivers market data to bots: a replay of stored candles
// today (replay-feed.ts), ccxt and cTrader live streams later. A feed pushes closed bars one at a
// time, in time order; a listener that returns a promise is awaited before the next bar, so a bot
// that is still talking to its venue never sees the market move past it.
import type { Timeframe } from '../domain/timeframe.ts';
import type { Bar } from '../domain/bar.ts';

export interface FeedBar {
  symbol: string;
  timeframe: Timeframe;
  bar: Bar;
}

export type FeedListener = (update: FeedBar) => void | Promise<void>;

export interface FeedResult {
  /** Bars delivered by this run. */
  delivered: number;
  /** True when stop() ended the run before the data did. */
  stopped: boolean;
  /** Time of the last bar delivered (epoch seconds), or null if none: where a resumed run starts after. */
  lastTime: number | null;
}

export interface MarketFeed {
  onBar(listener: FeedListener): () => void;
  /** Delivers bars until the data ends (a replay) or stop() is called. */
  run(): Promise<FeedResult>;
  stop(): void;
}
