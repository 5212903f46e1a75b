// Collects what a live feed delivers and lets a test wait for the N-th bar or a feed state —
// events, never a sleep.
import type { Bar } from '../../core/domain/bar.ts';
import type { CcxtLiveFeed, LiveFeedState } from '../../core/feeds/ccxt-live-feed.ts';

export interface FeedCollector {
  bars: Bar[];
  states: LiveFeedState[];
  /** Resolves once `count` bars have arrived in all. */
  bars$(count: number): Promise<Bar[]>;
  /** Resolves at the next time the feed enters `state` (or now, if it is in it). */
  state$(state: LiveFeedState): Promise<void>;
}

export function collect(feed: CcxtLiveFeed): FeedCollector {
  const bars: Bar[] = [];
  const states: LiveFeedState[] = [];
  const barWaiters: { count: number; resolve: (bars: Bar[]) => void }[] = [];
  const stateWaiters: { state: LiveFeedState; resolve: () => void }[] = [];
  feed.onBar(({ bar }) => {
    bars.push(bar);
    for (const waiter of barWaiters.filter((w) => bars.length >= w.count)) {
      barWaiters.splice(barWaiters.indexOf(waiter), 1);
      waiter.resolve([...bars]);
    }
  });
  feed.onStatus(({ state }) => {
    states.push(state);
    for (const waiter of stateWaiters.filter((w) => w.state === state)) {
      stateWaiters.splice(stateWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  return {
    bars,
    states,
    bars$: (count) =>
      bars.length >= count
        ? Promise.resolve([...bars])
        : new Promise((resolve) => barWaiters.push({ count, resolve })),
    state$: (state) =>
      feed.state === state
        ? Promise.resolve()
        : new Promise((resolve) => stateWaiters.push({ state, resolve })),
  };
}
