// The live candle feed against the loopback Binance's kline stream and REST klines (ccxt pointed
// at it by URL, never a real exchange): closed bars in order, each once, across a dropped stream;
// REST polling where the exchange has no candle stream. The reference is the fake's tape: what it
// closed is exactly what the feed must deliver.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Exchange } from 'ccxt';
import { CcxtLiveFeed } from '../../core/feeds/ccxt-live-feed.ts';
import { createExchange } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import type { TapeBar } from '../support/fake-binance-tape.ts';
import { collect } from '../support/feed-collector.ts';

const from = Date.UTC(2024, 0, 1);
const hour = 3_600_000;
let fake: FakeBinance;
const exchanges: Exchange[] = [];
const feeds: CcxtLiveFeed[] = [];

beforeAll(async () => {
  fake = await new FakeBinance().start();
});
afterEach(async () => {
  for (const feed of feeds.splice(0)) feed.stop();
  for (const exchange of exchanges.splice(0)) await exchange.close();
});
afterAll(async () => {
  await fake.stop();
});

async function binance(): Promise<Exchange> {
  const exchange = await createExchange({ exchange: 'binance', apiUrl: fake.url, rateLimit: false });
  exchanges.push(exchange);
  return exchange;
}

function feedOf(exchange: Exchange, symbol: string, after: number | null, extra = {}): CcxtLiveFeed {
  const feed = new CcxtLiveFeed({
    exchange: () => Promise.resolve(exchange),
    symbol,
    timeframe: '1h',
    after,
    backoff: { initialMs: 20, maxMs: 200 },
    pollMs: 20,
    ...extra,
  });
  feeds.push(feed);
  return feed;
}

/** The tape's closed bars as the feed delivers them (epoch seconds). */
const asBars = (bars: TapeBar[]) =>
  bars.map((b) => ({
    time: b.time / 1000,
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
  }));

describe('CcxtLiveFeed', () => {
  it('backfills from its start by REST, then streams closed bars in order; the forming bar is only for the chart', async () => {
    const tape = fake.tape('BTCUSDT', '1h', from, 10);
    const feed = feedOf(await binance(), 'BTC/USDT', tape.closed[4]!.time / 1000, {
      deliverAs: 'binance:BTC/USDT',
    });
    const got = collect(feed);
    const symbols: string[] = [];
    feed.onBar(({ symbol }) => void symbols.push(symbol));
    const forming: number[] = [];
    let formingSeen: (() => void) | null = null;
    feed.onForming((bar) => {
      forming.push(bar.time);
      if (bar.time === tape.forming.time / 1000) formingSeen?.();
    });
    const subscribed = fake.nextSubscription('btcusdt@kline_1h');
    const run = feed.run();

    // Bars 5…9 closed before the start: REST.
    expect(await got.bars$(5)).toEqual(asBars(tape.closed.slice(5, 10)));
    await subscribed;
    const shown = new Promise<void>((resolve) => (formingSeen = resolve));
    fake.push('BTCUSDT', '1h', [{}, {}, { close: 120 }]);
    const bars = await got.bars$(8);
    await shown;
    expect(bars).toEqual(asBars(tape.closed.slice(5, 13)));
    expect(bars.at(-1)!.close).toBe(120);
    expect(symbols.every((s) => s === 'binance:BTC/USDT')).toBe(true);
    // The bar opened by the last push was shown as forming, never delivered.
    expect(forming).toContain(tape.forming.time / 1000);
    expect(bars.map((b) => b.time)).not.toContain(tape.forming.time / 1000);

    feed.stop();
    expect(await run).toMatchObject({ delivered: 8, stopped: true, lastTime: tape.closed[12]!.time / 1000 });
  });

  it('started with no time, delivers only bars that close after it started', async () => {
    const tape = fake.tape('ETHUSDT', '1h', from, 30);
    const feed = feedOf(await binance(), 'ETH/USDT', null);
    const got = collect(feed);
    const subscribed = fake.nextSubscription('ethusdt@kline_1h');
    const run = feed.run();
    await subscribed;
    fake.push('ETHUSDT', '1h', [{}, {}]);
    expect(await got.bars$(2)).toEqual(asBars(tape.closed.slice(30, 32)));
    feed.stop();
    await run;
  });

  it('a dropped stream reconnects with backoff; what closed meanwhile is backfilled, nothing missed or doubled', async () => {
    const tape = fake.tape('BTCUSDT', '1h', from, 3);
    const feed = feedOf(await binance(), 'BTC/USDT', tape.closed[2]!.time / 1000);
    const got = collect(feed);
    let subscribed = fake.nextSubscription('btcusdt@kline_1h');
    const run = feed.run();
    await subscribed;
    fake.push('BTCUSDT', '1h', [{}, {}]);
    await got.bars$(2);

    // The stream goes down and stays down; bars close meanwhile (only REST has them).
    const down = got.state$('reconnecting');
    fake.dropStreams(true);
    await down;
    fake.push('BTCUSDT', '1h', [{}, {}, {}]);
    // Even with the stream refused, the retries' backfills bring them.
    await got.bars$(5);
    subscribed = fake.nextSubscription('btcusdt@kline_1h');
    fake.resumeStreams();
    await subscribed;
    fake.push('BTCUSDT', '1h', [{}, {}]);
    const bars = await got.bars$(7);

    expect(bars).toEqual(asBars(tape.closed.slice(3, 10)));
    const times = bars.map((b) => b.time);
    expect(new Set(times).size).toBe(times.length);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBe(hour / 1000);
    expect(got.states.slice(got.states.indexOf('reconnecting'))).toContain('streaming');

    // A drop with an immediate reconnect and bars racing it: still each once.
    subscribed = fake.nextSubscription('btcusdt@kline_1h');
    fake.dropStreams(false);
    fake.push('BTCUSDT', '1h', [{}]);
    await subscribed;
    fake.push('BTCUSDT', '1h', [{}]);
    expect(await got.bars$(9)).toEqual(asBars(tape.closed.slice(3, 12)));
    feed.stop();
    expect((await run).delivered).toBe(9);
  });

  it('polls REST where the exchange has no candle stream in ccxt', async () => {
    const tape = fake.tape('ETHUSDT', '1h', from, 5);
    const exchange = await binance();
    exchange.has['watchOHLCV'] = false;
    const before = fake.subscriptions.get('ethusdt@kline_1h') ?? 0;
    const feed = feedOf(exchange, 'ETH/USDT', tape.closed[4]!.time / 1000);
    const got = collect(feed);
    const run = feed.run();
    await got.state$('polling');
    fake.push('ETHUSDT', '1h', [{}, { close: 99 }]);
    expect(await got.bars$(2)).toEqual(asBars(tape.closed.slice(5, 7)));
    expect(fake.subscriptions.get('ethusdt@kline_1h') ?? 0).toBe(before);
    feed.stop();
    await run;
  });

  it('a symbol the exchange does not list fails the run naming it', async () => {
    const feed = feedOf(await binance(), 'NOPE/USDT', null);
    await expect(feed.run()).rejects.toThrow('binance does not list NOPE/USDT');
  });
});
