// What an adapter is built with: its key (from the vault), where the provider answers, and its HTTP
// settings. Tests build adapters against loopback peers with short timeouts and backoffs.
import { defaultHttpSettings, ProviderHttp, type HttpSettings } from './provider-http.ts';
import type { ProviderId } from './provider-ids.ts';
import type { RateLimit } from './rate-limiter.ts';

export interface ProviderContext {
  key: string;
  /** Scheme, host and port, no trailing slash ("https://www.alphavantage.co"). */
  baseUrl: string;
  http?: Partial<HttpSettings>;
}

export function providerHttp(id: ProviderId, context: ProviderContext, rateLimit: RateLimit): ProviderHttp {
  return new ProviderHttp(id, { ...defaultHttpSettings, rateLimit, ...context.http });
}

/** A URL on the provider's base with query parameters (undefined ones left out). */
export function providerUrl(
  baseUrl: string,
  path: string,
  query: Record<string, string | number | undefined> = {},
): URL {
  const url = new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  for (const [name, value] of Object.entries(query))
    if (value !== undefined) url.searchParams.set(name, String(value));
  return url;
}
