// ccxt's error classes mapped onto the three kinds the runtime must treat differently
// (venue-error.ts). The order of the checks matters: ccxt's hierarchy nests them (RequestTimeout
// and DDoSProtection are NetworkErrors, OrderNotFound is an InvalidOrder, InvalidNonce a
// NetworkError), so the most specific class is tested first. The table is docs/ccxt.md's and
// tests/unit/ccxt-classify-error.test.ts holds it.
//
// The rule for an order submit: only an answer that says the venue did NOT act is "rejected" or
// "retry later". Anything that may have left the machine and reached the venue — a timeout, a reset
// connection, a 5xx, an error we cannot place — is "outcome unknown": the order is never sent
// again, it is looked up by its client order id (reconcile.ts).
import { VenueError } from '../venue-error.ts';
import type { CcxtModule } from './load-ccxt.ts';

/** How long to back off after a rate limit (429) and after an IP ban warning (418), when the venue did not say. */
export const rateLimitBackoffMs = 1_000;
export const banBackoffMs = 120_000;

export function classifyCcxtError(error: unknown, ccxt: CcxtModule): VenueError {
  if (error instanceof VenueError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const is = (name: keyof CcxtModule) => {
    const Class = ccxt[name] as unknown;
    return typeof Class === 'function' && error instanceof (Class as abstract new () => unknown);
  };
  // Not taken: safe to send again later.
  if (is('RateLimitExceeded') || is('DDoSProtection')) {
    const banned = /\b418\b|banned/i.test(message);
    return new VenueError(
      'retry_later',
      banned ? 'ip_banned' : 'rate_limited',
      message,
      banned ? banBackoffMs : rateLimitBackoffMs,
    );
  }
  if (is('InvalidNonce')) return new VenueError('retry_later', 'clock_skew', message, 0);
  // Outcome unknown: the request may have reached the venue.
  if (is('RequestTimeout')) return new VenueError('outcome_unknown', 'timeout', message);
  if (is('ExchangeNotAvailable')) return new VenueError('outcome_unknown', 'unavailable', message);
  if (is('NetworkError')) return new VenueError('outcome_unknown', 'network', message);
  // Refused: the venue answered no, nothing happened.
  if (is('OrderNotFound')) return new VenueError('rejected', 'order_not_found', message);
  if (is('InsufficientFunds')) return new VenueError('rejected', 'insufficient_funds', message);
  if (is('DuplicateOrderId')) return new VenueError('rejected', 'duplicate_order_id', message);
  if (is('InvalidOrder')) return new VenueError('rejected', 'invalid_order', message);
  if (is('AuthenticationError')) return new VenueError('rejected', 'authentication', message);
  if (is('BadSymbol')) return new VenueError('rejected', 'bad_symbol', message);
  if (is('BadRequest')) return new VenueError('rejected', 'bad_request', message);
  if (is('ArgumentsRequired') || is('NotSupported'))
    return new VenueError('rejected', 'not_supported', message);
  if (is('OperationRejected') || is('MarketClosed') || is('AccountSuspended'))
    return new VenueError('rejected', 'refused', message);
  // OperationFailed (a 500 -1000), BadResponse, a bare ExchangeError, or anything else after the
  // request left: the venue may have acted.
  return new VenueError('outcome_unknown', 'unknown', message);
}
