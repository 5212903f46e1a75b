// Reconciliation of the journal with what the venue says, at start, after every reconnect,
// periodically while orders are in flight and on demand (reconciler.ts runs it). The venue is the
// truth about orders and fills, the journal the truth about what we asked. One pass:
//  1. the venue's open orders (one list per symbol) and its fills since the oldest open order
//     (paged), so 500 orders cost a handful of requests, not 500;
//  2. each order the journal thinks may trade: found in the open list, or else asked for by our
//     client order id. Not found:
//       - INITIALIZED (a crash before the send): closed CANCELED, "never sent";
//       - sent less than 60 s ago: no conclusion (venues list a new order late) — asked next run;
//       - older: asked again by client id before any conclusion; still missing, it is tracked as
//         LOST (left SUBMITTED: the venue may yet report it), and only after `closeLostAfterMs`
//         closed REJECTED "never received" — a fill reported later is still counted (order.ts);
//     found: what we missed is appended — acceptance, fills (counted once by trade id), an inferred
//     fill when the venue's filled quantity exceeds every trade it lists (priced so the averages
//     agree, as NautilusTrader does), and its end (cancelled, expired, rejected);
//  3. what the journal cannot explain — fills and open orders of unknown ids, positions (spot:
//     balances) that differ — is reported; reconciler.ts adopts it as external and holds the account
//     REDUCING until the user acknowledges it.
// All appends of a pass go in one transaction: one disk flush, and a crash leaves none or all.
import type { ClientOrderId } from '../domain/client-order-id.ts';
import { noiseLevel } from '../domain/decimals.ts';
import type { FillReport, OrderReport, Venue } from '../venues/venue.ts';
import type { OrderEvent } from './order-events.ts';
import type { AppendResult, OrderJournal } from './order-journal.ts';
import type { Order } from './order.ts';

/** How long a venue may take to list a new order before "not found" means anything. */
export const notFoundGraceMs = 60_000;
/** How long a lost order is kept SUBMITTED before it is closed as never received. */
export const defaultCloseLostAfterMs = 10 * 60_000;

export type ChangeKind =
  | 'accepted'
  | 'fill'
  | 'inferred_fill'
  | 'canceled'
  | 'cancel_not_taken'
  | 'expired'
  | 'rejected'
  | 'never_sent'
  | 'never_received'
  | 'not_yet_listed'
  | 'lost'
  | 'unexplained_fill'
  | 'external_order'
  | 'position_diff';

/** One line of a run's diff: what changed (or was found) and why. */
export interface ReconcileChange {
  kind: ChangeKind;
  clientOrderId?: string | undefined;
  symbol?: string | undefined;
  quantity?: number | undefined;
  price?: number | undefined;
  why: string;
}

export interface ReconcileReport {
  /** Orders asked about. */
  checked: number;
  /** Events the journal learned from the venue. */
  appended: number;
  /** Orders closed because the venue never received them. */
  neverSent: ClientOrderId[];
  /** Orders not found over 60 s after their submit, asked twice: SUBMITTED until the venue says. */
  lost: ClientOrderId[];
  /** Orders too new for "not found" to mean anything yet. */
  notYetListed: ClientOrderId[];
  /** Venue fills of orders this journal does not hold (placed elsewhere, or lost intents). */
  unexplainedFills: FillReport[];
  /** Venue open orders this journal does not hold. */
  externalOrders: OrderReport[];
  /** Symbols where the journal's position for this venue differs from the venue's. */
  positionDiffs: { symbol: string; journal: number; venue: number }[];
  /** Everything above as one list, for the user and the saved diff. */
  changes: ReconcileChange[];
}

export interface ReconcileOptions {
  /** Appends one event (OrderRouter.record, so new fills reach the portfolio); default journal.append. */
  record?: (clientOrderId: ClientOrderId, event: OrderEvent, eventId?: string) => AppendResult;
  /**
   * Look for fills of orders the journal does not hold since this time (epoch ms, venue clock);
   * default: the oldest open order's creation, moved by the venue's clock offset.
   */
  fillsSince?: number;
  /** Our clock, epoch ms (tests move it). */
  now?: number;
  closeLostAfterMs?: number;
  /** Signed quantity per symbol the user already acknowledged as held outside the journal. */
  baselines?: ReadonlyMap<string, number>;
}

