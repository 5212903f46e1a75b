// NewsAPI: headlines for a query (/v2/everything), https://newsapi.org/docs/endpoints/everything.
// The key goes in the X-Api-Key header. Errors are {"status": "error", "code", "message"} with
// HTTP 401 (apiKeyInvalid), 429 (rateLimited) or 400 (parameterInvalid…).
import { z } from 'zod';
import type { Headline, NewsSource } from './data-kinds.ts';
import { providerHttp, providerUrl, type ProviderContext } from './provider-context.ts';
import type { EmbeddedError, ProviderHttp } from './provider-http.ts';

const answerSchema = z.object({
  status: z.literal('ok'),
  totalResults: z.number(),
  articles: z.array(
    z
      .object({
        source: z.object({ id: z.string().nullable(), name: z.string() }),
        title: z.string(),
        url: z.string().nullable(),
        publishedAt: z.string().refine((text) => Number.isFinite(Date.parse(text)), 'must be a date'),
      })
      .loose(),
  ),
});

function embeddedError(body: unknown): EmbeddedError | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as { status?: unknown; code?: unknown; message?: unknown };
  if (record.status !== 'error') return null;
  const message = typeof record.message === 'string' ? record.message : String(record.code);
  const code = typeof record.code === 'string' ? record.code : '';
  if (/apiKey/.test(code)) return { failure: 'key_refused', message: `refused the key ("${message}").` };
  if (code === 'rateLimited') return { failure: 'rate_limited', message: `says the rate limit is reached.` };
  return { failure: 'rejected', message: `refused the request ("${message}").` };
}

export class NewsApi implements NewsSource {
  readonly id = 'newsapi' as const;
  readonly #http: ProviderHttp;
  readonly #context: ProviderContext;

  constructor(context: ProviderContext) {
    this.#context = context;
    // The Developer plan: 100 requests a day; bursts of a few are fine.
    this.#http = providerHttp(this.id, context, { burst: 5, intervalMs: 1_000 });
  }

  async headlines(query: string, options: { from?: string; limit: number }): Promise<Headline[]> {
    const body = await this.#http.json(
      {
        url: providerUrl(this.#context.baseUrl, 'v2/everything', {
          q: query,
          from: options.from,
          language: 'en',
          sortBy: 'publishedAt',
          pageSize: Math.min(100, options.limit),
        }),
        headers: { 'x-api-key': this.#context.key },
      },
      { schema: answerSchema, embeddedError },
    );
    return body.articles
      .filter((article) => article.title !== '[Removed]')
      .map((article) => ({
        title: article.title,
        source: article.source.name,
        url: article.url,
        publishedAt: new Date(article.publishedAt).toISOString(),
      }));
  }
}
