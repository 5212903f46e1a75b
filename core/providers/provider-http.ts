// The one HTTP path every provider adapter takes: its rate limit, a timeout per attempt, retries
// with exponential backoff for what a retry can fix (429, 5xx, timeouts, dropped connections), and
// every answer checked against the provider's documented shape before anything reads it. Errors
// never carry the URL: AlphaVantage, TwelveData and FRED take the key in the query string.
import type { z } from 'zod';
import type { AutobotError } from '../contract/errors.ts';
import { providerError, standardFix, type ProviderFailure } from './provider-error.ts';
import type { ProviderId } from './provider-ids.ts';
import { RateLimiter, systemClock, type Clock, type RateLimit } from './rate-limiter.ts';

export interface HttpSettings {
  /** Per attempt. */
  timeoutMs: number;
  /** Attempts in all (1 = no retry). */
  attempts: number;
  /** First retry waits this long, each next one twice as long (a 429's Retry-After wins when given). */
  backoffMs: number;
  rateLimit: RateLimit;
  clock?: Clock;
}

export const defaultHttpSettings: Omit<HttpSettings, 'rateLimit'> = {
  timeoutMs: 15_000,
  attempts: 3,
  backoffMs: 1_000,
};

/** A longest Retry-After we wait out; past it the user is told to come back later instead. */
const maxRetryAfterMs = 30_000;

export interface ProviderRequest {
  url: URL;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

/** A provider's own error inside a 200 answer (AlphaVantage "Note", TwelveData status "error"…). */
export interface EmbeddedError {
  failure: ProviderFailure;
  message: string;
  /** Worth another attempt (a rate-limit note, Shopify's THROTTLED). */
  retryable?: boolean;
  retryAfterMs?: number;
}

export interface JsonOptions<T> {
  schema: z.ZodType<T>;
  /** Looks for the provider's own error in an answer (any status) before the schema does. */
  embeddedError?: (body: unknown, status: number) => EmbeddedError | null;
}

class Retry extends Error {
  readonly error: AutobotError;
  readonly waitMs: number | null;
  constructor(error: AutobotError, waitMs: number | null) {
    super(error.message);
    this.error = error;
    this.waitMs = waitMs;
  }
}

export class ProviderHttp {
  readonly provider: ProviderId;
  readonly #settings: HttpSettings;
  readonly #limiter: RateLimiter;
  readonly #clock: Clock;

  constructor(provider: ProviderId, settings: HttpSettings) {
    this.provider = provider;
    this.#settings = settings;
    this.#clock = settings.clock ?? systemClock;
    this.#limiter = new RateLimiter(settings.rateLimit, this.#clock);
  }

  async json<T>(request: ProviderRequest, options: JsonOptions<T>): Promise<T> {
    let lastError: AutobotError | null = null;
    for (let attempt = 1; attempt <= this.#settings.attempts; attempt += 1) {
      try {
        return await this.#attempt(request, options);
      } catch (error) {
        if (!(error instanceof Retry)) throw error;
        lastError = error.error;
        if (attempt === this.#settings.attempts) break;
        const backoff = this.#settings.backoffMs * 2 ** (attempt - 1);
        const wait = error.waitMs ?? backoff;
        if (wait > maxRetryAfterMs) break;
        await this.#clock.sleep(wait);
      }
    }
    throw lastError!;
  }

  #fail(failure: ProviderFailure, what: string, detail: Record<string, unknown> = {}): AutobotError {
    return providerError(this.provider, failure, what, standardFix(this.provider, failure), detail);
  }

  async #attempt<T>(request: ProviderRequest, options: JsonOptions<T>): Promise<T> {
    await this.#limiter.take();
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method ?? 'GET',
        headers: { accept: 'application/json', ...request.headers },
        ...(request.body !== undefined ? { body: request.body } : {}),
        signal: AbortSignal.timeout(this.#settings.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new Retry(
        timedOut
          ? this.#fail('timeout', `no answer within ${duration(this.#settings.timeoutMs)}.`)
          : this.#fail('unreachable', 'could not be reached.'),
        null,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      throw new Retry(this.#fail('timeout', 'the answer was cut off.'), null);
    }
    const status = response.status;
    let body: unknown = undefined;
    let parsedJson = false;
    try {
      body = JSON.parse(text);
      parsedJson = true;
    } catch {
      // judged below, once the status has had its say
    }
    const embedded = parsedJson ? (options.embeddedError?.(body, status) ?? null) : null;

    if (status === 401 || status === 403)
      throw this.#fail('key_refused', embedded?.message ?? `refused the key (HTTP ${status}).`, { status });
    if (status === 429) {
      throw new Retry(
        this.#fail('rate_limited', embedded?.message ?? 'says too many requests (HTTP 429).', { status }),
        retryAfter(response) ?? embedded?.retryAfterMs ?? null,
      );
    }
    if (status >= 500)
      throw new Retry(this.#fail('unavailable', `answered HTTP ${status}.`, { status }), null);
    if (embedded) {
      const error = this.#fail(embedded.failure, embedded.message, { status });
      if (embedded.retryable) throw new Retry(error, embedded.retryAfterMs ?? null);
      throw error;
    }
    if (status >= 400) throw this.#fail('rejected', `refused the request (HTTP ${status}).`, { status });
    if (!parsedJson) throw this.#fail('bad_payload', 'answered with something that is not JSON.', { status });
    const checked = options.schema.safeParse(body);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const where = issue.path.length ? issue.path.map(String).join('.') : 'the answer';
      throw this.#fail('bad_payload', `answered in an unexpected shape (${where}: ${issue.message}).`, {
        status,
        path: issue.path.map(String).join('.'),
      });
    }
    return checked.data;
  }
}

function retryAfter(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
