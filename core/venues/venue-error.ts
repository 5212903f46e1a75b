// How a venue call failed, in the three kinds the runtime must treat differently:
//  - rejected: the venue answered no (bad price, no balance, unknown order). Nothing happened; the
//    order is REJECTED (or the cancel refused) and retrying the same request is pointless.
//  - outcome_unknown: the request may have reached the venue — a timeout, or the connection dropped
//    after sending. NEVER treated as failed: the order stays SUBMITTED and reconciliation asks the
//    venue by client order id (sending it again could double a position).
//  - retry_later: the venue did not take the request (rate limit, maintenance, not connected
//    before sending). Safe to send again after `retryAfterMs`.

export type VenueErrorKind = 'rejected' | 'outcome_unknown' | 'retry_later';

export class VenueError extends Error {
  readonly kind: VenueErrorKind;
  /** The venue's own code or a short one of ours ("insufficient_balance", "timeout", "rate_limited"). */
  readonly code: string;
  /** For retry_later: how long the venue asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: VenueErrorKind, code: string, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'VenueError';
    this.kind = kind;
    this.code = code;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Whether the request may have taken effect at the venue (so it must be reconciled, not retried). */
export function mayHaveReachedVenue(error: unknown): boolean {
  return !(error instanceof VenueError) || error.kind === 'outcome_unknown';
}
