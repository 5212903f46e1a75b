// FRED (St. Louis Fed): macro series observations, https://fred.stlouisfed.org/docs/api/fred/.
// Values are strings and "." marks a missing observation (skipped, never read as zero). Errors are
// {"error_code", "error_message"} with HTTP 400 (a bad series id or key) or 429.
import { z } from 'zod';
import type { MacroSeries, MacroSource } from './data-kinds.ts';
import { providerHttp, providerUrl, type ProviderContext } from './provider-context.ts';
import type { EmbeddedError, ProviderHttp } from './provider-http.ts';

/** The series the Macro page opens with; any other FRED series id can be entered. */
export const macroPresets = [
  { id: 'CPIAUCSL', title: 'Consumer Price Index (all urban consumers)', units: 'index 1982-84=100' },
  { id: 'UNRATE', title: 'Unemployment rate', units: '%' },
  { id: 'FEDFUNDS', title: 'Federal funds effective rate', units: '%' },
  { id: 'DGS10', title: '10-year Treasury constant maturity yield', units: '%' },
] as const;

const observationsSchema = z.object({
  units: z.string(),
  count: z.number(),
  observations: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), value: z.string() })),
});

function embeddedError(body: unknown, status: number): EmbeddedError | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { error_message?: unknown };
  if (typeof record.error_message !== 'string') return null;
  const message = record.error_message;
  if (status === 429) return { failure: 'rate_limited', message: `says too many requests ("${message}").` };
  if (/api_key/i.test(message)) return { failure: 'key_refused', message: `refused the key ("${message}").` };
  return { failure: 'rejected', message: `refused the request ("${message}").` };
}

export class Fred implements MacroSource {
  readonly id = 'fred' as const;
  readonly #http: ProviderHttp;
  readonly #context: ProviderContext;

  constructor(context: ProviderContext) {
    this.#context = context;
    // FRED allows 120 requests a minute per key.
    this.#http = providerHttp(this.id, context, { burst: 20, intervalMs: 500 });
  }

  async series(seriesId: string, options: { from?: string } = {}): Promise<MacroSeries> {
    const id = seriesId.trim().toUpperCase();
    const body = await this.#http.json(
      {
        url: providerUrl(this.#context.baseUrl, 'fred/series/observations', {
          series_id: id,
          api_key: this.#context.key,
          file_type: 'json',
          observation_start: options.from,
        }),
      },
      { schema: observationsSchema, embeddedError },
    );
    const preset = macroPresets.find((series) => series.id === id);
    return {
      id,
      title: preset?.title ?? id,
      units: preset?.units ?? body.units,
      points: body.observations
        .filter((observation) => observation.value !== '.' && Number.isFinite(Number(observation.value)))
        .map((observation) => ({ date: observation.date, value: Number(observation.value) })),
    };
  }
}
