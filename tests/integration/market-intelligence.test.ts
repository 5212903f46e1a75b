// The market-intelligence calls through the dispatcher: demo data until a key is saved, then the
// loopback peer's values; demo data never stored; provider candles imported like a CSV; the news
// cache's counts; Shopify revenue with the reinvestment share; the technical screener.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import type { CallInput, CallName, CallOutput } from '../../core/contract/calls.ts';
import type { CallError } from '../../core/contract/errors.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { peerKeys, startProviderPeer, type ProviderPeer } from '../support/provider-peer.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-market-');
let app: App;
let peer: ProviderPeer;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}

async function refusal<N extends CallName>(name: N, input: CallInput<N>): Promise<CallError> {
  const result = await app.dispatch(name, input);
  if (result.ok) throw new Error(`${name} was expected to fail`);
  return result.error;
}

beforeAll(async () => {
  peer = await startProviderPeer();
  const base = peer.url;
  app = (
    await createLicensedTestApp({
      dataDir: temp.dir,
      providers: {
        endpoints: {
          alphavantage: base,
          twelvedata: base,
          coingecko: base,
          fred: base,
          newsapi: base,
          shopify: base,
        },
        http: { backoffMs: 1, rateLimit: { burst: 100, intervalMs: 0 } },
      },
    })
  ).app;
});
afterAll(async () => {
  app?.close();
  await peer.close();
  temp.cleanup();
});

