// market.*, macro.*, news.*, sentiment.*, shopify.* and tech.* calls (issue #16): providers through
// the hub (a saved key → the real adapter, none → demo data), answers cached, demo data never
// stored. docs/providers.md.
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../contract/errors.ts';
import { timeframeSeconds } from '../contract/timeframe-seconds.ts';
import { importCandlesCsv } from '../data/import-candles.ts';
import { screenCandles, screenSeries } from '../market/technical-screen.ts';
import { DemoMarket } from '../providers/demo-data.ts';
import { candleIntervals, type CandleInterval } from '../providers/data-kinds.ts';
import type { Headline, MacroSeries, ProviderCandles } from '../providers/data-kinds.ts';
import { ProviderHub, type ProviderHubOptions } from '../providers/provider-hub.ts';
import { providerIds, providerTitles, type ProviderId } from '../providers/provider-ids.ts';
import { TtlLruCache } from '../providers/ttl-lru-cache.ts';
import type { ApiKeyVault } from '../secrets/api-key-vault.ts';
import { scoreHeadline } from '../sentiment/score-headline.ts';
import { alignSentiment } from '../sentiment/sentiment-series.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import type { Database } from '../storage/database.ts';
import { HeadlineRepository, type StoredHeadline } from '../storage/headline-repository.ts';
import type { CoreEvents } from './events.ts';

type MarketHandlers = Pick<
  Handlers,
  | 'market.providers'
  | 'market.saveKey'
  | 'market.removeKey'
  | 'market.candles'
  | 'market.importCandles'
  | 'market.quotes'
  | 'macro.series'
  | 'news.headlines'
  | 'sentiment.import'
  | 'sentiment.fetch'
  | 'sentiment.series'
  | 'shopify.revenue'
  | 'tech.screen'
>;

const supplies: Record<ProviderId, { supplies: string; keyUrl: string }> = {
  alphavantage: {
    supplies: 'stock and FX candles, daily and intraday',
    keyUrl: 'https://www.alphavantage.co/support/#api-key',
  },
  twelvedata: { supplies: 'stock, FX and crypto time series', keyUrl: 'https://twelvedata.com/pricing' },
  coingecko: { supplies: 'crypto markets and daily history', keyUrl: 'https://www.coingecko.com/en/api' },
  fred: {
    supplies: 'macro series: CPI, unemployment, rates, any FRED id',
    keyUrl: 'https://fred.stlouisfed.org/docs/api/api_key.html',
  },
  newsapi: { supplies: 'news headlines for sentiment', keyUrl: 'https://newsapi.org/register' },
  shopify: {
    supplies: 'your store’s daily revenue',
    keyUrl:
      'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/generate-app-access-tokens-admin',
  },
};

/** Sentiment answers: 5 minutes, 100 entries (issue #16). */
export const sentimentCacheSettings = { ttlMs: 5 * 60_000, maxEntries: 100 };

