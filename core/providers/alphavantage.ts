// AlphaVantage: daily and intraday candles for stocks (TIME_SERIES_*) and FX pairs (FX_*).
// Documented at https://www.alphavantage.co/documentation/ — prices come as strings keyed
// "1. open"…"5. volume", bars keyed by wall-clock time in the zone the metadata names, and errors
// arrive inside a 200 answer as "Error Message", "Note" (rate limit) or "Information".
import { z } from 'zod';
import type { CandleInterval, CandleRequest, CandleSource, ProviderCandles } from './data-kinds.ts';
import { providerError } from './provider-error.ts';
import { providerHttp, providerUrl, type ProviderContext } from './provider-context.ts';
import type { EmbeddedError, ProviderHttp } from './provider-http.ts';
import { wallTimeToEpoch } from './zoned-time.ts';

const numberText = z
  .string()
  .refine((text) => text.trim() !== '' && Number.isFinite(Number(text)), 'must be a number as text');

const barSchema = z.object({
  '1. open': numberText,
  '2. high': numberText,
  '3. low': numberText,
  '4. close': numberText,
  '5. volume': numberText.optional(),
});

const answerSchema = z
  .object({ 'Meta Data': z.record(z.string(), z.string()) })
  .catchall(z.unknown())
  .refine((body) => Object.keys(body).some((key) => key.startsWith('Time Series')), {
    message: 'has no "Time Series" object',
  });

const intervals: Record<Exclude<CandleInterval, '1d'>, string> = {
  '5m': '5min',
  '15m': '15min',
  '30m': '30min',
  '1h': '60min',
};

function embeddedError(body: unknown): EmbeddedError | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const text = [record['Error Message'], record.Note, record.Information].find(
    (v) => typeof v === 'string',
  ) as string | undefined;
  if (text === undefined) return null;
  if (/api ?key/i.test(text) && /invalid|missing/i.test(text))
    return { failure: 'key_refused', message: `refused the key ("${text}").` };
  if (typeof record['Error Message'] === 'string')
    return { failure: 'rejected', message: `refused the request ("${text}").` };
  // "Note" and "Information" are its rate-limit answers (per minute, or the daily quota).
  return {
    failure: 'rate_limited',
    message: `says the request limit is reached ("${text}").`,
    retryable: true,
  };
}

export class AlphaVantage implements CandleSource {
  readonly id = 'alphavantage' as const;
  readonly #http: ProviderHttp;
  readonly #context: ProviderContext;

  constructor(context: ProviderContext) {
    this.#context = context;
    // The free plan allows 5 requests a minute.
    this.#http = providerHttp(this.id, context, { burst: 5, intervalMs: 12_000 });
  }

  async candles(request: CandleRequest): Promise<ProviderCandles> {
    if (request.asset === 'crypto')
      throw providerError(
        this.id,
        'rejected',
        'candles for crypto are not offered here.',
        'Use CoinGecko for crypto, or TwelveData.',
      );
    const query: Record<string, string> = { apikey: this.#context.key, outputsize: 'full' };
    if (request.asset === 'fx') {
      const [from, to] = request.symbol.toUpperCase().split(/[/_-]/);
      if (!from || !to)
        throw providerError(
          this.id,
          'rejected',
          `"${request.symbol}" is not an FX pair.`,
          'Write a pair as EUR/USD.',
        );
      query.from_symbol = from;
      query.to_symbol = to;
      query.function = request.interval === '1d' ? 'FX_DAILY' : 'FX_INTRADAY';
    } else {
      query.symbol = request.symbol.toUpperCase();
      query.function = request.interval === '1d' ? 'TIME_SERIES_DAILY' : 'TIME_SERIES_INTRADAY';
    }
    if (request.interval !== '1d') query.interval = intervals[request.interval];

    const body = await this.#http.json(
      { url: providerUrl(this.#context.baseUrl, 'query', query) },
      { schema: answerSchema, embeddedError },
    );
    const timeZone =
      Object.entries(body['Meta Data']).find(([key]) => key.endsWith('Time Zone'))?.[1] ?? 'UTC';
    const seriesKey = Object.keys(body).find((key) => key.startsWith('Time Series'))!;
    const bars = z.record(z.string(), barSchema).safeParse(body[seriesKey]);
    if (!bars.success) {
      const issue = bars.error.issues[0]!;
      throw providerError(
        this.id,
        'bad_payload',
        `answered in an unexpected shape (${[seriesKey, ...issue.path.map(String)].join('.')}: ${issue.message}).`,
        'AlphaVantage may have changed its API: update AUTOBOT, or report it with this message.',
      );
    }
    const rows: [number, (typeof bars.data)[string]][] = [];
    for (const [stamp, bar] of Object.entries(bars.data)) {
      const time = wallTimeToEpoch(stamp, timeZone);
      if (time === null)
        throw providerError(
          this.id,
          'bad_payload',
          `answered a bar time "${stamp}" that is not a date.`,
          'AlphaVantage may have changed its API: update AUTOBOT, or report it with this message.',
        );
      rows.push([time, bar]);
    }
    rows.sort((a, b) => a[0] - b[0]);
    return {
      symbol: request.symbol.toUpperCase(),
      interval: request.interval,
      time: rows.map(([time]) => time),
      open: rows.map(([, bar]) => Number(bar['1. open'])),
      high: rows.map(([, bar]) => Number(bar['2. high'])),
      low: rows.map(([, bar]) => Number(bar['3. low'])),
      close: rows.map(([, bar]) => Number(bar['4. close'])),
      volume: rows.map(([, bar]) => Number(bar['5. volume'] ?? 0)),
    };
  }
}
