// CoinGecko: crypto markets (/coins/markets) and history (/coins/{id}/market_chart, /coins/{id}/ohlc),
// https://docs.coingecko.com/reference/introduction. Keys go in the x-cg-demo-api-key header.
// Daily history is closes and volumes only, so a daily bar opens at the previous close (the
// CoinGecko OHLC endpoint gives 4-day bars over that span, which no strategy here can use).
import { z } from 'zod';
import type { CandleRequest, CandleSource, ProviderCandles, Quote, QuoteSource } from './data-kinds.ts';
import { providerError } from './provider-error.ts';
import { providerHttp, providerUrl, type ProviderContext } from './provider-context.ts';
import type { EmbeddedError, ProviderHttp } from './provider-http.ts';

const pair = z.tuple([z.number(), z.number()]);
const marketChartSchema = z.object({
  prices: z.array(pair),
  market_caps: z.array(pair),
  total_volumes: z.array(pair),
});
const ohlcSchema = z.array(z.tuple([z.number(), z.number(), z.number(), z.number(), z.number()]));
const marketsSchema = z.array(
  z
    .object({
      id: z.string(),
      symbol: z.string(),
      name: z.string(),
      current_price: z.number(),
      market_cap: z.number().nullable(),
      total_volume: z.number().nullable(),
      price_change_percentage_24h: z.number().nullable(),
    })
    .loose(),
);

function embeddedError(body: unknown, status: number): EmbeddedError | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { status?: { error_message?: unknown }; error?: unknown };
  const message =
    typeof record.status?.error_message === 'string'
      ? record.status.error_message
      : typeof record.error === 'string'
        ? record.error
        : null;
  if (message === null) return null;
  if (status === 404) return { failure: 'rejected', message: `does not know that coin ("${message}").` };
  if (status === 429 || /rate limit/i.test(message))
    return {
      failure: 'rate_limited',
      message: `says the rate limit is reached ("${message}").`,
      retryable: true,
    };
  if (/key/i.test(message)) return { failure: 'key_refused', message: `refused the key ("${message}").` };
  return { failure: 'rejected', message: `refused the request ("${message}").` };
}

export class CoinGecko implements CandleSource, QuoteSource {
  readonly id = 'coingecko' as const;
  readonly #http: ProviderHttp;
  readonly #context: ProviderContext;

  constructor(context: ProviderContext) {
    this.#context = context;
    // The free Demo plan: 30 calls a minute.
    this.#http = providerHttp(this.id, context, { burst: 10, intervalMs: 2_000 });
  }

  #get<T>(path: string, query: Record<string, string | number>, schema: z.ZodType<T>): Promise<T> {
    return this.#http.json(
      {
        url: providerUrl(this.#context.baseUrl, `api/v3/${path}`, query),
        headers: { 'x-cg-demo-api-key': this.#context.key },
      },
      { schema, embeddedError },
    );
  }

  async quotes(request: { vsCurrency: string; limit: number }): Promise<Quote[]> {
    const markets = await this.#get(
      'coins/markets',
      { vs_currency: request.vsCurrency, order: 'market_cap_desc', per_page: request.limit, page: 1 },
      marketsSchema,
    );
    return markets.map((coin) => ({
      id: coin.id,
      symbol: coin.symbol.toUpperCase(),
      name: coin.name,
      price: coin.current_price,
      change24hPct: coin.price_change_percentage_24h,
      marketCap: coin.market_cap,
      volume24h: coin.total_volume,
    }));
  }

  async candles(request: CandleRequest): Promise<ProviderCandles> {
    const coin = encodeURIComponent(request.symbol.toLowerCase());
    if (request.interval === '30m') {
      const rows = await this.#get(`coins/${coin}/ohlc`, { vs_currency: 'usd', days: 1 }, ohlcSchema);
      return {
        symbol: request.symbol.toLowerCase(),
        interval: '30m',
        time: rows.map((row) => Math.floor(row[0] / 1000)),
        open: rows.map((row) => row[1]),
        high: rows.map((row) => row[2]),
        low: rows.map((row) => row[3]),
        close: rows.map((row) => row[4]),
        volume: rows.map(() => 0),
      };
    }
    if (request.interval !== '1d')
      throw providerError(
        this.id,
        'rejected',
        `offers no ${request.interval} bars.`,
        'Choose daily (1d) or 30-minute (30m) bars for CoinGecko.',
      );
    const chart = await this.#get(
      `coins/${coin}/market_chart`,
      { vs_currency: 'usd', days: 365, interval: 'daily' },
      marketChartSchema,
    );
    const volumeByDay = new Map(
      chart.total_volumes.map(([ms, volume]) => [Math.floor(ms / 86_400_000), volume]),
    );
    // One price per UTC day (the last call of the answer may be "now", mid-day: the day's latest wins).
    const byDay = new Map<number, number>();
    for (const [ms, price] of chart.prices) byDay.set(Math.floor(ms / 86_400_000), price);
    const days = [...byDay.keys()].sort((a, b) => a - b);
    const out: ProviderCandles = {
      symbol: request.symbol.toLowerCase(),
      interval: '1d',
      time: [],
      open: [],
      high: [],
      low: [],
      close: [],
      volume: [],
    };
    let previous: number | null = null;
    for (const day of days) {
      const close = byDay.get(day)!;
      const open = previous ?? close;
      out.time.push(day * 86_400);
      out.open.push(open);
      out.high.push(Math.max(open, close));
      out.low.push(Math.min(open, close));
      out.close.push(close);
      out.volume.push(volumeByDay.get(day) ?? 0);
      previous = close;
    }
    return out;
  }
}
