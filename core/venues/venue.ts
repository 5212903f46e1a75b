// The one interface every venue implements — the simulator, ccxt exchanges, cTrader — like ccxt's
// unified API: the runtime never knows which one it talks to. Everything is asynchronous because a
// real venue is: submit() only hands the order over, and what becomes of it arrives later as events
// (accepted, rejected, fills, cancels, expiry), possibly out of order, possibly twice. The runtime
// records the intent in the journal and appends `submitted` BEFORE calling submit(), then appends
// every event it receives (docs/runtime.md).
//
// A failed call throws a VenueError (venue-error.ts) of one of three kinds; anything else thrown is
// treated as outcome_unknown.
import type { Timeframe } from '../domain/timeframe.ts';
import type { Bar } from '../domain/bar.ts';
import type { ClientOrderId } from '../domain/client-order-id.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { OrderType, Side, TimeInForce } from '../domain/order-terms.ts';
import type { Fill, OrderEvent } from '../orders/order-events.ts';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting';

/** An order as sent: our id, already rounded to the instrument (core/domain/rounding.ts). */
export interface VenueOrder {
  clientOrderId: ClientOrderId;
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: number;
  /** Limit price or stop trigger; absent for a market order. */
  price?: number | undefined;
  timeInForce: TimeInForce;
}

/** The venue's side of an order's life: the events of order-events.ts that a venue sends. */
export type VenueOrderEvent = Extract<
  OrderEvent,
  {
    kind:
      | 'accepted'
      | 'rejected'
      | 'fill'
      | 'canceled'
      | 'cancel_rejected'
      | 'updated'
      | 'update_rejected'
      | 'expired';
  }
>;

export type VenueEvent =
  | { type: 'connection'; state: ConnectionState; /** Epoch ms, our clock. */ at: number; reason?: string }
  | {
      type: 'order';
      clientOrderId: ClientOrderId;
      event: VenueOrderEvent;
      /** The venue's id for this report, when it has one: makes the journal append idempotent. */
      eventId?: string | undefined;
      /** Epoch ms, venue clock. */
      at: number;
    };

/** The venue's view of one order, for reconciliation. */
export interface OrderReport {
  clientOrderId: ClientOrderId;
  venueOrderId: string;
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: number;
  price?: number | undefined;
  status: 'open' | 'filled' | 'canceled' | 'rejected' | 'expired';
  filledQuantity: number;
  /** Volume-weighted price of what filled, when the venue says: prices an inferred fill. */
  averagePrice?: number | undefined;
}

export interface FillReport extends Fill {
  clientOrderId: ClientOrderId;
  symbol: string;
  side: Side;
}

export interface PositionReport {
  symbol: string;
  /** Signed: > 0 long, < 0 short. */
  quantity: number;
  averagePrice: number;
}

export interface BalanceReport {
  asset: string;
  free: number;
  /** Held by open orders. */
  locked: number;
}

export type Unsubscribe = () => void;

export interface Venue {
  /** "simulated", "binance", "ctrader-demo"… as stored in the journal. */
  readonly id: string;
  readonly connectionState: ConnectionState;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Every event: connection changes and order reports, in the order the venue produced them. */
  onEvent(listener: (event: VenueEvent) => void): Unsubscribe;

  /** What can be traded here, with the venue's own precision and limits. */
  instruments(): Promise<Instrument[]>;
  /** Closed bars of `symbol` as they complete. */
  subscribeBars(symbol: string, timeframe: Timeframe, listener: (bar: Bar) => void): Unsubscribe;

  /** Hands the order over; resolves when sent. Its fate arrives as events. */
  submit(order: VenueOrder): Promise<void>;
  cancel(clientOrderId: ClientOrderId): Promise<void>;
  /** Changes the price or quantity of a working order (a cancel-replace where the venue has no amend). */
  amend(clientOrderId: ClientOrderId, changes: { quantity?: number; price?: number }): Promise<void>;

  // Reports for reconciliation (at start, after every reconnect, periodically).
  openOrders(symbol?: string): Promise<OrderReport[]>;
  /** One order by our id, or null when the venue never saw it (then it was never sent). */
  order(clientOrderId: ClientOrderId): Promise<OrderReport | null>;
  /** The fills of one order, by our id (ccxt's fetchOrderTrades): needs no clock, unlike fillsSince. */
  orderFills(clientOrderId: ClientOrderId): Promise<FillReport[]>;
  /** Fills at or after `since` (epoch ms, venue clock). */
  fillsSince(since: number): Promise<FillReport[]>;
  positions(): Promise<PositionReport[]>;
  balances(): Promise<BalanceReport[]>;
  /** Venue clock minus ours, in ms: to read the venue's timestamps and to sign requests. */
  clockOffsetMs(): Promise<number>;
}
