// Market intelligence (issue #16): data providers and their keys, candles from providers into
// storage, macro series, news with sentiment, a store's revenue, and the technical screener.
// Every answer built from generated data says `demo: true`; pages label it "demo data".
// Licensed (a licence or the trial): these pages are part of the paid product.
import { z } from 'zod';

// calls.ts spreads this file's calls, so this file must not import calls.ts (a cycle would read
// its schemas before they exist): the two it needs are restated, equal to calls.ts's.
const symbolSchema = z
  .string()
  .trim()
  .min(1, 'symbol is required')
  .max(40, 'symbol is at most 40 characters')
  .regex(/^[A-Za-z0-9._/:-]+$/, 'symbol may hold letters, digits and . _ / : - only');
const timeframeSchema = z.enum(['1m', '5m', '15m', '30m', '1h', '4h', '1d', '1w', '1M']);

/** Mirrors core/providers/provider-ids.ts (the renderer imports only the contract). */
export const marketProviderIds = [
  'alphavantage',
  'twelvedata',
  'coingecko',
  'fred',
  'newsapi',
  'shopify',
] as const;
export const marketProviderSchema = z.enum(marketProviderIds, {
  error: `provider must be one of ${marketProviderIds.join(', ')}`,
});
export type MarketProviderId = z.infer<typeof marketProviderSchema>;

export const candleProviderSchema = z.enum(['alphavantage', 'twelvedata', 'coingecko'], {
  error: 'provider must be alphavantage, twelvedata or coingecko',
});
export const candleIntervalSchema = z.enum(['5m', '15m', '30m', '1h', '1d'], {
  error: 'interval must be 5m, 15m, 30m, 1h or 1d',
});
export const assetClassSchema = z.enum(['stock', 'fx', 'crypto'], {
  error: 'asset must be stock, fx or crypto',
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

const providerInfoSchema = z.object({
  id: marketProviderSchema,
  title: z.string(),
  /** What it supplies, for people: "stock and FX candles". */
  supplies: z.string(),
  mode: z.enum(['demo', 'live']),
  keyHint: z.string().nullable(),
  /** Shopify also needs the store's domain. */
  needsDomain: z.boolean(),
  /** Where to get a key. */
  keyUrl: z.string(),
});
export type ProviderInfoJson = z.infer<typeof providerInfoSchema>;

const plainCandlesSchema = z.object({
  time: z.array(z.number()),
  open: z.array(z.number()),
  high: z.array(z.number()),
  low: z.array(z.number()),
  close: z.array(z.number()),
  volume: z.array(z.number()),
});

const scoredHeadlineSchema = z.object({
  title: z.string(),
  source: z.string(),
  url: z.string().nullable(),
  publishedAt: z.string(),
  score: z.number(),
  words: z.array(z.object({ word: z.string(), weight: z.number() })),
});
export type ScoredHeadlineJson = z.infer<typeof scoredHeadlineSchema>;

const cacheStatsSchema = z.object({
  hits: z.number().int(),
  misses: z.number().int(),
  size: z.number().int(),
  maxEntries: z.number().int(),
  ttlMs: z.number(),
});

const macroSeriesSchema = z.object({
  id: z.string(),
  title: z.string(),
  units: z.string(),
  points: z.array(z.object({ date: z.string(), value: z.number() })),
  latest: z.object({ date: z.string(), value: z.number() }).nullable(),
  /** latest − the observation before it. */
  change: z.number().nullable(),
});
export type MacroSeriesJson = z.infer<typeof macroSeriesSchema>;

const screenRowSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  bars: z.number().int(),
  time: z.number(),
  close: z.number(),
  rsi: z.number().nullable(),
  macdHistogram: z.number().nullable(),
  /** Where the close sits in the Bollinger band: 0 = lower band, 1 = upper band. */
  bollingerPosition: z.number().nullable(),
  /** ATR(14) as a share of the close, in %. */
  atrPct: z.number().nullable(),
  /** EMA(20) against SMA(50): above, below, or null while either is still warming up. */
  cross: z.enum(['above', 'below']).nullable(),
  /** Bars since EMA(20) last crossed SMA(50). */
  barsSinceCross: z.number().int().nullable(),
});
export type ScreenRowJson = z.infer<typeof screenRowSchema>;

