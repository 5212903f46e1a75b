// TwelveData: /time_series for stocks, FX and crypto (https://twelvedata.com/docs#time-series).
// Values come newest first, prices as strings; asked with timezone=UTC so datetimes need no zone.
// Errors are {"code", "message", "status": "error"}, sometimes inside an HTTP 200.
import { z } from 'zod';
import type { CandleInterval, CandleRequest, CandleSource, ProviderCandles } from './data-kinds.ts';
import { providerError } from './provider-error.ts';
import { providerHttp, providerUrl, type ProviderContext } from './provider-context.ts';
import type { EmbeddedError, ProviderHttp } from './provider-http.ts';
import { wallTimeToEpoch } from './zoned-time.ts';

const numberText = z
  .string()
  .refine((text) => text.trim() !== '' && Number.isFinite(Number(text)), 'must be a number as text');

const answerSchema = z.object({
  meta: z.object({ symbol: z.string(), interval: z.string() }).loose(),
  values: z.array(
    z.object({
      datetime: z.string(),
      open: numberText,
      high: numberText,
      low: numberText,
      close: numberText,
      volume: numberText.optional(),
    }),
  ),
  status: z.literal('ok'),
});

const intervals: Record<CandleInterval, string> = {
  '5m': '5min',
  '15m': '15min',
  '30m': '30min',
  '1h': '1h',
  '1d': '1day',
};

function embeddedError(body: unknown): EmbeddedError | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { status?: unknown; code?: unknown; message?: unknown };
  if (record.status !== 'error') return null;
  const message = typeof record.message === 'string' ? record.message : 'an error';
  const code = typeof record.code === 'number' ? record.code : 0;
  if (code === 401 || code === 403)
    return { failure: 'key_refused', message: `refused the key ("${message}").` };
  if (code === 429)
    return {
      failure: 'rate_limited',
      message: `says the credits are used up ("${message}").`,
      retryable: true,
    };
  if (code >= 500) return { failure: 'unavailable', message: `answered "${message}".`, retryable: true };
  return { failure: 'rejected', message: `refused the request ("${message}").` };
}

export class TwelveData implements CandleSource {
  readonly id = 'twelvedata' as const;
  readonly #http: ProviderHttp;
  readonly #context: ProviderContext;

  constructor(context: ProviderContext) {
    this.#context = context;
    // The free Basic plan: 8 credits a minute.
    this.#http = providerHttp(this.id, context, { burst: 8, intervalMs: 7_500 });
  }

  async candles(request: CandleRequest): Promise<ProviderCandles> {
    const body = await this.#http.json(
      {
        url: providerUrl(this.#context.baseUrl, 'time_series', {
          symbol: request.symbol.toUpperCase(),
          interval: intervals[request.interval],
          outputsize: 5000,
          timezone: 'UTC',
        }),
        headers: { authorization: `apikey ${this.#context.key}` },
      },
      { schema: answerSchema, embeddedError },
    );
    const rows = body.values.map((value) => {
      const time = wallTimeToEpoch(value.datetime, 'UTC');
      if (time === null)
        throw providerError(
          this.id,
          'bad_payload',
          `answered a bar time "${value.datetime}" that is not a date.`,
          'TwelveData may have changed its API: update AUTOBOT, or report it with this message.',
        );
      return { time, value };
    });
    rows.sort((a, b) => a.time - b.time);
    return {
      symbol: request.symbol.toUpperCase(),
      interval: request.interval,
      time: rows.map((row) => row.time),
      open: rows.map((row) => Number(row.value.open)),
      high: rows.map((row) => Number(row.value.high)),
      low: rows.map((row) => Number(row.value.low)),
      close: rows.map((row) => Number(row.value.close)),
      volume: rows.map((row) => Number(row.value.volume ?? 0)),
    };
  }
}
