// One order of the runtime, rebuilt from its events. The journal replays the same events into the
// same aggregate at start, so what an order is after a restart is exactly what it was before.
// Guarantees (held by tests/unit/order-state.property.test.ts):
//  - a fill is counted once, by its venue trade id, whatever duplicates or reorders the venue sends;
//  - filledQuantity never decreases and never exceeds quantity: a fill past the order's size is
//    kept in `fills` (the venue did trade it, so the position includes it) and flagged as `overfill`;
//  - a terminal order stays terminal; a late event changes nothing and is counted in `ignored`.
import type { ClientOrderId } from '../domain/client-order-id.ts';
import { noiseLevel } from '../domain/decimals.ts';
import type { OrderType, Side, TimeInForce } from '../domain/order-terms.ts';
import { sideSign } from '../domain/order-terms.ts';
import type { Fill, OrderEvent } from './order-events.ts';
import { nextStatus, openStatuses, terminalStatuses, type OrderStatus } from './order-state.ts';

/** What we asked for, committed to the journal before anything is sent. */
export interface OrderIntent {
  clientOrderId: ClientOrderId;
  /** The bot or account that owns the order (a position is per owner and symbol). */
  owner: string;
  venue: string;
  symbol: string;
  side: Side;
  type: OrderType;
  /** On the instrument's step, > 0. */
  quantity: number;
  /** Limit price or stop trigger; absent for a market order. */
  price?: number | undefined;
  timeInForce: TimeInForce;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** What applying one event did. */
export type EventEffect =
  /** The order changed. */
  | 'applied'
  /** A fill whose trade id was already counted. */
  | 'duplicate'
  /** A late or out-of-place event: no entry in the table for the order's status. Nothing changed. */
  | 'ignored'
  /** Applied because the venue says so, but it breaks what an order should do: flagged for reconciliation. */
  | 'anomaly';

export interface Outcome {
  effect: EventEffect;
  from: OrderStatus;
  to: OrderStatus;
  /** Why an event was ignored or flagged. */
  note?: string;
}

export type AnomalyCode = 'overfill' | 'fill_after_reject' | 'fill_after_cancel' | 'update_below_filled';

export class Order {
  readonly intent: OrderIntent;
  status: OrderStatus = 'INITIALIZED';
  quantity: number;
  price: number | undefined;
  venueOrderId: string | undefined;
  /** Sum of the fills, never above `quantity`. */
  filledQuantity = 0;
  /** What the venue filled beyond `quantity` (0 normally): flagged, kept in the position. */
  overfill = 0;
  /** Volume-weighted price of every fill; NaN before the first. */
  averagePrice = Number.NaN;
  fees = 0;
  /** Every distinct fill, in the order they arrived. */
  readonly fills: Fill[] = [];
  readonly anomalies: AnomalyCode[] = [];
  /** Events that changed nothing (late or duplicate). */
  ignored = 0;
  /** Why the order was denied, rejected or a request refused: the latest reason. */
  reason: string | undefined;
  /** The open status a pending cancel or amend returns to if the venue refuses it. */
  private prior: OrderStatus = 'SUBMITTED';
  private pendingUpdate: { quantity?: number | undefined; price?: number | undefined } = {};
  private readonly tradeIds = new Set<string>();
  /** Σ quantity × price over every fill (for the average). */
  private notional = 0;
  /** Σ quantity over every fill, overfill included. */
  private traded = 0;
  /** Σ units of the traded asset kept by the venue as fees (order-events.ts, feeInBase). */
  private feesInBase = 0;

  constructor(intent: OrderIntent) {
    this.intent = intent;
    this.quantity = intent.quantity;
    this.price = intent.price;
  }

  get isTerminal(): boolean {
    return terminalStatuses.has(this.status);
  }

  get isOpen(): boolean {
    return openStatuses.has(this.status);
  }

  get remaining(): number {
    return Math.max(0, this.quantity - this.filledQuantity);
  }

  /**
   * Signed units this order has added to its owner's position: every fill, overfill included,
   * less what the venue kept of the asset as its fee (a buy receives less, a sell gives more).
   */
  get positionDelta(): number {
    return sideSign(this.intent.side) * this.traded - this.feesInBase;
  }

  /** Whether the venue has not yet acknowledged the submit, now or under a pending cancel or amend. */
  get awaitingAcceptance(): boolean {
    const open = isPending(this.status) ? this.prior : this.status;
    return open === 'INITIALIZED' || open === 'SUBMITTED';
  }

  hasFill(tradeId: string): boolean {
    return this.tradeIds.has(tradeId);
  }

