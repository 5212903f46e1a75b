// The order state machine against what venues really send: duplicates, reorders, fills after a
// cancel was sent, refused cancels, rejects. Whatever arrives, the order never reaches a status the
// table cannot, counts each trade once, and its position is the sum of its distinct fills.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toClientOrderId } from '../../core/domain/client-order-id.ts';
import type { OrderEvent } from '../../core/orders/order-events.ts';
import { Order, replayOrder, type OrderIntent } from '../../core/orders/order.ts';
import {
  orderStatuses,
  terminalStatuses,
  transitions,
  type OrderStatus,
} from '../../core/orders/order-state.ts';

const intent: OrderIntent = {
  clientOrderId: toClientOrderId('T-1'),
  owner: 'bot-1',
  venue: 'simulated',
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity: 10,
  price: 100,
  timeInForce: 'GTC',
  createdAt: 0,
};

function fill(tradeId: string, quantity: number, price = 100, fee = 0.1): OrderEvent {
  return { kind: 'fill', tradeId, quantity, price, fee, time: 0 };
}

/** Statuses the table can reach from INITIALIZED (FILLED, PARTIALLY_FILLED through fills). */
function reachable(): Set<OrderStatus> {
  const seen = new Set<OrderStatus>(['INITIALIZED', 'PARTIALLY_FILLED', 'FILLED']);
  let grew = true;
  while (grew) {
    grew = false;
    for (const status of [...seen]) {
      for (const target of Object.values(transitions[status])) {
        if (target !== 'PRIOR' && !seen.has(target)) {
          seen.add(target);
          grew = true;
        }
      }
    }
  }
  return seen;
}

/** A fill of whole units (1–4) with a trade id from a small pool, so duplicates are common. */
const fillEvent = fc
  .record({ id: fc.integer({ min: 1, max: 8 }), quantity: fc.integer({ min: 1, max: 4 }) })
  .map(({ id, quantity }) => fill(`t${id}`, quantity));
/** Any event a venue or our own side could produce, in any order. */
const anyEvent: fc.Arbitrary<OrderEvent> = fc.oneof(
  fillEvent,
  fc.constantFrom<OrderEvent>(
    { kind: 'denied', reason: 'risk' },
    { kind: 'submitted' },
    { kind: 'accepted', venueOrderId: 'V1' },
    { kind: 'rejected', reason: 'insufficient balance' },
    { kind: 'cancel_requested' },
    { kind: 'cancel_rejected', reason: 'too late' },
    { kind: 'canceled' },
    { kind: 'update_requested', price: 99 },
    { kind: 'update_rejected', reason: 'no' },
    { kind: 'updated' },
    { kind: 'expired' },
  ),
);

/**
 * What one venue really reports for one order, then delivered badly: a plausible history (submit,
 * accept, some fills summing to at most the size plus maybe an overfill, maybe a cancel that is
 * confirmed or refused), then each event possibly duplicated and the whole stream shuffled a little.
 */
