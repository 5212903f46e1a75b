// A bot on an exchange feed: the stored bars first (a replay, at the bot's speed), then the
// exchange's live closed bars from where the stored ones end. The replay's end is not the run's
// end: the live part runs until stop(). The live feed is made only when the replay is done, from
// the last bar the bot had, so it backfills exactly what the store lacks.
import type { FeedListener, FeedResult, MarketFeed } from './market-feed.ts';

export class ReplayThenLiveFeed implements MarketFeed {
  private readonly replay: MarketFeed;
  private readonly makeLive: (after: number | null) => MarketFeed;
  private readonly after: number | null;
  private readonly listeners = new Set<FeedListener>();
  private live: MarketFeed | null = null;
  private stopped = false;

  /** `after`: the last bar the bot already had (stored, checkpointed or its start), or null. */
  constructor(replay: MarketFeed, makeLive: (after: number | null) => MarketFeed, after: number | null) {
    this.replay = replay;
    this.makeLive = makeLive;
    this.after = after;
  }

  onBar(listener: FeedListener): () => void {
    this.listeners.add(listener);
    const offReplay = this.replay.onBar(listener);
    const offLive = this.live?.onBar(listener);
    return () => {
      this.listeners.delete(listener);
      offReplay();
      offLive?.();
    };
  }

  async run(): Promise<FeedResult> {
    const replayed = await this.replay.run();
    if (replayed.stopped || this.stopped) return { ...replayed, stopped: true };
    const from = [this.after, replayed.lastTime].filter((t): t is number => t !== null);
    const live = this.makeLive(from.length > 0 ? Math.max(...from) : null);
    this.live = live;
    for (const listener of this.listeners) live.onBar(listener);
    if (this.stopped) live.stop();
    const streamed = await live.run();
    return {
      delivered: replayed.delivered + streamed.delivered,
      stopped: true,
      lastTime: streamed.lastTime ?? replayed.lastTime,
    };
  }

  stop(): void {
    this.stopped = true;
    this.replay.stop();
    this.live?.stop();
  }
}