  apply(event: OrderEvent): Outcome {
    const from = this.status;
    if (event.kind === 'fill') return this.applyFill(event, from);
    if (event.kind === 'accepted' && event.venueOrderId !== undefined)
      this.venueOrderId ??= event.venueOrderId;
    // A submit whose answer was lost, then a cancel or amend of it: the venue's acceptance arriving
    // now (from reconciliation) says where the order returns if that request does not take — to
    // ACCEPTED, not back to SUBMITTED, where it would wait for an answer already received.
    if (event.kind === 'accepted' && isPending(from) && this.awaitingAcceptance) {
      this.prior = 'ACCEPTED';
      return { effect: 'applied', from, to: from };
    }
    const target = nextStatus(from, event.kind);
    if (target === null) {
      this.ignored++;
      return { effect: 'ignored', from, to: from, note: `${event.kind} in ${from}` };
    }
    switch (event.kind) {
      case 'denied':
      case 'rejected':
      case 'cancel_rejected':
      case 'update_rejected':
        this.reason = event.reason;
        break;
      case 'update_requested':
        this.pendingUpdate = { quantity: event.quantity, price: event.price };
        break;
      case 'updated':
        return this.applyUpdate(event, from, target);
    }
    if (event.kind === 'update_rejected') this.pendingUpdate = {};
    if (
      target !== 'PRIOR' &&
      (target === 'PENDING_CANCEL' || target === 'PENDING_UPDATE') &&
      !isPending(from)
    ) {
      this.prior = from;
    }
    this.status = target === 'PRIOR' ? this.prior : target;
    return { effect: 'applied', from, to: this.status };
  }

  private applyUpdate(
    event: { quantity?: number | undefined; price?: number | undefined },
    from: OrderStatus,
    target: OrderStatus | 'PRIOR',
  ): Outcome {
    const quantity = event.quantity ?? this.pendingUpdate.quantity ?? this.quantity;
    this.price = event.price ?? this.pendingUpdate.price ?? this.price;
    this.pendingUpdate = {};
    this.status = target === 'PRIOR' ? this.prior : target;
    if (quantity < this.filledQuantity - this.filledQuantity * noiseLevel) {
      // A venue refuses this; if one confirms it anyway, the order is done at what it filled.
      this.quantity = this.filledQuantity;
      this.status = 'FILLED';
      this.anomalies.push('update_below_filled');
      return { effect: 'anomaly', from, to: this.status, note: 'amended below the filled quantity' };
    }
    this.quantity = quantity;
    if (this.filledQuantity > 0 && this.isComplete(this.filledQuantity)) this.status = 'FILLED';
    return { effect: 'applied', from, to: this.status };
  }

  private applyFill(fill: Fill, from: OrderStatus): Outcome {
    if (this.tradeIds.has(fill.tradeId)) {
      this.ignored++;
      return { effect: 'duplicate', from, to: from, note: `trade ${fill.tradeId} already counted` };
    }
    this.tradeIds.add(fill.tradeId);
    this.fills.push({
      tradeId: fill.tradeId,
      quantity: fill.quantity,
      price: fill.price,
      fee: fill.fee,
      time: fill.time,
      ...(fill.feeInBase !== undefined ? { feeInBase: fill.feeInBase } : {}),
    });
    this.traded += fill.quantity;
    this.feesInBase += fill.feeInBase ?? 0;
    this.notional += fill.quantity * fill.price;
    this.averagePrice = this.notional / this.traded;
    this.fees += fill.fee;
    const filled = this.filledQuantity + fill.quantity;
    const complete = this.isComplete(filled);
    let anomaly: AnomalyCode | undefined;
    if (filled > this.quantity + this.quantity * noiseLevel) {
      anomaly = 'overfill';
      this.overfill = this.traded - this.quantity;
    }
    this.filledQuantity = complete ? this.quantity : filled;
    const ended = from === 'CANCELED' || from === 'EXPIRED';
    const refused = from === 'REJECTED' || from === 'DENIED';
    // A fill reported after the order ended traded before the end took effect: it is counted, and
    // the status only moves on to FILLED (terminal to terminal), never back to an open one.
    if (complete) this.status = 'FILLED';
    else if (!ended && !refused) this.status = 'PARTIALLY_FILLED';
    if (ended) anomaly ??= 'fill_after_cancel';
    if (refused) anomaly ??= 'fill_after_reject';
    if (anomaly === undefined) return { effect: 'applied', from, to: this.status };
    this.anomalies.push(anomaly);
    return { effect: 'anomaly', from, to: this.status, note: anomaly };
  }

  /** Filled up to float noise (0.1 + 0.2 of an order of 0.3 completes it). */
  private isComplete(filled: number): boolean {
    return filled >= this.quantity - this.quantity * noiseLevel;
  }
}

function isPending(status: OrderStatus): boolean {
  return status === 'PENDING_CANCEL' || status === 'PENDING_UPDATE';
}

/** Replays events into a fresh order: what the journal does at start. */
export function replayOrder(intent: OrderIntent, events: Iterable<OrderEvent>): Order {
  const order = new Order(intent);
  for (const event of events) order.apply(event);
  return order;
}