export async function reconcile(
  journal: OrderJournal,
  venue: Venue,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const now = options.now ?? Date.now();
  const closeLostAfterMs = options.closeLostAfterMs ?? defaultCloseLostAfterMs;
  const report: ReconcileReport = {
    checked: 0,
    appended: 0,
    neverSent: [],
    lost: [],
    notYetListed: [],
    unexplainedFills: [],
    externalOrders: [],
    positionDiffs: [],
    changes: [],
  };
  const open = journal.openOrders().filter((order) => order.intent.venue === venue.id);
  const offset = await venue.clockOffsetMs();

  // 1. Bulk reads: open orders and fills.
  const listed = new Map<string, OrderReport>();
  const symbols = [...new Set(open.map((order) => order.intent.symbol))];
  const lists = await Promise.all([venue.openOrders(), ...symbols.map((s) => venue.openOrders(s))]);
  for (const list of lists) for (const o of list) listed.set(o.clientOrderId, o);
  const since =
    options.fillsSince ??
    Math.min(Number.POSITIVE_INFINITY, ...open.map((order) => order.intent.createdAt + offset - 60_000));
  const fills = Number.isFinite(since) ? await venue.fillsSince(since) : [];
  const fillsOf = new Map<string, FillReport[]>();
  for (const fill of fills) {
    const list = fillsOf.get(fill.clientOrderId) ?? [];
    list.push(fill);
    fillsOf.set(fill.clientOrderId, list);
  }

  // 2. Each order in flight: decide what to append (venue reads only; writes come after).
  const pending: {
    id: ClientOrderId;
    event: OrderEvent;
    eventId?: string | undefined;
    change: ReconcileChange;
  }[] = [];
  const add = (
    id: ClientOrderId,
    event: OrderEvent,
    change: Omit<ReconcileChange, 'clientOrderId'>,
    eventId?: string,
  ) => pending.push({ id, event, eventId, change: { clientOrderId: id, ...change } });
  for (const order of open) {
    report.checked++;
    const id = order.intent.clientOrderId;
    let seen = listed.get(id) ?? (await venue.order(id));
    if (seen === null) {
      if (order.status === 'INITIALIZED') {
        add(
          id,
          { kind: 'canceled' },
          { kind: 'never_sent', why: 'the app stopped before sending it' },
          'reconcile:never-sent',
        );
        report.neverSent.push(id);
        continue;
      }
      const age = now - order.intent.createdAt;
      if (age < notFoundGraceMs) {
        report.notYetListed.push(id);
        report.changes.push({
          clientOrderId: id,
          kind: 'not_yet_listed',
          why: `sent ${Math.round(age / 1000)} s ago; asked again next run`,
        });
        continue;
      }
      // Asked again before any conclusion: one "not found" is too little to act on.
      seen = await venue.order(id);
      if (seen === null) {
        if (age >= closeLostAfterMs) {
          add(
            id,
            { kind: 'rejected', reason: `${venue.id} never received the order` },
            {
              kind: 'never_received',
              why: `not found by client id ${Math.round(age / 60_000)} min after the send`,
            },
            'reconcile:never-received',
          );
          report.neverSent.push(id);
        } else {
          report.lost.push(id);
          report.changes.push({
            clientOrderId: id,
            kind: 'lost',
            why: 'not found twice by client id; tracked until the venue reports it',
          });
        }
        continue;
      }
    }
    await planOrder(order, seen, fillsOf.get(id) ?? [], venue, add, now + offset);
  }

  // 3. Writes: one transaction.
  const record = options.record ?? ((id, event, eventId) => journal.append(id, event, eventId));
  journal.transaction(() => {
    for (const { id, event, eventId, change } of pending) {
      if (record(id, event, eventId).recorded) {
        report.appended++;
        report.changes.push(change);
      }
    }
  });

  // 4. What the journal cannot explain.
  for (const fill of fills) {
    if (journal.get(fill.clientOrderId) !== undefined) continue;
    report.unexplainedFills.push(fill);
    report.changes.push({
      kind: 'unexplained_fill',
      clientOrderId: fill.clientOrderId,
      symbol: fill.symbol,
      quantity: fill.quantity,
      price: fill.price,
      why: 'a fill of an order this app did not place',
    });
  }
  for (const o of listed.values()) {
    if (journal.get(o.clientOrderId) !== undefined) continue;
    report.externalOrders.push(o);
    report.changes.push({
      kind: 'external_order',
      clientOrderId: o.clientOrderId,
      symbol: o.symbol,
      quantity: o.quantity,
      price: o.price,
      why: `an open ${o.side} order this app did not place (venue id ${o.venueOrderId})`,
    });
  }
  const ours = new Map<string, number>();
  for (const position of journal.positions()) {
    if (position.venue === venue.id)
      ours.set(position.symbol, (ours.get(position.symbol) ?? 0) + position.quantity);
  }
  for (const [symbol, baseline] of options.baselines ?? [])
    ours.set(symbol, (ours.get(symbol) ?? 0) + baseline);
  const theirs = new Map((await venue.positions()).map((position) => [position.symbol, position.quantity]));
  for (const symbol of new Set([...ours.keys(), ...theirs.keys()])) {
    const mine = ours.get(symbol) ?? 0;
    const venueQuantity = theirs.get(symbol) ?? 0;
    if (Math.abs(mine - venueQuantity) > Math.max(Math.abs(mine), Math.abs(venueQuantity)) * noiseLevel) {
      report.positionDiffs.push({ symbol, journal: mine, venue: venueQuantity });
      report.changes.push({
        kind: 'position_diff',
        symbol,
        quantity: venueQuantity - mine,
        why: `the venue holds ${venueQuantity}, the journal explains ${mine}`,
      });
    }
  }
  return report;
}