const deliveredHistory = fc
  .record({
    fills: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 6 }),
    cancel: fc.constantFrom('none', 'confirmed', 'refused'),
    cancelAfter: fc.nat(6),
    duplicates: fc.array(fc.nat(20), { maxLength: 6 }),
    swaps: fc.array(fc.tuple(fc.nat(20), fc.nat(20)), { maxLength: 6 }),
  })
  .map(({ fills, cancel, cancelAfter, duplicates, swaps }) => {
    const history: OrderEvent[] = [{ kind: 'submitted' }, { kind: 'accepted', venueOrderId: 'V1' }];
    fills.forEach((quantity, k) => {
      if (cancel !== 'none' && k === cancelAfter) history.push({ kind: 'cancel_requested' });
      history.push(fill(`t${k}`, quantity));
    });
    if (cancel !== 'none') {
      if (cancelAfter >= fills.length) history.push({ kind: 'cancel_requested' });
      history.push(
        cancel === 'confirmed' ? { kind: 'canceled' } : { kind: 'cancel_rejected', reason: 'filled' },
      );
    }
    const delivered = [...history];
    for (const d of duplicates)
      delivered.splice(d % (delivered.length + 1), 0, delivered[d % delivered.length]!);
    // Our own steps come first in a real stream (we write them before sending); the venue's may reorder.
    const ours = delivered.length > 0 ? 2 : 0;
    for (const [a, b] of swaps) {
      const i = ours + (a % (delivered.length - ours));
      const j = ours + (b % (delivered.length - ours));
      [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
    }
    return { history, delivered, fills };
  });

describe('order state machine', () => {
  it('lists every status in its table', () => {
    expect(Object.keys(transitions).sort()).toEqual([...orderStatuses].sort());
  });

  it('moves PENDING_CANCEL to PARTIALLY_FILLED on a fill that arrives after the cancel was sent, then cancels', () => {
    const order = new Order(intent);
    for (const event of [
      { kind: 'submitted' },
      { kind: 'accepted' },
      { kind: 'cancel_requested' },
    ] as OrderEvent[]) {
      order.apply(event);
    }
    expect(order.status).toBe('PENDING_CANCEL');
    expect(order.apply(fill('a', 4)).to).toBe('PARTIALLY_FILLED');
    expect(order.apply({ kind: 'canceled' }).to).toBe('CANCELED');
    expect(order.filledQuantity).toBe(4);
  });

  it('completes a pending cancel with the last fill', () => {
    const order = replayOrder(intent, [
      { kind: 'submitted' },
      { kind: 'accepted' },
      { kind: 'cancel_requested' },
    ]);
    expect(order.apply(fill('a', 10)).to).toBe('FILLED');
    expect(order.apply({ kind: 'canceled' })).toMatchObject({ effect: 'ignored', to: 'FILLED' });
  });

  it('returns to the open state it came from when a cancel or an amend is refused', () => {
    const order = replayOrder(intent, [{ kind: 'submitted' }, { kind: 'accepted' }, fill('a', 3)]);
    order.apply({ kind: 'cancel_requested' });
    expect(order.apply({ kind: 'cancel_rejected', reason: 'busy' }).to).toBe('PARTIALLY_FILLED');
    expect(order.reason).toBe('busy');
    order.apply({ kind: 'update_requested', price: 98 });
    expect(order.status).toBe('PENDING_UPDATE');
    expect(order.apply({ kind: 'updated' }).to).toBe('PARTIALLY_FILLED');
    expect(order.price).toBe(98);
    const fresh = replayOrder(intent, [{ kind: 'submitted' }, { kind: 'update_requested', quantity: 5 }]);
    expect(fresh.apply({ kind: 'update_rejected', reason: 'no' }).to).toBe('SUBMITTED');
    expect(fresh.quantity).toBe(10);
  });

  it('ignores a late acceptance after the first fill, but keeps the venue order id it carries', () => {
    const order = replayOrder(intent, [{ kind: 'submitted' }, fill('a', 2)]);
    expect(order.apply({ kind: 'accepted', venueOrderId: 'V9' })).toMatchObject({ effect: 'ignored' });
    expect(order.status).toBe('PARTIALLY_FILLED');
    expect(order.venueOrderId).toBe('V9');
  });

  it('counts a fill that arrives after the cancel confirmed, and flags it', () => {
    const order = replayOrder(intent, [{ kind: 'submitted' }, { kind: 'accepted' }, { kind: 'canceled' }]);
    expect(order.apply(fill('late', 2))).toMatchObject({
      effect: 'anomaly',
      to: 'CANCELED',
      note: 'fill_after_cancel',
    });
    expect(order.filledQuantity).toBe(2);
  });

  it('flags an overfill instead of accepting it silently, and keeps it in the position', () => {
    const order = replayOrder(intent, [{ kind: 'submitted' }, fill('a', 8)]);
    expect(order.apply(fill('b', 5))).toMatchObject({ effect: 'anomaly', to: 'FILLED', note: 'overfill' });
    expect(order.filledQuantity).toBe(10);
    expect(order.overfill).toBe(3);
    expect(order.positionDelta).toBe(13);
  });

  it('completes an order of 0.3 with fills of 0.1 and 0.2 (float noise is not a remainder)', () => {
    const order = replayOrder({ ...intent, quantity: 0.3 }, [
      { kind: 'submitted' },
      fill('a', 0.1),
      fill('b', 0.2),
    ]);
    expect(order.status).toBe('FILLED');
    expect(order.overfill).toBe(0);
    expect(order.anomalies).toEqual([]);
  });

  it('never reaches a status the table cannot, never moves filled or terminal backwards, on any events (model)', () => {
    const allowed = reachable();
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 40 }), (events) => {
        const order = new Order(intent);
        let filled = 0;
        let wasTerminal = false;
        const trades = new Map<string, number>();
        for (const event of events) {
          order.apply(event);
          if (event.kind === 'fill' && !trades.has(event.tradeId)) trades.set(event.tradeId, event.quantity);
          expect(allowed.has(order.status)).toBe(true);
          expect(order.filledQuantity).toBeGreaterThanOrEqual(filled);
          expect(order.filledQuantity).toBeLessThanOrEqual(order.quantity);
          if (wasTerminal) expect(terminalStatuses.has(order.status)).toBe(true);
          filled = order.filledQuantity;
          wasTerminal = terminalStatuses.has(order.status);
        }
        const traded = [...trades.values()].reduce((sum, quantity) => sum + quantity, 0);
        expect(order.fills.length).toBe(trades.size);
        expect(order.positionDelta).toBe(traded);
        expect(order.filledQuantity + order.overfill).toBe(Math.max(traded, order.filledQuantity));
        expect(order.anomalies.includes('overfill')).toBe(traded > order.quantity);
      }),
      { numRuns: 500 },
    );
  });

  it('ends with the same fills and position however a real history is duplicated and reordered (model)', () => {
    fc.assert(
      fc.property(deliveredHistory, ({ history, delivered, fills }) => {
        const clean = replayOrder(intent, history);
        const messy = replayOrder(intent, delivered);
        const traded = fills.reduce((sum, quantity) => sum + quantity, 0);
        for (const order of [clean, messy]) {
          expect(order.positionDelta).toBe(traded);
          expect(order.fills.length).toBe(fills.length);
          expect(order.filledQuantity).toBe(Math.min(traded, intent.quantity));
          expect(order.fees).toBeCloseTo(0.1 * fills.length, 10);
        }
        // Fully filled orders are FILLED however the news arrived.
        if (traded >= intent.quantity) expect(messy.status).toBe('FILLED');
      }),
      { numRuns: 500 },
    );
  });

  it('replays to the same order from the same events (the journal restart rule)', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), (events) => {
        const a = replayOrder(intent, events);
        const b = replayOrder(intent, events);
        expect({ ...b, fills: b.fills }).toEqual({ ...a, fills: a.fills });
      }),
    );
  });
});
