// The model test of issue #13: random venue behaviour — answers dropped before or after the
// exchange acted, rate limits, 5xx, duplicated rows, slow answers, cut connections, fills at any
// moment — against CcxtVenue, the order router and reconciliation, with the loopback Binance as
// the model. After any run and one final reconciliation, the journal's orders, fills and position
// equal the fake exchange's, every time.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import type { OrderStatus } from '../../core/orders/order-state.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { Reconciler } from '../../core/orders/reconciler.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance, type FakeOrder, type FaultKind } from '../support/fake-binance.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const faults: (FaultKind | null)[] = [null, null, 'drop', 'lost', '429', '500', '503', 'delay'];

const step = fc.oneof(
  fc.record({
    op: fc.constant('submit' as const),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    quantity: fc.integer({ min: 1, max: 20 }).map((n) => n / 1000),
    offset: fc.integer({ min: -20, max: 20 }),
    fault: fc.constantFrom(...faults),
  }),
  fc.record({ op: fc.constant('fill' as const), which: fc.nat(), part: fc.constantFrom(0.5, 1) }),
  fc.record({ op: fc.constant('cancel' as const), which: fc.nat(), fault: fc.constantFrom(...faults) }),
  fc.record({ op: fc.constant('poll' as const), duplicate: fc.boolean() }),
  fc.record({ op: fc.constant('disconnect' as const) }),
  fc.record({ op: fc.constant('reconcile' as const) }),
);

/** Journal statuses that agree with the fake's order status. */
const agrees: Record<FakeOrder['status'] | 'absent', OrderStatus[]> = {
  NEW: ['ACCEPTED'],
  PARTIALLY_FILLED: ['PARTIALLY_FILLED'],
  FILLED: ['FILLED'],
  CANCELED: ['CANCELED'],
  EXPIRED: ['EXPIRED'],
  REJECTED: ['REJECTED'],
  // Never reached the exchange: refused, not taken, or closed as never received.
  absent: ['REJECTED', 'DENIED'],
};

describe('CcxtVenue + reconciliation against a misbehaving exchange (model)', () => {
  it('leaves the journal equal to the exchange: orders, fills and position', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 12 }), async (steps) => {
        const temp = makeTempDir('autobot-ccxt-model-');
        const fake = await new FakeBinance({ balances: { USDT: 1_000_000, BTC: 1 } }).start();
        const registry = new ExchangeRegistry();
        const db = openDatabase(path.join(temp.dir, 'journal.db'));
        const journal = new OrderJournal(db, { durability: 'normal' });
        const venue = new CcxtVenue({
          exchange: 'binance',
          apiKey: fake.apiKey,
          secret: fake.secret,
          apiUrl: fake.url,
          registry,
          pollIntervalMs: 0,
          symbols: ['BTC/USDT'],
          symbolOf: (id) => journal.get(id)?.intent.symbol,
          // No fault here waits for the timeout ('drop' and 'lost' cut the socket at once), so a
          // generous one only keeps a slow answer on a loaded machine from reading as a lost one.
          timeoutMs: 30_000,
        });
        let clock = Date.now();
        try {
          await venue.connect();
          const router = new OrderRouter({
            journal,
            venue,
            ids: ClientOrderIds.open(db),
            instruments: await venue.instruments(),
            owner: 'bot',
            now: () => clock,
          });
          const reconciler = new Reconciler({
            db,
            journal,
            venue,
            record: (...args) => router.record(...args),
            intervalMs: 0,
            now: () => clock,
          });
          // The BTC held before the app traded: adopted at the first run, then explained.
          await reconciler.start();
          reconciler.acknowledge();
          for (const s of steps) {
            const ours = [...fake.orders.values()];
            switch (s.op) {
              case 'submit':
                if (s.fault !== null) fake.inject({ kind: s.fault, route: 'POST /api/v3/order', ms: 50 });
                await router.submit({
                  symbol: 'BTC/USDT',
                  side: s.side,
                  type: 'limit',
                  quantity: s.quantity,
                  price: 30_000 + s.offset * 10,
                });
                break;
              case 'fill': {
                const working = ours.filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED');
                const order = working[s.which % Math.max(1, working.length)];
                if (order !== undefined)
                  fake.fill(
                    order.orderId,
                    Math.round((order.origQty - order.executedQty) * s.part * 1e5) / 1e5 || undefined,
                  );
                break;
              }
              case 'cancel': {
                const all = journal.all();
                const order = all[s.which % Math.max(1, all.length)];
                if (order === undefined) break;
                if (s.fault !== null) fake.inject({ kind: s.fault, route: 'DELETE /api/v3/order', ms: 50 });
                await router.cancel(order.intent.clientOrderId);
                break;
              }
              case 'poll':
                if (s.duplicate) fake.inject({ kind: 'duplicate', route: 'GET /api/v3/myTrades', times: 3 });
                await venue.poll();
                break;
              case 'disconnect':
                fake.inject({ kind: 'drop', route: 'GET /api/v3/openOrders' });
                fake.disconnectAll();
                await venue.poll();
                break;
              case 'reconcile':
                await reconciler.run();
                break;
            }
          }
          // Faults end; time passes beyond the lost-order horizon; one reconciliation settles all.
          fake.clearFaults();
          clock += 11 * 60_000;
          const final = await reconciler.run();
          expect(final.error).toBeNull();

          for (const order of journal.all()) {
            const theirs = fake.order(order.intent.clientOrderId);
            expect(
              agrees[theirs?.status ?? 'absent'],
              `${order.intent.clientOrderId}: ${order.status}`,
            ).toContain(order.status);
            expect(order.filledQuantity).toBeCloseTo(theirs?.executedQty ?? 0, 9);
          }
          const fakeTrades = fake.trades.map((t) => String(t.id)).sort();
          const journalTrades = journal.all().flatMap((o) => o.fills.map((f) => f.tradeId));
          expect(new Set(journalTrades).size).toBe(journalTrades.length);
          expect(journalTrades.sort()).toEqual(fakeTrades);
          const position = journal.positions().reduce((sum, p) => sum + p.quantity, 0);
          const btc = fake.balances.get('BTC')!;
          expect(position).toBeCloseTo(btc.free + btc.locked - 1, 9);
          router.close();
          await reconciler.stop();
        } finally {
          await venue.disconnect();
          await registry.closeAll();
          await fake.stop();
          db.close();
          temp.cleanup();
        }
      }),
      {
        numRuns: 8,
        // Found by this test: a submit whose answer was lost, then a cancel that did not take, left the
        // order SUBMITTED although the exchange listed it open (the acceptance came while the cancel
        // was pending and was dropped). Always run.
        examples: [
          [
            [
              { op: 'submit', side: 'buy', quantity: 0.001, offset: 0, fault: 'lost' },
              { op: 'disconnect' },
              { op: 'cancel', which: 0, fault: 'drop' },
              { op: 'cancel', which: 0, fault: null },
            ],
          ],
        ],
      },
    );
  });
});