const headlineInputSchema = z
  .object({
    title: z.string().trim().min(1, 'title is required').max(500, 'title is at most 500 characters'),
    publishedAt: z
      .string()
      .refine((text) => Number.isFinite(Date.parse(text)), 'publishedAt must be a date (ISO 8601)'),
    source: z.string().trim().max(200).optional(),
    url: z.string().max(2000).nullable().optional(),
  })
  .strict();

export const marketIntelligenceCalls = {
  'market.providers': {
    summary: 'The data providers, what each supplies, and whether it runs on a saved key or on demo data.',
    input: z.object({}).strict(),
    output: z.object({ providers: z.array(providerInfoSchema) }),
    access: 'licensed',
  },
  'market.saveKey': {
    summary:
      'Save a provider’s API key (and a Shopify store’s domain) in the vault; the provider leaves demo mode.',
    input: z
      .object({
        provider: marketProviderSchema,
        key: z.string().trim().min(1, 'the API key is required').max(4096),
        /** Shopify only: SHOP.myshopify.com. */
        domain: z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9][a-z0-9-]{0,62}\.myshopify\.com$/, 'domain must be your-store.myshopify.com')
          .optional(),
      })
      .strict()
      .refine((v) => v.provider !== 'shopify' || v.domain !== undefined, {
        message: 'domain is required for Shopify (your-store.myshopify.com)',
        path: ['domain'],
      }),
    output: providerInfoSchema,
    access: 'licensed',
  },
  'market.removeKey': {
    summary: 'Remove a provider’s key; it runs on demo data again.',
    input: z.object({ provider: marketProviderSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
    access: 'licensed',
  },
  'market.candles': {
    summary: 'Candles from a provider (demo data without its key), to look at before importing.',
    input: z
      .object({
        provider: candleProviderSchema,
        symbol: symbolSchema,
        interval: candleIntervalSchema.default('1d'),
        asset: assetClassSchema.default('stock'),
      })
      .strict(),
    output: z.object({
      demo: z.boolean(),
      provider: candleProviderSchema,
      symbol: z.string(),
      candles: plainCandlesSchema,
    }),
    access: 'licensed',
  },
  'market.importCandles': {
    summary:
      'Download candles from a provider into storage, beside CSV imports (all bars or none); refused in demo mode: demo data is never stored.',
    input: z
      .object({
        provider: candleProviderSchema,
        symbol: symbolSchema,
        interval: candleIntervalSchema.default('1d'),
        asset: assetClassSchema.default('stock'),
        /** The stored series' symbol (default: the provider's symbol). */
        storeAs: symbolSchema.optional(),
        confirm: z.boolean().default(false),
      })
      .strict(),
    output: z.object({
      symbol: z.string(),
      timeframe: timeframeSchema,
      rows: z.number().int(),
      inserted: z.number().int(),
      existing: z.number().int(),
    }),
    access: 'licensed',
  },
  'market.quotes': {
    summary: 'Crypto market quotes from CoinGecko (demo data without its key).',
    input: z.object({ limit: z.number().int().min(1).max(100).default(10) }).strict(),
    output: z.object({
      demo: z.boolean(),
      quotes: z.array(
        z.object({
          id: z.string(),
          symbol: z.string(),
          name: z.string(),
          price: z.number(),
          change24hPct: z.number().nullable(),
          marketCap: z.number().nullable(),
          volume24h: z.number().nullable(),
        }),
      ),
    }),
    access: 'licensed',
  },
  'macro.series': {
    summary:
      'A FRED series (CPI, unemployment, Fed funds, 10-year yield or any id) with its latest value and change.',
    input: z
      .object({
        seriesId: z
          .string()
          .trim()
          .min(1, 'seriesId is required')
          .max(40, 'seriesId is at most 40 characters')
          .regex(/^[A-Za-z0-9_.]+$/, 'seriesId may hold letters, digits, _ and . only'),
        from: isoDate.optional(),
      })
      .strict(),
    output: z.object({ demo: z.boolean(), series: macroSeriesSchema }),
    access: 'licensed',
  },
  'news.headlines': {
    summary: 'Headlines for a query from NewsAPI (demo data without its key), each scored; cached 5 minutes.',
    input: z
      .object({
        query: z.string().trim().min(1, 'query is required').max(200, 'query is at most 200 characters'),
      })
      .strict(),
    output: z.object({
      demo: z.boolean(),
      headlines: z.array(scoredHeadlineSchema),
      cache: cacheStatsSchema,
    }),
    access: 'licensed',
  },
  'sentiment.import': {
    summary: 'Store recorded headlines for a symbol (scored now) so its sentiment series can feed backtests.',
    input: z
      .object({
        symbol: symbolSchema,
        headlines: z.array(headlineInputSchema).min(1, 'give at least one headline').max(50_000),
      })
      .strict(),
    output: z.object({ symbol: z.string(), added: z.number().int(), stored: z.number().int() }),
    access: 'licensed',
  },
  'sentiment.fetch': {
    summary:
      'Fetch a symbol’s headlines from NewsAPI and store them (needs a NewsAPI key: demo data is never stored).',
    input: z
      .object({
        symbol: symbolSchema,
        query: z.string().trim().min(1).max(200).optional(),
      })
      .strict(),
    output: z.object({ symbol: z.string(), added: z.number().int(), stored: z.number().int() }),
    access: 'licensed',
  },
  'sentiment.series': {
    summary:
      'A symbol’s stored headlines with scores and its sentiment series aligned to its stored candles (what minSentiment reads).',
    input: z.object({ symbol: symbolSchema, timeframe: timeframeSchema.default('1d') }).strict(),
    output: z.object({
      symbol: z.string(),
      timeframe: timeframeSchema,
      headlines: z.array(scoredHeadlineSchema),
      /** Bars of the stored series (empty when none is stored) with the sentiment of each. */
      time: z.array(z.number()),
      close: z.array(z.number()),
      sentiment: z.array(z.number()),
      symbols: z.array(z.object({ symbol: z.string(), count: z.number().int() })),
      cache: cacheStatsSchema,
    }),
    access: 'licensed',
  },
  'shopify.revenue': {
    summary:
      'A Shopify store’s daily revenue (demo data without its token) and the share set aside for reinvestment.',
    input: z
      .object({
        from: isoDate,
        to: isoDate,
        reinvestPct: z
          .number()
          .min(0, 'reinvestPct must be 0–100')
          .max(100, 'reinvestPct must be 0–100')
          .default(10),
      })
      .strict()
      .refine((v) => v.from <= v.to, { message: 'from must not be after to', path: ['from'] }),
    output: z.object({
      demo: z.boolean(),
      currency: z.string(),
      days: z.array(z.object({ date: z.string(), revenue: z.number(), orders: z.number().int() })),
      total: z.number(),
      orders: z.number().int(),
      reinvest: z.number(),
    }),
    access: 'licensed',
  },
  'tech.screen': {
    summary:
      'A technical summary of every stored series at a timeframe: RSI, MACD histogram, Bollinger position, ATR %, EMA/SMA cross.',
    input: z.object({ timeframe: timeframeSchema.default('1d') }).strict(),
    /** demo: nothing is stored yet, so the rows are of generated series. */
    output: z.object({ demo: z.boolean(), rows: z.array(screenRowSchema) }),
    access: 'licensed',
  },
} as const;
