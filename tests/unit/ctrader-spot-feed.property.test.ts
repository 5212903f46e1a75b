// The cTrader feed's promise under any pattern of lost connections: spots of random minute bars,
// with the link dropping at random spots (a random run of spots lost while it is down, history
// asked while it may be down again), and whatever interleaving the event loop gives. Whatever
// happens, the bars delivered are strictly in time order, each one equal to the broker's bar of
// that minute (whole, never a half heard), none missing between the first and the last, and the
// last is the last minute closed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import type { Timeframe } from '../../core/domain/timeframe.ts';
import { CTraderSpotFeed, type CTraderSpotSource } from '../../core/feeds/ctrader-spot-feed.ts';
import type { ConnectionState, VenueEvent } from '../../core/venues/venue.ts';

interface Spot {
  bid: number;
  timeMs: number;
}

/** Minute bars of every spot the broker saw: what trendbar history answers. */
function barsOf(spots: readonly Spot[]): Bar[] {
  const bars = new Map<number, Bar>();
  for (const { bid, timeMs } of spots) {
    const time = Math.floor(timeMs / 60_000) * 60;
    const bar = bars.get(time);
    if (!bar) bars.set(time, { time, open: bid, high: bid, low: bid, close: bid, volume: 1 });
    else {
      bar.high = Math.max(bar.high, bid);
      bar.low = Math.min(bar.low, bid);
      bar.close = bid;
      bar.volume++;
    }
  }
  return [...bars.values()].sort((a, b) => a.time - b.time);
}

/** A broker in memory: spots go to history always, to the listener only while connected. */
class FakeSession implements CTraderSpotSource {
  readonly id = 'ctrader-demo';
  connectionState: ConnectionState = 'connected';
  readonly history: Spot[] = [];
  private drops = 0;
  private listener: ((bid: number, timeMs: number) => void) | null = null;
  private readonly events = new Set<(event: VenueEvent) => void>();

  subscribePrices(_symbol: string, listener: (bid: number, timeMs: number) => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }

  /** The answer comes a loop turn later; a connection lost meanwhile loses it, as a real one does. */
  async trendbars(_symbol: string, _timeframe: Timeframe, fromMs: number, toMs: number): Promise<Bar[]> {
    if (this.connectionState !== 'connected') throw new Error('not connected');
    const drops = this.drops;
    await turn();
    if (this.drops !== drops) throw new Error('connection lost before the answer');
    return barsOf(this.history).filter((bar) => bar.time * 1000 >= fromMs && bar.time * 1000 < toMs);
  }

  onEvent(listener: (event: VenueEvent) => void) {
    this.events.add(listener);
    return () => this.events.delete(listener);
  }

  spot(spot: Spot): void {
    this.history.push(spot);
    if (this.connectionState === 'connected') this.listener?.(spot.bid, spot.timeMs);
  }

  set(state: ConnectionState): void {
    this.connectionState = state;
    if (state !== 'connected') this.drops++;
    for (const listener of this.events) listener({ type: 'connection', state, at: 0 });
  }
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

const step = fc.record({
  /** Minutes to move on before this spot (0: the same minute). */
  advance: fc.constantFrom(0, 0, 0, 1, 1, 2),
  bid: fc.integer({ min: 100_000, max: 100_100 }).map((n) => n / 100_000),
  /** The link drops before this spot, and this many spots pass unheard. */
  drop: fc.option(fc.integer({ min: 0, max: 6 }), { freq: 6 }),
  /** Let the event loop run the feed before the next spot. */
  yieldAfter: fc.boolean(),
});

describe('CTraderSpotFeed under lost connections', () => {
  it('delivers every closed minute once, whole and in order, from the first it delivers to the last closed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
        const session = new FakeSession();
        const feed = new CTraderSpotFeed(session, { symbol: 'EURUSD', timeframe: '1m' });
        const delivered: Bar[] = [];
        feed.onBar(async ({ bar }) => {
          delivered.push(bar);
          await turn();
        });
        const running = feed.run();
        let minute = 0;
        let second = 0;
        const next = (advance: number) => {
          if (advance > 0) {
            minute += advance;
            second = 0;
          } else second = Math.min(59, second + 1);
          return (minute * 60 + second) * 1000;
        };
        for (const { advance, bid, drop, yieldAfter } of steps) {
          if (drop !== null) {
            session.set('reconnecting');
            for (let i = 0; i < drop; i++) session.spot({ bid, timeMs: next(i % 2) });
            if (yieldAfter) await turn();
            session.set('connected');
          }
          session.spot({ bid, timeMs: next(advance) });
          if (yieldAfter) await turn();
        }
        // The next minute's first spot, heard, closes the last minute.
        session.spot({ bid: 1, timeMs: (minute + 1) * 60_000 });
        const truth = barsOf(session.history.slice(0, -1));
        const last = truth.at(-1)!;
        while (delivered.at(-1)?.time !== last.time) await turn();
        feed.stop();
        await running;

        for (let i = 1; i < delivered.length; i++)
          expect(delivered[i]!.time).toBeGreaterThan(delivered[i - 1]!.time);
        const first = truth.findIndex((bar) => bar.time === delivered[0]!.time);
        expect(delivered).toEqual(truth.slice(first));
      }),
      { numRuns: 300 },
    );
  });
});
