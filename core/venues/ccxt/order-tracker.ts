// The orders a CcxtVenue follows, and the one diff that turns "the venue now says this about an
// order" into events: accepted once, each trade once (by trade id), and its end once. Polls, the
// order stream, a submit's answer and a cancel's answer all come through observe(), so whichever
// arrives first produces the event and the rest produce nothing. A filled order whose trades the
// venue has not listed yet stays in flight for a few more looks; after that reconciliation infers
// the fill from the order report (reconcile.ts).
import type { Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { ClientOrderId } from '../../domain/client-order-id.ts';
import type { FillReport, VenueEvent, VenueOrderEvent } from '../venue.ts';
import { statusOf } from './ccxt-reports.ts';

export interface TrackedOrder {
  clientOrderId: ClientOrderId;
  symbol: string;
  /** Our clock when the submit left (or when tracking began). */
  since: number;
  venueOrderId?: string | undefined;
  accepted: boolean;
  filled: number;
  readonly trades: Set<string>;
  /** Looks at a filled order whose trades did not add up yet. */
  shortLooks: number;
}

/** Looks at a filled order with missing trades before leaving it to reconciliation. */
const maxShortLooks = 3;

export interface TradeSource {
  trades(order: CcxtOrder): Promise<CcxtTrade[]>;
  fill(trade: CcxtTrade, clientOrderId: ClientOrderId): FillReport;
}

export class OrderTracker {
  private readonly orders = new Map<ClientOrderId, TrackedOrder>();
  private readonly byVenueId = new Map<string, ClientOrderId>();
  /** Symbols of every order ever tracked here (a finished order's symbol may still be asked). */
  private readonly symbolsById = new Map<ClientOrderId, string>();

  track(clientOrderId: ClientOrderId, symbol: string, since: number): TrackedOrder {
    this.symbolsById.set(clientOrderId, symbol);
    let tracked = this.orders.get(clientOrderId);
    if (tracked === undefined) {
      tracked = {
        clientOrderId,
        symbol,
        since,
        accepted: false,
        filled: 0,
        trades: new Set(),
        shortLooks: 0,
      };
      this.orders.set(clientOrderId, tracked);
    }
    return tracked;
  }

  forget(clientOrderId: ClientOrderId): void {
    this.orders.delete(clientOrderId);
  }

  has(clientOrderId: ClientOrderId): boolean {
    return this.orders.has(clientOrderId);
  }

  symbolOf(clientOrderId: ClientOrderId): string | undefined {
    return this.symbolsById.get(clientOrderId);
  }

  clientIdOfVenueOrder(venueOrderId: string): ClientOrderId | undefined {
    return this.byVenueId.get(venueOrderId);
  }

  symbols(): string[] {
    return [...new Set([...this.orders.values()].map((t) => t.symbol))];
  }

  inFlight(): TrackedOrder[] {
    return [...this.orders.values()];
  }

  async observe(clientOrderId: ClientOrderId, order: CcxtOrder, source: TradeSource): Promise<VenueEvent[]> {
    // Not tracked: another look (the stream, a poll, the submit's answer) has already seen this
    // order end, and its events went out then. Tracking it again would repeat them.
    const tracked = this.orders.get(clientOrderId);
    if (tracked === undefined) return [];
    const venueOrderId = String(order.id);
    tracked.venueOrderId ??= venueOrderId;
    this.byVenueId.set(venueOrderId, clientOrderId);
    const at = order.lastUpdateTimestamp ?? order.timestamp ?? Date.now();
    const events: VenueEvent[] = [];
    const push = (event: VenueOrderEvent, eventId?: string, time = at) =>
      events.push({
        type: 'order',
        clientOrderId,
        event,
        at: time,
        ...(eventId !== undefined ? { eventId } : {}),
      });
    const status = statusOf(order);
    if (!tracked.accepted && status !== 'rejected') {
      tracked.accepted = true;
      push({ kind: 'accepted', venueOrderId }, `accepted:${venueOrderId}`);
    }
    const filled = order.filled ?? 0;
    if (filled > tracked.filled + filled * 1e-9) {
      const trades = [...(await source.trades(order))].sort(
        (a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0),
      );
      for (const trade of trades) {
        const tradeId = String(trade.id);
        if (tracked.trades.has(tradeId)) continue;
        tracked.trades.add(tradeId);
        const fill = source.fill(trade, clientOrderId);
        tracked.filled += fill.quantity;
        push(
          {
            kind: 'fill',
            tradeId,
            quantity: fill.quantity,
            price: fill.price,
            fee: fill.fee,
            time: fill.time,
            ...(fill.feeInBase !== undefined ? { feeInBase: fill.feeInBase } : {}),
          },
          undefined,
          fill.time,
        );
      }
    }
    // The trades were read while another look ended the order: its end went out with that look.
    if (this.orders.get(clientOrderId) !== tracked) return events;
    if (status === 'open') return events;
    if (status === 'canceled' || status === 'expired') push({ kind: status }, `${status}:${venueOrderId}`);
    if (status === 'rejected')
      push({ kind: 'rejected', reason: 'the venue rejected the order' }, `rejected:${venueOrderId}`);
    const short = tracked.filled < filled - filled * 1e-9;
    if (short && ++tracked.shortLooks < maxShortLooks) return events;
    this.orders.delete(clientOrderId);
    return events;
  }
}
