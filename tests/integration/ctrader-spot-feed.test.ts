// The cTrader live feed against the loopback TLS peer: spots become closed bars of the bot's
// timeframe; a connection lost in the middle of a bar, with bars traded while it was down, comes
// back with those bars taken from trendbar history — every bar once, whole, in order.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import { CTraderSpotFeed } from '../../core/feeds/ctrader-spot-feed.ts';
import type { FeedResult } from '../../core/feeds/market-feed.ts';
import { startCTraderSetup, type CTraderSetup } from '../support/ctrader-setup.ts';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.ts';

let certs: TestCertificates;
let setup: CTraderSetup | null = null;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  await setup?.close();
  setup = null;
});

const minute = Date.UTC(2026, 11, 1, 12, 0) / 1000;

/** Minute bars of a zig-zag around 1.0850, on the 10⁻⁵ grid. */
function minuteBars(count: number): Bar[] {
  return Array.from({ length: count }, (_, i) => {
    const open = 1.085 + ((i * 37) % 50) / 100_000;
    const close = open + (i % 2 === 0 ? 12 : -9) / 100_000;
    return {
      time: minute + i * 60,
      open: round5(open),
      high: round5(Math.max(open, close) + 4 / 100_000),
      low: round5(Math.min(open, close) - 3 / 100_000),
      close: round5(close),
      volume: 4,
    };
  });
}
const round5 = (price: number) => Math.round(price * 100_000) / 100_000;

/** A feed on EURUSD 1m collecting its bars, with a way to wait for the n-th. */
function collect(s: CTraderSetup) {
  const feed = new CTraderSpotFeed(s.venue, { symbol: 'EURUSD', timeframe: '1m' });
  const bars: Bar[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  feed.onBar(({ bar }) => {
    bars.push(bar);
    for (const waiter of waiters.filter((w) => bars.length >= w.n)) waiter.resolve();
  });
  const running: Promise<FeedResult> = feed.run();
  const received = (n: number) =>
    new Promise<void>((resolve) => {
      if (bars.length >= n) resolve();
      else waiters.push({ n, resolve });
    });
  return { feed, bars, running, received };
}

const spot = (price: number) => Math.round(price * 100_000);

describe('CTraderSpotFeed', () => {
  it('builds closed bars of the timeframe from spots; the bar in progress is not delivered', async () => {
    const s = (setup = await startCTraderSetup(certs));
    const { feed, bars, running, received } = collect(s);
    const expected = minuteBars(5);
    for (const bar of expected) s.peer.pushBar(1, bar, '1m');
    // The first spot of the next minute closes the last bar; the minute after it stays open.
    s.peer.pushSpot(1, spot(1.0851), spot(1.0851) + 2, (minute + 5 * 60) * 1000);
    await received(5);
    expect(bars).toEqual(expected);
    feed.stop();
    expect(await running).toEqual({ delivered: 5, stopped: true, lastTime: expected[4]!.time });
  });

  it('after a reconnect, the bars missed and the one cut in half come from history: no gap, no duplicate', async () => {
    const s = (setup = await startCTraderSetup(certs));
    const { feed, bars, running, received } = collect(s);
    const expected = minuteBars(8);
    for (const bar of expected.slice(0, 3)) s.peer.pushBar(1, bar, '1m');
    // Bar 3 begins while we listen: its open and high arrive, then the link goes quiet.
    const cut = expected[3]!;
    s.peer.pushSpot(1, spot(cut.open), spot(cut.open) + 2, cut.time * 1000);
    await received(3);
    s.peer.pushSpot(1, spot(cut.high), spot(cut.high) + 2, cut.time * 1000 + 1);
    s.peer.goSilent();
    // What the market did while nobody heard: the rest of bar 3, bars 4 and 5.
    s.peer.pushSpot(1, spot(cut.low), spot(cut.low) + 2, cut.time * 1000 + 2);
    s.peer.pushSpot(1, spot(cut.close), spot(cut.close) + 2, cut.time * 1000 + 59_999);
    for (const bar of expected.slice(4, 6)) s.peer.pushBar(1, bar, '1m');
    const reconnects = s.events.filter((e) => e.type === 'connection' && e.state === 'connected').length;
    s.peer.dropConnections();
    await s.until(
      () => s.events.filter((e) => e.type === 'connection' && e.state === 'connected').length > reconnects,
    );
    // Live again: bar 6 is heard from its middle only (its open was missed too), bar 7 whole.
    const six = expected[6]!;
    s.peer.spotHistory.get(1)!.push({ bid: spot(six.open), timestamp: six.time * 1000 });
    s.peer.pushSpot(1, spot(six.high), spot(six.high) + 2, six.time * 1000 + 1);
    s.peer.pushSpot(1, spot(six.low), spot(six.low) + 2, six.time * 1000 + 2);
    s.peer.pushSpot(1, spot(six.close), spot(six.close) + 2, six.time * 1000 + 59_999);
    s.peer.pushBar(1, expected[7]!, '1m');
    s.peer.pushSpot(1, spot(1.0851), spot(1.0851) + 2, (minute + 8 * 60) * 1000);
    await received(8);
    expect(bars).toEqual(expected);
    // The first bar (joined at its start) and bars 3–6 came from history; bar 7 was heard whole.
    expect(feed.backfilled).toBe(5);
    expect(s.peer.counts.appAuths).toBe(2);
    feed.stop();
    expect((await running).delivered).toBe(8);
  });

  it('ends with the reason when the venue is disconnected for good', async () => {
    const s = (setup = await startCTraderSetup(certs));
    const { feed, running } = collect(s);
    await s.venue.disconnect();
    const result = await running;
    expect(result.stopped).toBe(false);
    expect(feed.endReason).toBe('ctrader-demo was disconnected (disconnected by the user)');
  });
});
