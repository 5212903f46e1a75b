// The runtime's order path in one place: a request is rounded to its instrument, checked, committed
// to the journal as an intent, marked `submitted`, and only then handed to the venue; every event
// the venue sends back is appended to the journal and, when it is a new fill, booked in the
// portfolio. How a failed send ends depends on its kind (venue-error.ts): refused → REJECTED;
// not taken (retry_later) → REJECTED locally with the venue's wait, so a retry is a new order and
// never a double; outcome unknown → left SUBMITTED for reconcile.ts to settle by asking the venue.
import type { ClientOrderId } from '../domain/client-order-id.ts';
import type { Instrument } from '../domain/instrument.ts';
import type { OrderType, Side, TimeInForce } from '../domain/order-terms.ts';
import { belowMinimum, roundLimitPrice, roundPrice, roundQuantity } from '../domain/rounding.ts';
import type { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import { VenueError } from '../venues/venue-error.ts';
import type { Venue, VenueEvent } from '../venues/venue.ts';
import type { ClientOrderIds } from './client-order-ids.ts';
import type { OrderEvent } from './order-events.ts';
import type { AppendResult, OrderJournal } from './order-journal.ts';
import { canCancel, canUpdate } from './order-state.ts';
import type { Order, OrderIntent } from './order.ts';

export interface RouteRequest {
  symbol: string;
  side: Side;
  type: OrderType;
  /** Units wanted; rounded down to the instrument's step. */
  quantity: number;
  /** Limit price (rounded to the trader's side) or stop trigger (rounded to the nearest tick). */
  price?: number | undefined;
  timeInForce?: TimeInForce;
  /** The signal that decided the order: at most one order per key, ever (order-journal.ts). */
  signalKey?: string | undefined;
}

export type RouteResult =
  | { status: 'sent'; order: Order }
  /** Refused before anything was recorded: nothing to trade after rounding, or below the venue minimum. */
  | { status: 'refused'; reason: string }
  /** Recorded, then denied by the pre-trade check: never sent. */
  | { status: 'denied'; order: Order; reason: string }
  /** The signal already made this order (a restart re-running a bar): nothing sent again. */
  | { status: 'already_sent'; order: Order }
  | { status: 'rejected'; order: Order; reason: string }
  | { status: 'retry_later'; order: Order; retryAfterMs: number | undefined }
  /** The venue may have it: SUBMITTED until reconciliation asks. */
  | { status: 'outcome_unknown'; order: Order };

/** What flattenAll did for one router: cancels asked, positions closed (signed, before), failures. */
export interface FlattenReport {
  owner: string;
  venue: string;
  cancelled: number;
  closed: { symbol: string; quantity: number }[];
  failures: string[];
}

export interface OrderRouterOptions {
  journal: OrderJournal;
  venue: Venue;
  ids: ClientOrderIds;
  instruments: readonly Instrument[];
  /** The bot or account the orders belong to. */
  owner: string;
  /** Books every new fill of this owner's orders. */
  portfolio?: AccountPortfolio | undefined;
  /** The pre-trade check (the risk engine's seat): a reason denies the order, null lets it go. */
  check?: ((intent: OrderIntent) => string | null) | undefined;
  /** The account's risk governor (core/risk): every order that passes `check` must pass it too. */
  governor?: Pick<RiskGovernor, 'admit'> | undefined;
  now?: () => number;
}

export class OrderRouter {
  private readonly options: OrderRouterOptions;
  private readonly instruments: Map<string, Instrument>;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  /** Venue events about orders this journal does not hold (placed elsewhere): for reconciliation. */
  readonly strangers: VenueEvent[] = [];

  constructor(options: OrderRouterOptions) {
    this.options = options;
    this.instruments = new Map(options.instruments.map((instrument) => [instrument.symbol, instrument]));
    this.now = options.now ?? Date.now;
    this.unsubscribe = options.venue.onEvent((event) => this.onVenueEvent(event));
  }

  close(): void {
    this.unsubscribe();
  }

  async submit(request: RouteRequest): Promise<RouteResult> {
    const { journal, venue, ids, owner, check } = this.options;
    const instrument = this.instruments.get(request.symbol);
    if (instrument === undefined)
      return { status: 'refused', reason: `${venue.id} does not list ${request.symbol}` };
    const quantity = roundQuantity(instrument, request.quantity);
    if (quantity === 0) {
      return {
        status: 'refused',
        reason: `quantity ${request.quantity} is less than one step of ${instrument.quantityStep}`,
      };
    }
    let price: number | undefined;
    if (request.type !== 'market') {
      if (!(request.price! > 0))
        return { status: 'refused', reason: `a ${request.type} order needs a positive price` };
      price =
        request.type === 'limit'
          ? roundLimitPrice(instrument, request.side, request.price!)
          : roundPrice(instrument, request.price!);
    }
    const small = belowMinimum(instrument, quantity, price ?? Number.POSITIVE_INFINITY);
    if (small !== null) return { status: 'refused', reason: small.message };

    const intent: OrderIntent = {
      clientOrderId: ids.next(),
      owner,
      venue: venue.id,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      quantity,
      price,
      timeInForce: request.timeInForce ?? 'GTC',
      createdAt: this.now(),
    };
    const { order, created } = journal.recordIntent(intent, request.signalKey);
    if (!created) return { status: 'already_sent', order };
    const id = intent.clientOrderId;
    const reason = check?.(intent) ?? this.governorReason(intent);
    if (reason !== null) {
      this.record(id, { kind: 'denied', reason });
      return { status: 'denied', order, reason };
    }
    this.record(id, { kind: 'submitted' });
    try {
      await venue.submit({
        clientOrderId: id,
        symbol: intent.symbol,
        side: intent.side,
        type: intent.type,
        quantity,
        price,
        timeInForce: intent.timeInForce,
      });
      return { status: 'sent', order };
    } catch (error) {
      if (error instanceof VenueError && error.kind === 'rejected') {
        this.record(id, { kind: 'rejected', reason: error.message });
        return { status: 'rejected', order, reason: error.message };
      }
      if (error instanceof VenueError && error.kind === 'retry_later') {
        this.record(id, { kind: 'rejected', reason: `not taken, retry later: ${error.message}` });
        return { status: 'retry_later', order, retryAfterMs: error.retryAfterMs };
      }
      return { status: 'outcome_unknown', order };
    }
  }

  /** Asks the venue to cancel; false when the order cannot be cancelled (done, or a cancel in flight). */
  async cancel(clientOrderId: ClientOrderId): Promise<boolean> {
    const order = this.options.journal.get(clientOrderId);
    if (order === undefined || !canCancel(order.status)) return false;
    this.record(clientOrderId, { kind: 'cancel_requested' });
    try {
      await this.options.venue.cancel(clientOrderId);
    } catch (error) {
      if (error instanceof VenueError && error.kind !== 'outcome_unknown') {
        this.record(clientOrderId, { kind: 'cancel_rejected', reason: error.message });
        return false;
      }
      // Unknown: the cancel may be working. PENDING_CANCEL until the venue says, or reconciliation asks.
    }
    return true;
  }

  /**
   * Asks the venue to change a working order's price (rounded like a new one) or quantity (rounded
   * down); false when it cannot be amended now (done, or a cancel or amend in flight).
   */
  async amend(
    clientOrderId: ClientOrderId,
    changes: { quantity?: number; price?: number },
  ): Promise<boolean> {
    const order = this.options.journal.get(clientOrderId);
    if (order === undefined || !canUpdate(order.status) || order.intent.type === 'market') return false;
    const instrument = this.instruments.get(order.intent.symbol)!;
    const rounded: { quantity?: number; price?: number } = {};
    if (changes.quantity !== undefined) rounded.quantity = roundQuantity(instrument, changes.quantity);
    if (changes.price !== undefined) {
      rounded.price =
        order.intent.type === 'limit'
          ? roundLimitPrice(instrument, order.intent.side, changes.price)
          : roundPrice(instrument, changes.price);
    }
    if (rounded.quantity === 0) return false;
    this.record(clientOrderId, { kind: 'update_requested', ...rounded });
    try {
      await this.options.venue.amend(clientOrderId, rounded);
    } catch (error) {
      if (error instanceof VenueError && error.kind !== 'outcome_unknown') {
        this.record(clientOrderId, { kind: 'update_rejected', reason: error.message });
        return false;
      }
    }
    return true;
  }

  /** The bot or account this router's orders belong to. */
  get owner(): string {
    return this.options.owner;
  }

  /** The venue connection this router sends to. */
  get venueId(): string {
    return this.options.venue.id;
  }

  /**
   * The kill switch's part for this router: asks the venue to cancel every open order of the owner,
   * then sends a market order closing each position the journal's fills say the owner holds. Exits
   * pass the governor in every state, so this works while the account is HALTED. Returns what was
   * done and what could not be, in words.
   */
  async flattenAll(): Promise<FlattenReport> {
    const { journal, owner, venue } = this.options;
    const report: FlattenReport = { owner, venue: venue.id, cancelled: 0, closed: [], failures: [] };
    for (const order of journal.openOrders()) {
      if (order.intent.owner !== owner || order.intent.venue !== venue.id) continue;
      if (!canCancel(order.status)) continue;
      if (await this.cancel(order.intent.clientOrderId)) report.cancelled++;
      else
        report.failures.push(
          `${order.intent.symbol}: the cancel of ${order.intent.clientOrderId} was refused`,
        );
    }
    for (const position of journal.positions()) {
      if (position.owner !== owner || position.venue !== venue.id) continue;
      const side = position.quantity > 0 ? 'sell' : 'buy';
      const result = await this.submit({
        symbol: position.symbol,
        side,
        type: 'market',
        quantity: Math.abs(position.quantity),
      });
      if (result.status === 'sent')
        report.closed.push({ symbol: position.symbol, quantity: position.quantity });
      else
        report.failures.push(
          `${position.symbol}: closing ${position.quantity} ${result.status}${'reason' in result ? ` (${result.reason})` : ''}`,
        );
    }
    return report;
  }

  /**
   * Journals one event of one of our orders and books a new fill in the portfolio: the one door for
   * venue events and for what reconciliation learns.
   */
  record(clientOrderId: ClientOrderId, event: OrderEvent, eventId?: string): AppendResult {
    const result = this.options.journal.append(clientOrderId, event, eventId, this.now());
    const { portfolio } = this.options;
    if (result.recorded && event.kind === 'fill' && portfolio !== undefined) {
      const { intent } = this.options.journal.get(clientOrderId)!;
      if (intent.owner === this.options.owner) {
        portfolio.applyFill({
          symbol: intent.symbol,
          side: intent.side,
          quantity: event.quantity,
          price: event.price,
          fee: event.fee,
          time: event.time,
        });
      }
    }
    return result;
  }

  /** The governor's refusal as the denial's reason, naming the code and the breaker; null: it may go. */
  private governorReason(intent: OrderIntent): string | null {
    const { governor, journal } = this.options;
    if (governor === undefined) return null;
    // The owner's position in the symbol on this venue, from the journal's fills (a replay of them).
    const position = journal.positionOf(intent.owner, intent.venue, intent.symbol);
    const decision = governor.admit(intent, { position });
    return decision.accepted ? null : `${decision.code} by ${decision.breaker}: ${decision.message}`;
  }

  private onVenueEvent(event: VenueEvent): void {
    if (event.type !== 'order') return;
    const order = this.options.journal.get(event.clientOrderId);
    if (order === undefined || order.intent.owner !== this.options.owner) {
      if (order === undefined) this.strangers.push(event);
      return;
    }
    this.record(event.clientOrderId, event.event, event.eventId);
  }
}