export function marketIntelligenceHandlers(deps: {
  db: Database;
  vault: ApiKeyVault;
  candles: CandleRepository;
  events: CoreEvents;
  hub?: Omit<ProviderHubOptions, 'vault'>;
  now?: () => number;
}): MarketHandlers {
  const hub = new ProviderHub({ vault: deps.vault, ...deps.hub });
  const headlines = new HeadlineRepository(deps.db);
  const now = deps.now ?? Date.now;
  // Keys carry the mode, so a demo answer is never served once a key is saved (and caches are
  // emptied on every key change anyway).
  const newsCache = new TtlLruCache<{ demo: boolean; headlines: Headline[] }>({
    ...sentimentCacheSettings,
    now,
  });
  const macroCache = new TtlLruCache<{ demo: boolean; series: MacroSeries }>({
    ...sentimentCacheSettings,
    now,
  });

  const providerInfo = async (id: ProviderId) => {
    const saved = (await deps.vault.list().catch(() => [])).find((credential) => credential.provider === id);
    return {
      id,
      title: providerTitles[id],
      ...supplies[id],
      mode: saved ? ('live' as const) : ('demo' as const),
      keyHint: saved?.keyHint ?? null,
      needsDomain: id === 'shopify',
    };
  };

  const newsFor = (query: string) => async () => {
    const { source, demo } = await hub.news();
    return newsCache.getOrLoad(`${demo ? 'demo' : 'live'}:${query.toLowerCase()}`, async () => ({
      demo,
      headlines: await source.headlines(query, { limit: 100 }),
    }));
  };

  const scored = (headline: Headline) => {
    const { score, words } = scoreHeadline(headline.title);
    return { ...headline, score, words };
  };

  const storedJson = (headline: StoredHeadline) => ({
    title: headline.title,
    source: headline.source,
    url: headline.url,
    publishedAt: new Date(headline.publishedAt * 1000).toISOString(),
    score: headline.score,
    words: scoreHeadline(headline.title).words,
  });

  const store = (symbol: string, list: readonly Headline[], origin: StoredHeadline['origin']) => {
    const added = headlines.add(
      list.map((headline) => ({
        symbol,
        publishedAt: Math.floor(Date.parse(headline.publishedAt) / 1000),
        title: headline.title,
        source: headline.source,
        url: headline.url,
        origin,
        score: scoreHeadline(headline.title).score,
      })),
    );
    return { symbol, added, stored: headlines.list(symbol).length };
  };

  const fetchCandles = async (input: {
    provider: 'alphavantage' | 'twelvedata' | 'coingecko';
    symbol: string;
    interval: ProviderCandles['interval'];
    asset: 'stock' | 'fx' | 'crypto';
  }) => {
    const { source, demo } = await hub.candles(input.provider);
    const candles = await source.candles({
      symbol: input.symbol,
      interval: input.interval,
      asset: input.asset,
    });
    return { demo, candles };
  };

  const clearCaches = () => {
    newsCache.clear();
    macroCache.clear();
  };

  return {
    'market.providers': async () => ({ providers: await Promise.all(providerIds.map(providerInfo)) }),

    'market.saveKey': async (input) => {
      // Shopify's domain rides in the credential's secret field: the vault keeps both together.
      await deps.vault.save(input.provider, { key: input.key, secret: input.domain ?? '' });
      clearCaches();
      return providerInfo(input.provider);
    },

    'market.removeKey': async (input) => {
      const removed = await deps.vault.remove(input.provider);
      clearCaches();
      return { removed };
    },

    'market.candles': async (input) => {
      const { demo, candles } = await fetchCandles(input);
      const { symbol, interval: _interval, ...columns } = candles;
      return { demo, provider: input.provider, symbol, candles: columns };
    },

    'market.importCandles': async (input) => {
      const { demo, candles } = await fetchCandles(input);
      if (demo) {
        const message = `${providerTitles[input.provider]} runs on demo data (no key saved), and demo data is never stored: save its key first`;
        throw new AutobotError('invalid_input', `${message}.`, { issues: [{ path: 'provider', message }] });
      }
      if (candles.time.length === 0)
        throw new AutobotError(
          'invalid_input',
          `${providerTitles[input.provider]} has no bars for ${input.symbol}.`,
          {
            issues: [{ path: 'symbol', message: 'no bars for this symbol' }],
          },
        );
      // The same path as a CSV import: all bars or none, checked against the series they join.
      const lines = ['time,open,high,low,close,volume'];
      for (let i = 0; i < candles.time.length; i += 1)
        lines.push(
          `${new Date(candles.time[i]! * 1000).toISOString()},${candles.open[i]},${candles.high[i]},${candles.low[i]},${candles.close[i]},${candles.volume[i]}`,
        );
      const symbol = input.storeAs ?? candles.symbol;
      const result = importCandlesCsv(deps.candles, {
        symbol,
        timeframe: input.interval,
        csv: lines.join('\n'),
        confirm: input.confirm,
        fileName: `${input.provider}-${symbol}.csv`,
      });
      deps.events.emit('candles.changed', { symbol: result.symbol, timeframe: result.timeframe });
      return {
        symbol: result.symbol,
        timeframe: result.timeframe,
        rows: result.rows,
        inserted: result.inserted,
        existing: result.existing,
      };
    },

    'market.quotes': async (input) => {
      const { source, demo } = await hub.quotes();
      return { demo, quotes: await source.quotes({ vsCurrency: 'usd', limit: input.limit }) };
    },

    'macro.series': async (input) => {
      const { source, demo } = await hub.macro();
      const id = input.seriesId.toUpperCase();
      const answer = await macroCache.getOrLoad(
        `${demo ? 'demo' : 'live'}:${id}:${input.from ?? ''}`,
        async () => ({
          demo,
          series: await source.series(id, input.from ? { from: input.from } : {}),
        }),
      );
      const points = answer.series.points;
      const latest = points.at(-1) ?? null;
      const previous = points.at(-2) ?? null;
      return {
        demo: answer.demo,
        series: {
          ...answer.series,
          latest,
          change: latest && previous ? Math.round((latest.value - previous.value) * 1e6) / 1e6 : null,
        },
      };
    },

    'news.headlines': async (input) => {
      const answer = await newsFor(input.query)();
      return { demo: answer.demo, headlines: answer.headlines.map(scored), cache: newsCache.stats() };
    },

    'sentiment.import': (input) =>
      store(
        input.symbol,
        input.headlines.map((headline) => ({
          title: headline.title,
          source: headline.source ?? 'imported',
          url: headline.url ?? null,
          publishedAt: headline.publishedAt,
        })),
        'import',
      ),

    'sentiment.fetch': async (input) => {
      const answer = await newsFor(input.query ?? input.symbol)();
      if (answer.demo) {
        const message =
          'NewsAPI runs on demo data (no key saved), and demo data is never stored: save its key first';
        throw new AutobotError('invalid_input', `${message}.`, { issues: [{ path: 'symbol', message }] });
      }
      return store(input.symbol, answer.headlines, 'newsapi');
    },

    'sentiment.series': (input) => {
      const stored = headlines.list(input.symbol);
      const bars = deps.candles.exists(input.symbol, input.timeframe)
        ? deps.candles.read(input.symbol, input.timeframe)
        : null;
      const sentiment = bars
        ? alignSentiment(
            bars.time,
            timeframeSeconds(input.timeframe),
            stored.map((headline) => ({ time: headline.publishedAt, score: headline.score })),
          )
        : new Float64Array(0);
      return {
        symbol: input.symbol,
        timeframe: input.timeframe,
        headlines: stored.map(storedJson),
        time: bars ? Array.from(bars.time) : [],
        close: bars ? Array.from(bars.close) : [],
        sentiment: Array.from(sentiment),
        symbols: headlines.symbols(),
        cache: newsCache.stats(),
      };
    },

    'shopify.revenue': async (input) => {
      const { source, demo } = await hub.revenue();
      const revenue = await source.dailyRevenue({ from: input.from, to: input.to });
      const totalCents = revenue.days.reduce((sum, day) => sum + Math.round(day.revenue * 100), 0);
      return {
        demo,
        currency: revenue.currency,
        days: revenue.days,
        total: totalCents / 100,
        orders: revenue.days.reduce((sum, day) => sum + day.orders, 0),
        // Rounded down to the cent: what is set aside never exceeds the share.
        reinvest: Math.floor((totalCents * input.reinvestPct) / 100) / 100,
      };
    },

    'tech.screen': async (input) => {
      const rows = screenSeries(deps.candles, input.timeframe);
      if (rows.length > 0 || deps.candles.listSeries().length > 0) return { demo: false, rows };
      // Nothing stored yet: show what the screener does on generated series, labelled demo data.
      if (!(candleIntervals as readonly string[]).includes(input.timeframe)) return { demo: false, rows };
      const demo = new DemoMarket('alphavantage', now);
      const demoRows = [];
      for (const symbol of ['DEMO-A', 'DEMO-B', 'DEMO-C']) {
        const bars = await demo.candles({
          symbol,
          interval: input.timeframe as CandleInterval,
          asset: 'stock',
        });
        const columns = {
          time: Float64Array.from(bars.time),
          high: Float64Array.from(bars.high),
          low: Float64Array.from(bars.low),
          close: Float64Array.from(bars.close),
        };
        const row = screenCandles(symbol, input.timeframe, bars.time.length, columns);
        if (row) demoRows.push(row);
      }
      return { demo: true, rows: demoRows };
    },
  };
}
