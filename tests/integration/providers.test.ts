// Every provider adapter against a loopback peer answering with its documented shapes: the data a
// user would see, and each failure (bad key, 429, 5xx, no answer, not JSON, a changed API) as one
// sentence naming the provider and what to do.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AutobotError } from '../../core/contract/errors.ts';
import { AlphaVantage } from '../../core/providers/alphavantage.ts';
import { CoinGecko } from '../../core/providers/coingecko.ts';
import { Fred } from '../../core/providers/fred.ts';
import { NewsApi } from '../../core/providers/newsapi.ts';
import type { ProviderContext } from '../../core/providers/provider-context.ts';
import type { ProviderId } from '../../core/providers/provider-ids.ts';
import type { Clock } from '../../core/providers/rate-limiter.ts';
import { Shopify } from '../../core/providers/shopify.ts';
import { TwelveData } from '../../core/providers/twelvedata.ts';
import { peerKeys, startProviderPeer, type ProviderPeer } from '../support/provider-peer.ts';

let peer: ProviderPeer;
let slept: number[];
// Retries wait on this clock: backoffs are recorded, never waited for.
const clock: Clock = {
  now: () => 0,
  sleep: async (ms) => {
    slept.push(ms);
  },
};

function context(id: ProviderId, overrides: Partial<ProviderContext> = {}): ProviderContext {
  return {
    key: peerKeys[id],
    baseUrl: peer.url,
    http: { timeoutMs: 2_000, attempts: 3, backoffMs: 10, rateLimit: { burst: 100, intervalMs: 0 }, clock },
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<AutobotError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AutobotError);
  expect((error as AutobotError).code).toBe('provider_failed');
  return error as AutobotError;
}

beforeAll(async () => {
  peer = await startProviderPeer();
});
afterAll(async () => {
  await peer.close();
});
beforeEach(() => {
  slept = [];
  peer.requests.length = 0;
});