describe('market intelligence', () => {
  it('runs every provider on demo data until its key is saved', async () => {
    const { providers } = await call('market.providers', {});
    expect(providers.map((p) => [p.id, p.mode])).toEqual([
      ['alphavantage', 'demo'],
      ['twelvedata', 'demo'],
      ['coingecko', 'demo'],
      ['fred', 'demo'],
      ['newsapi', 'demo'],
      ['shopify', 'demo'],
    ]);
    const macro = await call('macro.series', { seriesId: 'UNRATE' });
    expect(macro.demo).toBe(true);
    expect(macro.series.points.length).toBeGreaterThan(12);
    expect(peer.requests).toHaveLength(0);
  });

  it('never stores demo data: importing demo candles or fetching demo news is refused', async () => {
    const candles = await refusal('market.importCandles', { provider: 'alphavantage', symbol: 'GOOG' });
    expect(candles.message).toBe(
      'AlphaVantage runs on demo data (no key saved), and demo data is never stored: save its key first.',
    );
    expect(candles.issues?.[0]?.path).toBe('provider');
    const news = await refusal('sentiment.fetch', { symbol: 'GOOG' });
    expect(news.message).toMatch(/NewsAPI runs on demo data/);
    expect((await call('candles.list', {})).series).toEqual([]);
  });

  it('uses the saved key: the peer’s values replace demo data, and candles import like a CSV', async () => {
    const saved = await call('market.saveKey', { provider: 'alphavantage', key: peerKeys.alphavantage });
    expect(saved).toMatchObject({ mode: 'live', keyHint: `••••${peerKeys.alphavantage.slice(-4)}` });
    const shown = await call('market.candles', { provider: 'alphavantage', symbol: 'GOOG' });
    expect(shown.demo).toBe(false);
    expect(shown.candles.close).toEqual([102, 103, 104]);
    const imported = await call('market.importCandles', {
      provider: 'alphavantage',
      symbol: 'GOOG',
      storeAs: 'GOOG-AV',
    });
    expect(imported).toMatchObject({ symbol: 'GOOG-AV', timeframe: '1d', rows: 3, inserted: 3 });
    const stored = await call('candles.get', { symbol: 'GOOG-AV', timeframe: '1d' });
    expect(stored.candles.close).toEqual([102, 103, 104]);
  });

  it('answers a provider failure as provider_failed naming the provider and the fix', async () => {
    await call('market.saveKey', { provider: 'fred', key: 'not-the-key' });
    const error = await refusal('macro.series', { seriesId: 'CPIAUCSL' });
    expect(error.code).toBe('provider_failed');
    expect(error.message).toMatch(/^FRED: refused the key .*Check the FRED key saved on this page/);
    await call('market.saveKey', { provider: 'fred', key: peerKeys.fred });
    const cpi = await call('macro.series', { seriesId: 'CPIAUCSL' });
    expect(cpi).toMatchObject({ demo: false, series: { latest: { date: '2024-04-01', value: 314.159 } } });
    expect(cpi.series.change).toBeCloseTo(0.611, 6);
  });

  it('caches headlines: one upstream call for repeated and concurrent asks, counted', async () => {
    await call('market.saveKey', { provider: 'newsapi', key: peerKeys.newsapi });
    const before = peer.requests.filter((r) => r.path === '/v2/everything').length;
    const answers = await Promise.all(
      [1, 2, 3].map(() => call('news.headlines', { query: 'Loopback Corp' })),
    );
    const again = await call('news.headlines', { query: 'Loopback Corp' });
    expect(peer.requests.filter((r) => r.path === '/v2/everything').length - before).toBe(1);
    expect(answers[0]!.demo).toBe(false);
    expect(answers[0]!.headlines[0]).toMatchObject({
      title: 'Loopback Corp soars on record profit and strong growth',
    });
    expect(answers[0]!.headlines[0]!.score).toBeGreaterThan(0.5);
    expect(answers[0]!.headlines[1]!.score).toBeLessThan(0);
    // Counts are the app's lifetime: the demo ask of the test above was the first miss.
    expect(again.cache).toMatchObject({ misses: 2, hits: 3, size: 1, maxEntries: 100, ttlMs: 300_000 });

    const fetched = await call('sentiment.fetch', { symbol: 'LOOP', query: 'Loopback Corp' });
    expect(fetched).toEqual({ symbol: 'LOOP', added: 3, stored: 3 });
  });

  it('sums a store’s revenue and sets the reinvestment share aside, rounded down to the cent', async () => {
    const demo = await call('shopify.revenue', { from: '2024-05-01', to: '2024-05-07', reinvestPct: 10 });
    expect(demo.demo).toBe(true);
    expect(demo.days).toHaveLength(7);
    const refused = await refusal('market.saveKey', { provider: 'shopify', key: peerKeys.shopify });
    expect(refused.issues?.[0]).toEqual({
      path: 'domain',
      message: 'domain is required for Shopify (your-store.myshopify.com)',
    });
    await call('market.saveKey', {
      provider: 'shopify',
      key: peerKeys.shopify,
      domain: 'loopback.myshopify.com',
    });
    const live = await call('shopify.revenue', { from: '2024-05-01', to: '2024-05-31', reinvestPct: 15 });
    expect(live).toEqual({
      demo: false,
      currency: 'EUR',
      days: [
        { date: '2024-05-01', revenue: 124.56, orders: 2 },
        { date: '2024-05-02', revenue: 1110, orders: 1 },
      ],
      total: 1234.56,
      orders: 3,
      reinvest: 185.18,
    });
  });

  it('screens stored series with the usual indicators', async () => {
    const closes = Array.from({ length: 120 }, (_, i) => 100 + i);
    const csv = [
      'time,open,high,low,close,volume',
      ...closes.map((c, i) => `${86_400 * (i + 1)},${c},${c + 1},${c - 1},${c},10`),
    ].join('\n');
    await call('candles.import', { symbol: 'UP', timeframe: '1d', csv });
    const { rows } = await call('tech.screen', { timeframe: '1d' });
    const up = rows.find((row) => row.symbol === 'UP')!;
    expect(up).toMatchObject({ bars: 120, close: 219, rsi: 100, cross: 'above' });
    expect(up.bollingerPosition).toBeGreaterThan(0.8);
    expect(up.macdHistogram).not.toBeNull();
    expect(up.atrPct).toBeCloseTo((2 / 219) * 100, 6);
  });
});
