// Every provider failure reaches the user as one sentence naming the provider, what went wrong and
// what to do about it, under the one code `provider_failed` (HTTP 502 on the headless host).
import { AutobotError } from '../contract/errors.ts';
import type { ProviderId } from './provider-ids.ts';
import { providerTitles } from './provider-ids.ts';

export type ProviderFailure =
  /** 401/403 or the provider's own "bad key" answer. */
  | 'key_refused'
  /** 429 or the provider's own "too many requests" answer, after the retries. */
  | 'rate_limited'
  /** 5xx after the retries. */
  | 'unavailable'
  /** No answer within the timeout, after the retries. */
  | 'timeout'
  /** Connection refused, DNS, TLS… */
  | 'unreachable'
  /** The answer is not the documented shape: the API changed or the proxy returned something else. */
  | 'bad_payload'
  /** The provider says the request itself is wrong (unknown symbol or series id). */
  | 'rejected';

export function providerError(
  provider: ProviderId,
  failure: ProviderFailure,
  what: string,
  fix: string,
  detail: Record<string, unknown> = {},
): AutobotError {
  const title = providerTitles[provider];
  return new AutobotError('provider_failed', `${title}: ${what} ${fix}`, {
    detail: { provider, failure, fix, ...detail },
  });
}

/** The fix for each failure kind, worded for the user of the page that failed. */
export function standardFix(provider: ProviderId, failure: ProviderFailure): string {
  const title = providerTitles[provider];
  switch (failure) {
    case 'key_refused':
      return `Check the ${title} key saved on this page (or remove it to use demo data).`;
    case 'rate_limited':
      return `Wait a minute and try again, or use a ${title} plan with a higher limit.`;
    case 'unavailable':
      return `${title} is having trouble; try again in a few minutes.`;
    case 'timeout':
      return `Check your internet connection and try again; ${title} may be slow right now.`;
    case 'unreachable':
      return `Check your internet connection (and any proxy or firewall) and try again.`;
    case 'bad_payload':
      return `${title} may have changed its API: update AUTOBOT, or report it with this message.`;
    case 'rejected':
      return `Check the symbol or series id you entered.`;
  }
}
