// The order state machine as one explicit table, after NautilusTrader's and the way real venues
// behave: a fill can arrive after a cancel was sent (PENDING_CANCEL → PARTIALLY_FILLED / FILLED, the
// cancel then confirms or is refused), a refused cancel or amend returns the order to the open state
// it came from, and an event that arrives late (an "accepted" after the first fill, a duplicate
// "canceled") finds no entry and changes nothing. Fills are not in the table: a fill with a new
// venue trade id is money that moved, so it is always counted (order.ts decides the status it
// leads to). Nothing here throws on a venue event: the venue is the truth, and what cannot be
// explained is flagged for reconciliation instead.
import type { OrderEventKind } from './order-events.ts';

export type OrderStatus =
  | 'INITIALIZED'
  | 'DENIED'
  | 'SUBMITTED'
  | 'ACCEPTED'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'PENDING_CANCEL'
  | 'PENDING_UPDATE'
  | 'CANCELED'
  | 'REJECTED'
  | 'EXPIRED';

export const orderStatuses: readonly OrderStatus[] = [
  'INITIALIZED',
  'DENIED',
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'FILLED',
  'PENDING_CANCEL',
  'PENDING_UPDATE',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
];

/** No event takes an order out of these (a late fill may still complete a CANCELED one: FILLED is terminal too). */
export const terminalStatuses: ReadonlySet<OrderStatus> = new Set([
  'DENIED',
  'FILLED',
  'CANCELED',
  'REJECTED',
  'EXPIRED',
]);

/** Statuses in which the order may still trade at the venue. */
export const openStatuses: ReadonlySet<OrderStatus> = new Set([
  'SUBMITTED',
  'ACCEPTED',
  'PARTIALLY_FILLED',
  'PENDING_CANCEL',
  'PENDING_UPDATE',
]);

/** `PRIOR`: back to the open status the order had before the pending request. */
export type Target = OrderStatus | 'PRIOR';

/** status → event → next status. A missing entry means the event is late or a duplicate: ignored. */
export const transitions: Readonly<
  Record<OrderStatus, Partial<Record<Exclude<OrderEventKind, 'fill'>, Target>>>
> = {
  INITIALIZED: {
    denied: 'DENIED',
    submitted: 'SUBMITTED',
    // After a crash between the intent and the send, the venue's answer may be the first thing we hear.
    accepted: 'ACCEPTED',
    rejected: 'REJECTED',
    canceled: 'CANCELED',
    expired: 'EXPIRED',
  },
  SUBMITTED: {
    accepted: 'ACCEPTED',
    rejected: 'REJECTED',
    cancel_requested: 'PENDING_CANCEL',
    update_requested: 'PENDING_UPDATE',
    // An IOC that found nothing, or a venue cancelling before it acknowledged.
    canceled: 'CANCELED',
    expired: 'EXPIRED',
  },
  ACCEPTED: {
    cancel_requested: 'PENDING_CANCEL',
    update_requested: 'PENDING_UPDATE',
    // The venue amends on its own (e.g. a price band) or a FOK is refused after acceptance.
    updated: 'ACCEPTED',
    rejected: 'REJECTED',
    canceled: 'CANCELED',
    expired: 'EXPIRED',
  },
  PARTIALLY_FILLED: {
    cancel_requested: 'PENDING_CANCEL',
    update_requested: 'PENDING_UPDATE',
    updated: 'PARTIALLY_FILLED',
    canceled: 'CANCELED',
    expired: 'EXPIRED',
  },
  PENDING_CANCEL: {
    canceled: 'CANCELED',
    cancel_rejected: 'PRIOR',
    // A cancel sent before the venue answered the submit: the submit's refusal can still arrive,
    // and reconciliation closes an order the venue never received as rejected.
    rejected: 'REJECTED',
    expired: 'EXPIRED',
  },
  PENDING_UPDATE: {
    updated: 'PRIOR',
    update_rejected: 'PRIOR',
    cancel_requested: 'PENDING_CANCEL',
    // As for PENDING_CANCEL: the submit's refusal may follow an amend sent before it.
    rejected: 'REJECTED',
    canceled: 'CANCELED',
    expired: 'EXPIRED',
  },
  DENIED: {},
  FILLED: {},
  CANCELED: {},
  REJECTED: {},
  EXPIRED: {},
};

/** Where `event` takes an order in `status`, or null when it is late or a duplicate and changes nothing. */
export function nextStatus(status: OrderStatus, event: Exclude<OrderEventKind, 'fill'>): Target | null {
  return transitions[status][event] ?? null;
}

/** Whether the order could still be cancelled: it is open and no cancel is already in flight. */
export function canCancel(status: OrderStatus): boolean {
  return nextStatus(status, 'cancel_requested') !== null;
}

export function canUpdate(status: OrderStatus): boolean {
  return nextStatus(status, 'update_requested') !== null;
}