describe('AlphaVantage', () => {
  it('reads daily stock candles oldest first, prices from their strings', async () => {
    const candles = await new AlphaVantage(context('alphavantage')).candles({
      symbol: 'goog',
      interval: '1d',
      asset: 'stock',
    });
    expect(candles.time).toEqual([
      Date.UTC(2024, 4, 1) / 1000,
      Date.UTC(2024, 4, 2) / 1000,
      Date.UTC(2024, 4, 3) / 1000,
    ]);
    expect(candles.open).toEqual([101, 102, 103]);
    expect(candles.close).toEqual([102, 103, 104]);
    expect(candles.volume).toEqual([1000, 1000, 1000]);
    expect(peer.requests[0]!.query).toMatchObject({ function: 'TIME_SERIES_DAILY', symbol: 'GOOG' });
  });

  it('converts intraday bars from US/Eastern wall time to UTC (daylight saving included)', async () => {
    const candles = await new AlphaVantage(context('alphavantage')).candles({
      symbol: 'GOOG',
      interval: '30m',
      asset: 'stock',
    });
    // 09:30 EDT (UTC-4) on 3 May 2024 is 13:30 UTC.
    expect(candles.time[0]).toBe(Date.UTC(2024, 4, 3, 13, 30) / 1000);
    expect(peer.requests[0]!.query).toMatchObject({ function: 'TIME_SERIES_INTRADAY', interval: '30min' });
  });

  it('reads FX pairs, which carry no volume', async () => {
    const candles = await new AlphaVantage(context('alphavantage')).candles({
      symbol: 'EUR/USD',
      interval: '1d',
      asset: 'fx',
    });
    expect(candles.close).toEqual([102, 103, 104]);
    expect(candles.volume).toEqual([0, 0, 0]);
    expect(peer.requests[0]!.query).toMatchObject({
      function: 'FX_DAILY',
      from_symbol: 'EUR',
      to_symbol: 'USD',
    });
  });

  it('names a refused key and how to fix it, without retrying', async () => {
    const error = await failure(
      new AlphaVantage(context('alphavantage', { key: 'wrong' })).candles({
        symbol: 'GOOG',
        interval: '1d',
        asset: 'stock',
      }),
    );
    expect(error.message).toMatch(
      /^AlphaVantage: refused the key .*Check the AlphaVantage key saved on this page/,
    );
    expect(error.message).not.toContain('wrong');
    expect(peer.requests).toHaveLength(1);
  });

  it('refuses an unknown symbol naming the symbol as what to check', async () => {
    const error = await failure(
      new AlphaVantage(context('alphavantage')).candles({ symbol: 'NOSUCH', interval: '1d', asset: 'stock' }),
    );
    expect(error.message).toMatch(/AlphaVantage: refused the request .*Check the symbol/);
  });

  it('retries a 429 and a 500 with backoff, then answers', async () => {
    peer.failNext('429', '500');
    const candles = await new AlphaVantage(context('alphavantage')).candles({
      symbol: 'GOOG',
      interval: '1d',
      asset: 'stock',
    });
    expect(candles.close).toHaveLength(3);
    expect(peer.requests).toHaveLength(3);
    // Retry-After: 0 from the 429, then the second backoff step (10 ms × 2).
    expect(slept).toEqual([0, 20]);
  });

  it('gives up after its attempts on repeated 429s, saying to wait', async () => {
    peer.failNext('429', '429', '429');
    const error = await failure(
      new AlphaVantage(context('alphavantage')).candles({ symbol: 'GOOG', interval: '1d', asset: 'stock' }),
    );
    expect(error.message).toMatch(/^AlphaVantage: says too many requests \(HTTP 429\)\. Wait a minute/);
    expect(error.detail).toMatchObject({ provider: 'alphavantage', failure: 'rate_limited' });
  });

  it('reports repeated server errors as the provider being in trouble', async () => {
    peer.failNext('500', '500', '500');
    const error = await failure(
      new AlphaVantage(context('alphavantage')).candles({ symbol: 'GOOG', interval: '1d', asset: 'stock' }),
    );
    expect(error.message).toBe(
      'AlphaVantage: answered HTTP 500. AlphaVantage is having trouble; try again in a few minutes.',
    );
  });

  it('times out a request that never answers', async () => {
    peer.failNext('hang');
    const error = await failure(
      new AlphaVantage(
        context('alphavantage', {
          http: { timeoutMs: 300, attempts: 1, backoffMs: 1, rateLimit: { burst: 10, intervalMs: 0 }, clock },
        }),
      ).candles({ symbol: 'GOOG', interval: '1d', asset: 'stock' }),
    );
    expect(error.message).toMatch(/^AlphaVantage: no answer within 300 ms\. Check your internet connection/);
  });

  it('refuses an answer that is not JSON or has a changed shape, never drawing garbage', async () => {
    peer.failNext('not-json');
    const notJson = await failure(
      new AlphaVantage(context('alphavantage')).candles({ symbol: 'GOOG', interval: '1d', asset: 'stock' }),
    );
    expect(notJson.message).toMatch(
      /AlphaVantage: answered with something that is not JSON\. AlphaVantage may have changed its API/,
    );
    peer.failNext('changed-shape');
    const changed = await failure(
      new AlphaVantage(context('alphavantage')).candles({ symbol: 'GOOG', interval: '1d', asset: 'stock' }),
    );
    expect(changed.message).toMatch(
      /AlphaVantage: answered in an unexpected shape \(Meta Data: .*update AUTOBOT/,
    );
  });
});

describe('TwelveData', () => {
  it('reads a time series newest-first into bars oldest-first', async () => {
    const candles = await new TwelveData(context('twelvedata')).candles({
      symbol: 'AAPL',
      interval: '1d',
      asset: 'stock',
    });
    expect(candles.time).toEqual([Date.UTC(2024, 4, 2) / 1000, Date.UTC(2024, 4, 3) / 1000]);
    expect(candles.close).toEqual([303.25, 304.25]);
    expect(peer.requests[0]!.query).toMatchObject({ interval: '1day', timezone: 'UTC' });
  });

  it('names a wrong key and an unknown symbol', async () => {
    const key = await failure(
      new TwelveData(context('twelvedata', { key: 'nope' })).candles({
        symbol: 'AAPL',
        interval: '1d',
        asset: 'stock',
      }),
    );
    expect(key.message).toMatch(/^TwelveData: refused the key.*Check the TwelveData key/);
    const symbol = await failure(
      new TwelveData(context('twelvedata')).candles({ symbol: 'NOSUCH', interval: '1d', asset: 'stock' }),
    );
    expect(symbol.message).toMatch(/^TwelveData: refused the request .*symbol.*Check the symbol/);
  });

  it('refuses a changed shape naming the field', async () => {
    peer.failNext('changed-shape');
    const error = await failure(
      new TwelveData(context('twelvedata')).candles({ symbol: 'AAPL', interval: '1d', asset: 'stock' }),
    );
    expect(error.message).toMatch(/TwelveData: answered in an unexpected shape \(meta:/);
  });
});

describe('CoinGecko', () => {
  it('lists markets as quotes', async () => {
    const quotes = await new CoinGecko(context('coingecko')).quotes({ vsCurrency: 'usd', limit: 10 });
    expect(quotes).toEqual([
      {
        id: 'bitcoin',
        symbol: 'BTC',
        name: 'Bitcoin',
        price: 64321.5,
        change24hPct: 0.5,
        marketCap: 1_265_000_000_000,
        volume24h: 31_000_000_000,
      },
    ]);
  });

  it('builds daily bars from the history, each opening at the previous close', async () => {
    const candles = await new CoinGecko(context('coingecko')).candles({
      symbol: 'bitcoin',
      interval: '1d',
      asset: 'crypto',
    });
    expect(candles.close).toEqual([60000, 62000, 64321.5]);
    expect(candles.open).toEqual([60000, 60000, 62000]);
    expect(candles.volume).toEqual([3e10, 3.1e10, 3.2e10]);
  });

  it('names an unknown coin and a missing key', async () => {
    const coin = await failure(
      new CoinGecko(context('coingecko')).candles({ symbol: 'nocoin', interval: '1d', asset: 'crypto' }),
    );
    expect(coin.message).toMatch(/^CoinGecko: does not know that coin/);
    const key = await failure(
      new CoinGecko(context('coingecko', { key: 'x' })).quotes({ vsCurrency: 'usd', limit: 1 }),
    );
    expect(key.message).toMatch(/^CoinGecko: refused the key.*Check the CoinGecko key/);
  });
});

describe('FRED', () => {
  it('reads a series, skipping the "." FRED marks missing observations with', async () => {
    const series = await new Fred(context('fred')).series('cpiaucsl');
    expect(series.title).toMatch(/Consumer Price Index/);
    expect(series.points).toEqual([
      { date: '2024-02-01', value: 313.548 },
      { date: '2024-04-01', value: 314.159 },
    ]);
  });

  it('reads any series id the user enters', async () => {
    const series = await new Fred(context('fred')).series('GDP');
    expect(series).toMatchObject({ id: 'GDP', title: 'GDP', units: 'lin' });
  });

  it('names an unknown series and a refused key', async () => {
    const unknown = await failure(new Fred(context('fred')).series('NOPE'));
    expect(unknown.message).toMatch(
      /^FRED: refused the request \("Bad Request\. {2}The series does not exist\."\)\. Check the symbol or series id/,
    );
    const key = await failure(new Fred(context('fred', { key: 'bad' })).series('UNRATE'));
    expect(key.message).toMatch(/^FRED: refused the key.*Check the FRED key/);
  });

  it('refuses a body that is not JSON after a 5xx retry', async () => {
    peer.failNext('500', 'not-json');
    const error = await failure(new Fred(context('fred')).series('UNRATE'));
    expect(error.message).toMatch(/^FRED: answered with something that is not JSON/);
  });
});

describe('NewsAPI', () => {
  it('reads headlines with their source and time', async () => {
    const headlines = await new NewsApi(context('newsapi')).headlines('Loopback Corp', { limit: 20 });
    expect(headlines[0]).toEqual({
      title: 'Loopback Corp soars on record profit and strong growth',
      source: 'Loopback Wire 1',
      url: 'https://example.invalid/news/0',
      publishedAt: '2024-05-02T13:30:00.000Z',
    });
    expect(peer.requests[0]!.query).toMatchObject({ q: 'Loopback Corp' });
  });

  it('names a refused key, and a 429 after the retries', async () => {
    const key = await failure(new NewsApi(context('newsapi', { key: 'bad' })).headlines('x', { limit: 5 }));
    expect(key.message).toMatch(/^NewsAPI: refused the key.*Check the NewsAPI key/);
    peer.failNext('429', '429', '429');
    const limited = await failure(new NewsApi(context('newsapi')).headlines('x', { limit: 5 }));
    expect(limited.message).toMatch(/^NewsAPI: says the rate limit is reached\. Wait a minute/);
  });
});

describe('Shopify', () => {
  beforeEach(() => {
    Object.assign(peer.shopifyBudget, { currentlyAvailable: 2000, requestedQueryCost: 12, restoreRate: 100 });
  });

  it('pages through orders and sums them per day in cents', async () => {
    const revenue = await new Shopify(context('shopify')).dailyRevenue({
      from: '2024-05-01',
      to: '2024-05-31',
    });
    expect(revenue).toEqual({
      currency: 'EUR',
      days: [
        { date: '2024-05-01', revenue: 124.56, orders: 2 },
        { date: '2024-05-02', revenue: 1110, orders: 1 },
      ],
    });
    expect(peer.requests).toHaveLength(3);
    expect(peer.requests[0]!.headers['x-shopify-access-token']).toBe(peerKeys.shopify);
  });

  it('waits for the query cost to be restored before the next page', async () => {
    Object.assign(peer.shopifyBudget, { currentlyAvailable: 2, requestedQueryCost: 12, restoreRate: 50 });
    await new Shopify(context('shopify')).dailyRevenue({ from: '2024-05-01', to: '2024-05-31' });
    // (12 − 2) points at 50 a second: 200 ms before each of the two later pages.
    expect(slept).toEqual([200, 200]);
  });

  it('waits out a THROTTLED answer for the points it lacks, then carries on', async () => {
    peer.failNext('shopify-throttled');
    const revenue = await new Shopify(context('shopify')).dailyRevenue({
      from: '2024-05-01',
      to: '2024-05-31',
    });
    expect(revenue.days).toHaveLength(2);
    // (12 − 7) points at 100 a second.
    expect(slept).toEqual([50]);
  });

  it('names a refused access token and a changed shape', async () => {
    const key = await failure(
      new Shopify(context('shopify', { key: 'shpat_wrong' })).dailyRevenue({
        from: '2024-05-01',
        to: '2024-05-02',
      }),
    );
    expect(key.message).toMatch(/^Shopify: refused the Admin API access token.*Check the Shopify key/);
    peer.failNext('changed-shape');
    const shape = await failure(
      new Shopify(context('shopify')).dailyRevenue({ from: '2024-05-01', to: '2024-05-02' }),
    );
    expect(shape.message).toMatch(/^Shopify: answered in an unexpected shape \(data:/);
  });
});
