// Calls and events of market data from exchanges (issue #13): candles downloaded through ccxt into
// the candle store, resumable, with progress. Spread into `calls` and `events` in calls.ts.
import { z } from 'zod';
import { symbolSchema, timeframeSchema } from './series-schemas.ts';

const epochSeconds = z.number().int().min(0);

export const exchangeIdSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]{2,32}$/, 'exchange is a ccxt id: 2 to 32 lowercase letters and digits, e.g. binance');

export const marketDataCalls = {
  'candles.download': {
    summary:
      'Download OHLCV from an exchange into a stored series, page by page with progress events; a run after an interrupted one continues where it stopped, without gaps or duplicates.',
    input: z
      .object({
        exchange: exchangeIdSchema,
        /** As the exchange lists it, e.g. BTC/USDT. */
        symbol: symbolSchema,
        timeframe: timeframeSchema,
        since: epochSeconds,
        until: epochSeconds.optional(),
        /** Another REST base for the exchange (a mirror or a local simulator). */
        apiUrl: z.url({ protocol: /^https?$/, error: 'apiUrl must be an http(s) URL' }).optional(),
        /** The stored series' name; default "<exchange>:<symbol>". */
        series: symbolSchema.optional(),
        /** A caller-chosen id that candles.download.progress events carry. */
        downloadId: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,64}$/)
          .optional(),
      })
      .strict(),
    output: z.object({
      series: z.string(),
      timeframe: timeframeSchema,
      bars: z.number().int().nonnegative(),
      inserted: z.number().int().nonnegative(),
      pages: z.number().int().nonnegative(),
      startedAt: epochSeconds,
      first: epochSeconds.nullable(),
      last: epochSeconds.nullable(),
    }),
    access: 'free',
  },
} as const;

export const marketDataEvents = {
  'candles.download.progress': z.object({
    downloadId: z.string().nullable(),
    series: z.string(),
    timeframe: timeframeSchema,
    fraction: z.number().min(0).max(1),
    /** The last bar stored so far, epoch seconds. */
    last: epochSeconds,
  }),
  /**
   * A live feed's bar (an exchange's: core/app/live-feeds.ts; cTrader's, closed only:
   * core/app/ctrader-live-feed.ts): `closed` bars are stored into `series` before the event; the
   * forming one (closed: false) is only for a chart to draw, and changes.
   */
  'candles.live': z.object({
    series: z.string(),
    timeframe: timeframeSchema,
    closed: z.boolean(),
    bar: z.object({
      time: epochSeconds,
      open: z.number(),
      high: z.number(),
      low: z.number(),
      close: z.number(),
      volume: z.number(),
    }),
  }),
  /** A live feed's connection: streaming, polling REST, or reconnecting (with the error). */
  'candles.live.status': z.object({
    series: z.string(),
    timeframe: timeframeSchema,
    state: z.enum(['connecting', 'streaming', 'polling', 'reconnecting', 'stopped']),
    detail: z.string().nullable(),
  }),
} as const;