type Plan = (
  id: ClientOrderId,
  event: OrderEvent,
  change: Omit<ReconcileChange, 'clientOrderId'>,
  eventId?: string,
) => void;

/**
 * What to append for one order the venue reported: acceptance, fills, an inferred fill, its end.
 * Fills come from the bulk list; when they do not add up to the venue's filled quantity, the
 * order's own fills are asked for by id (no clock involved) before anything is inferred.
 */
async function planOrder(
  order: Order,
  seen: OrderReport,
  bulk: readonly FillReport[],
  venue: Venue,
  add: Plan,
  venueNow: number,
): Promise<void> {
  const id = order.intent.clientOrderId;
  const symbol = order.intent.symbol;
  if (order.awaitingAcceptance) {
    add(
      id,
      { kind: 'accepted', venueOrderId: seen.venueOrderId },
      { kind: 'accepted', symbol, why: `${venue.id} has it as ${seen.venueOrderId}` },
      `reconcile:accepted:${seen.venueOrderId}`,
    );
  }
  const known = order.filledQuantity + order.overfill;
  const bulkFilled = bulk.reduce((sum, f) => sum + (order.hasFill(f.tradeId) ? 0 : f.quantity), known);
  const short = seen.filledQuantity - bulkFilled > seen.filledQuantity * noiseLevel;
  const fills = short ? [...bulk, ...(await venue.orderFills(id))] : bulk;
  let filled = known;
  let notional = Number.isNaN(order.averagePrice) ? 0 : order.averagePrice * known;
  const counted = new Set<string>();
  for (const fill of fills) {
    if (order.hasFill(fill.tradeId) || counted.has(fill.tradeId)) continue;
    counted.add(fill.tradeId);
    filled += fill.quantity;
    notional += fill.quantity * fill.price;
    add(
      id,
      {
        kind: 'fill',
        tradeId: fill.tradeId,
        quantity: fill.quantity,
        price: fill.price,
        fee: fill.fee,
        time: fill.time,
        ...(fill.feeInBase !== undefined ? { feeInBase: fill.feeInBase } : {}),
      },
      {
        kind: 'fill',
        symbol,
        quantity: fill.quantity,
        price: fill.price,
        why: `trade ${fill.tradeId} missed while away`,
      },
    );
  }
  const missing = seen.filledQuantity - filled;
  if (missing > seen.filledQuantity * noiseLevel && seen.status !== 'open') {
    // The venue says more filled than every trade it lists: infer the rest, at the price that makes
    // the journal's average equal the venue's (or the order's price when the venue gives none).
    const venueAverage = seen.averagePrice ?? seen.price ?? order.intent.price ?? Number.NaN;
    const price = Number.isFinite(venueAverage)
      ? (venueAverage * seen.filledQuantity - notional) / missing
      : Number.NaN;
    if (Number.isFinite(price) && price > 0) {
      add(
        id,
        {
          kind: 'fill',
          tradeId: `inferred:${seen.venueOrderId}:${seen.filledQuantity}`,
          quantity: missing,
          price,
          fee: 0,
          time: venueNow,
        },
        {
          kind: 'inferred_fill',
          symbol,
          quantity: missing,
          price,
          why: `the venue reports ${seen.filledQuantity} filled but lists trades for ${filled}`,
        },
      );
    }
  }
  // A cancel whose answer was lost and that did not take: the order works on, and can be
  // cancelled again (PENDING_CANCEL would refuse a second cancel forever).
  if (order.status === 'PENDING_CANCEL' && seen.status === 'open')
    add(
      id,
      { kind: 'cancel_rejected', reason: `${venue.id} still has the order open` },
      { kind: 'cancel_not_taken', symbol, why: `${venue.id} still lists it open after the cancel` },
    );
  if (seen.status === 'canceled' || seen.status === 'expired')
    add(
      id,
      { kind: seen.status },
      { kind: seen.status, symbol, why: `${venue.id} reports it ${seen.status}` },
      `reconcile:${seen.status}`,
    );
  if (seen.status === 'rejected')
    add(
      id,
      { kind: 'rejected', reason: 'the venue rejected it' },
      { kind: 'rejected', symbol, why: `${venue.id} reports it rejected` },
      'reconcile:rejected',
    );
}
