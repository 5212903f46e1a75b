// The order journal: intents committed before a send, events appended once, state rebuilt by replay.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toClientOrderId, type ClientOrderId } from '../../core/domain/client-order-id.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import type { OrderEvent } from '../../core/orders/order-events.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import type { OrderIntent } from '../../core/orders/order.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-journal-'));
  file = path.join(dir, 'journal.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function intent(id: ClientOrderId, overrides: Partial<OrderIntent> = {}): OrderIntent {
  return {
    clientOrderId: id,
    owner: 'bot-1',
    venue: 'simulated',
    symbol: 'GOOG',
    side: 'buy',
    type: 'market',
    quantity: 10,
    timeInForce: 'GTC',
    createdAt: 1_700_000_000_000,
    ...overrides,
  };
}

const fill = (tradeId: string, quantity: number, price = 100): OrderEvent => ({
  kind: 'fill',
  tradeId,
  quantity,
  price,
  fee: 0.5,
  time: 1_700_000_000_000,
});

/** Opens the journal as a fresh start of the app would. */
function start(): { db: Database; journal: OrderJournal } {
  const db = openDatabase(file);
  return { db, journal: new OrderJournal(db) };
}

describe('order journal', () => {
  it('has the intent on disk before anything is sent, so a crash right after leaves an INITIALIZED order to reconcile', () => {
    const { db, journal } = start();
    const id = toClientOrderId('A-1-1');
    journal.recordIntent(intent(id));
    // No close: the process dies here, before venue.submit. A second connection sees the intent.
    const after = start();
    expect(after.journal.get(id)?.status).toBe('INITIALIZED');
    expect(after.journal.openOrders().map((order) => order.intent.clientOrderId)).toEqual([id]);
    after.db.close();
    db.close();
  });

  it('counts a redelivered fill once and rebuilds orders and positions at start', () => {
    const { db, journal } = start();
    const buy = toClientOrderId('A-1-1');
    const sell = toClientOrderId('A-1-2');
    journal.recordIntent(intent(buy));
    journal.append(buy, { kind: 'submitted' });
    journal.append(buy, { kind: 'accepted', venueOrderId: 'V1' }, 'ev-1');
    expect(journal.append(buy, fill('T1', 4)).recorded).toBe(true);
    expect(journal.append(buy, fill('T1', 4))).toMatchObject({
      recorded: false,
      outcome: { effect: 'duplicate' },
    });
    expect(journal.append(buy, { kind: 'accepted', venueOrderId: 'V1' }, 'ev-1').recorded).toBe(false);
    journal.append(buy, fill('T2', 6));
    journal.recordIntent(intent(sell, { side: 'sell', quantity: 3, type: 'limit', price: 120 }));
    journal.append(sell, { kind: 'submitted' });
    journal.append(sell, fill('T3', 1, 121));
    db.close();

    const { db: again, journal: replayed } = start();
    expect(replayed.get(buy)).toMatchObject({
      status: 'FILLED',
      filledQuantity: 10,
      venueOrderId: 'V1',
      fees: 1,
    });
    expect(replayed.get(sell)).toMatchObject({ status: 'PARTIALLY_FILLED', filledQuantity: 1, price: 120 });
    expect(replayed.openOrders().map((order) => order.intent.clientOrderId)).toEqual([sell]);
    expect(replayed.positions()).toEqual([
      { owner: 'bot-1', venue: 'simulated', symbol: 'GOOG', quantity: 9 },
    ]);
    again.close();
  });

  it('makes at most one order per signal, across restarts', () => {
    const { db, journal } = start();
    const first = journal.recordIntent(intent(toClientOrderId('A-1-1')), 'bot-1:1700000000:0');
    expect(first.created).toBe(true);
    db.close();
    const { db: again, journal: replayed } = start();
    const second = replayed.recordIntent(intent(toClientOrderId('A-2-1')), 'bot-1:1700000000:0');
    expect(second.created).toBe(false);
    expect(second.order.intent.clientOrderId).toBe('A-1-1');
    expect(replayed.all()).toHaveLength(1);
    again.close();
  });

  it('refuses an intent a venue would refuse, naming the field, and an event for an unknown order', () => {
    const { db, journal } = start();
    const id = toClientOrderId('A-1-1');
    expect(() => journal.recordIntent(intent(id, { quantity: 0 }))).toThrow(
      /quantity: must be a positive number/,
    );
    expect(() => journal.recordIntent(intent(id, { type: 'limit' }))).toThrow(
      /price: a limit order needs a positive price/,
    );
    expect(() => journal.append(id, { kind: 'submitted' })).toThrow(/no order A-1-1 in the journal/);
    journal.recordIntent(intent(id));
    expect(() => journal.recordIntent(intent(id))).toThrow(/already in the journal/);
    db.close();
  });

  it('replays to exactly the state it had live, restart after restart (model)', () => {
    const eventArb: fc.Arbitrary<OrderEvent> = fc.oneof(
      fc
        .record({ t: fc.integer({ min: 1, max: 6 }), q: fc.integer({ min: 1, max: 5 }) })
        .map(({ t, q }) => fill(`T${t}`, q)),
      fc.constantFrom<OrderEvent>(
        { kind: 'submitted' },
        { kind: 'accepted' },
        { kind: 'cancel_requested' },
        { kind: 'cancel_rejected', reason: 'late' },
        { kind: 'canceled' },
        { kind: 'rejected', reason: 'no' },
      ),
    );
    const step = fc.oneof(
      fc.constant({ op: 'restart' as const }),
      fc.constant({ op: 'order' as const }),
      fc.record({ op: fc.constant('event' as const), which: fc.nat(), event: eventArb }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        rmSync(file, { force: true });
        let { db, journal } = start();
        let ids = ClientOrderIds.open(db);
        const made: ClientOrderId[] = [];
        for (const s of steps) {
          if (s.op === 'restart') {
            const live = snapshot(journal);
            db.close();
            ({ db, journal } = start());
            ids = ClientOrderIds.open(db);
            expect(snapshot(journal)).toEqual(live);
          } else if (s.op === 'order') {
            const id = ids.next();
            journal.recordIntent(
              intent(id, { owner: `bot-${made.length % 3}`, side: made.length % 2 ? 'sell' : 'buy' }),
            );
            made.push(id);
          } else if (made.length > 0) {
            journal.append(made[s.which % made.length]!, s.event);
          }
        }
        const live = snapshot(journal);
        db.close();
        ({ db, journal } = start());
        expect(snapshot(journal)).toEqual(live);
        db.close();
      }),
      { numRuns: 30 },
    );
  });
});

/** What a user could see of the journal: every order's status, fills and position. */
function snapshot(journal: OrderJournal): unknown {
  return {
    orders: journal.all().map((order) => ({
      id: order.intent.clientOrderId,
      status: order.status,
      filled: order.filledQuantity,
      fills: order.fills.map((f) => f.tradeId),
      overfill: order.overfill,
    })),
    positions: journal.positions(),
  };
}
