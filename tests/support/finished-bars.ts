// The bars a live-fed bot has finished, as a test waits for them: a bot's LiveFeed wrapped so each
// bar is counted once the engine's own listener is done with it (the supervisor's events are
// throttled; this hears every bar).
import type { LiveFeed } from '../../core/bots/feed-engine.ts';
import type { Bar } from '../../core/domain/bar.ts';

export class FinishedBars {
  /** Every bar the bot finished, in order. */
  readonly bars: Bar[] = [];
  private readonly waiters: { n: number; resolve: () => void }[] = [];

  /** `live`, counting each bar once the bot is done with it; `arriving` runs before the bot sees it. */
  wrap(live: LiveFeed, arriving?: (bar: Bar) => void): LiveFeed {
    const feed = live.feed;
    return {
      priceDecimals: live.priceDecimals,
      feed: {
        get endReason() {
          return feed.endReason ?? null;
        },
        run: () => feed.run(),
        stop: () => feed.stop(),
        onBar: (listener) =>
          feed.onBar(async (update) => {
            arriving?.(update.bar);
            await listener(update);
            this.bars.push(update.bar);
            for (const waiter of this.waiters.filter((w) => this.bars.length >= w.n)) waiter.resolve();
          }),
      },
    };
  }

  /** Resolves once the bot has finished `n` bars. */
  reached(n: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.bars.length >= n) resolve();
      else this.waiters.push({ n, resolve });
    });
  }
}
