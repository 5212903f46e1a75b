// How a failed cTrader request maps onto the runtime's three kinds of failure (venue-error.ts):
// refused by the venue → rejected; sent but unanswered → outcome_unknown; not sent, rate-limited
// or under maintenance → retry_later (with the venue's retryAfter when given).
import { VenueError } from '../venue-error.ts';
import { CTraderNoAnswerError, CTraderNotConnectedError, CTraderRequestError } from './ctrader-connection.ts';
import { isRetryLater, isTokenError } from './error-codes.ts';

export function toVenueError(error: unknown): VenueError {
  if (error instanceof VenueError) return error;
  if (error instanceof CTraderRequestError) {
    if (isRetryLater(error.errorCode) || isTokenError(error.errorCode))
      return new VenueError('retry_later', error.errorCode, error.message, error.retryAfterMs);
    return new VenueError('rejected', error.errorCode, error.message);
  }
  if (error instanceof CTraderNotConnectedError)
    return new VenueError('retry_later', 'not_connected', error.message);
  if (error instanceof CTraderNoAnswerError)
    return new VenueError(
      'outcome_unknown',
      error.why === 'timeout' ? 'timeout' : 'disconnected',
      error.message,
    );
  return new VenueError('outcome_unknown', 'unknown', error instanceof Error ? error.message : String(error));
}
