// Reconciliation of the journal with what the venue says, at start and after every reconnect: the
// venue is the truth about orders and fills, the journal the truth about what we asked. Each order
// the journal still thinks may trade is asked about by our client order id:
//  - the venue never saw it: one left INITIALIZED (a crash before the send) is closed as CANCELED
//    ("never sent"), one SUBMITTED (the send was lost) as REJECTED — nothing can fill either;
//  - the venue has it: what we missed is appended — acceptance, fills (asked for by order, counted
//    once by trade id), and its end (cancelled, expired, rejected).
// Fills of orders the journal does not hold, and positions that differ, are reported, not adopted:
// adopting and flagging unexplained positions is the next step (issue #11, docs/runtime.md).
import type { ClientOrderId } from '../domain/client-order-id.ts';
import { noiseLevel } from '../domain/decimals.ts';
import type { FillReport, Venue } from '../venues/venue.ts';
import type { OrderEvent } from './order-events.ts';
import type { AppendResult, OrderJournal } from './order-journal.ts';

export interface ReconcileReport {
  /** Orders asked about. */
  checked: number;
  /** Events the journal learned from the venue. */
  appended: number;
  /** Orders closed because the venue never received them. */
  neverSent: ClientOrderId[];
  /** Venue fills of orders this journal does not hold (placed elsewhere, or lost intents). */
  unexplainedFills: FillReport[];
  /** Symbols where the journal's position for this venue differs from the venue's. */
  positionDiffs: { symbol: string; journal: number; venue: number }[];
}

export interface ReconcileOptions {
  /** Appends one event (OrderRouter.record, so new fills reach the portfolio); default journal.append. */
  record?: (clientOrderId: ClientOrderId, event: OrderEvent, eventId?: string) => AppendResult;
  /**
   * Look for fills of orders the journal does not hold since this time (epoch ms, venue clock);
   * default: the oldest open order's creation, moved by the venue's clock offset.
   */
  fillsSince?: number;
}

export async function reconcile(
  journal: OrderJournal,
  venue: Venue,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const record = options.record ?? ((id, event, eventId) => journal.append(id, event, eventId));
  const report: ReconcileReport = {
    checked: 0,
    appended: 0,
    neverSent: [],
    unexplainedFills: [],
    positionDiffs: [],
  };
  const add = (id: ClientOrderId, event: OrderEvent, eventId?: string) => {
    if (record(id, event, eventId).recorded) report.appended++;
  };
  const open = journal.openOrders().filter((order) => order.intent.venue === venue.id);
  const offset = await venue.clockOffsetMs();
  const since =
    options.fillsSince ??
    Math.min(Number.POSITIVE_INFINITY, ...open.map((order) => order.intent.createdAt + offset));
  const fills = Number.isFinite(since) ? await venue.fillsSince(since) : [];

  for (const order of open) {
    report.checked++;
    const id = order.intent.clientOrderId;
    const seen = await venue.order(id);
    if (seen === null) {
      if (order.status === 'INITIALIZED') add(id, { kind: 'canceled' }, 'reconcile:never-sent');
      else
        add(
          id,
          { kind: 'rejected', reason: `${venue.id} never received the order` },
          'reconcile:never-received',
        );
      report.neverSent.push(id);
      continue;
    }
    if (order.status === 'INITIALIZED' || order.status === 'SUBMITTED') {
      add(
        id,
        { kind: 'accepted', venueOrderId: seen.venueOrderId },
        `reconcile:accepted:${seen.venueOrderId}`,
      );
    }
    // The venue filled more than the journal knows: ask for this order's fills (by id, so no clock
    // is involved) and append those not yet counted.
    if (seen.filledQuantity !== order.filledQuantity) {
      for (const fill of await venue.orderFills(id)) {
        add(id, {
          kind: 'fill',
          tradeId: fill.tradeId,
          quantity: fill.quantity,
          price: fill.price,
          fee: fill.fee,
          time: fill.time,
        });
      }
    }
    if (seen.status === 'canceled' || seen.status === 'expired')
      add(id, { kind: seen.status }, `reconcile:${seen.status}`);
    if (seen.status === 'rejected')
      add(id, { kind: 'rejected', reason: 'the venue rejected it' }, 'reconcile:rejected');
  }

  for (const fill of fills)
    if (journal.get(fill.clientOrderId) === undefined) report.unexplainedFills.push(fill);

  const ours = new Map<string, number>();
  for (const position of journal.positions()) {
    if (position.venue === venue.id)
      ours.set(position.symbol, (ours.get(position.symbol) ?? 0) + position.quantity);
  }
  const theirs = new Map((await venue.positions()).map((position) => [position.symbol, position.quantity]));
  for (const symbol of new Set([...ours.keys(), ...theirs.keys()])) {
    const mine = ours.get(symbol) ?? 0;
    const venueQuantity = theirs.get(symbol) ?? 0;
    if (Math.abs(mine - venueQuantity) > Math.max(Math.abs(mine), Math.abs(venueQuantity)) * noiseLevel) {
      report.positionDiffs.push({ symbol, journal: mine, venue: venueQuantity });
    }
  }
  return report;
}
