// The whole order path as a model test: random orders, cancels, amends, bars, venue faults, and
// restarts — some while the venue kept trading with nobody listening — then one last restart and
// reconciliation. However it went, the journal must agree with the venue: the same positions, the
// same fills counted once, and each order's status matching the venue's report.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineInstrument } from '../../core/domain/instrument.ts';
import type { OrderType, Side } from '../../core/domain/order-terms.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import type { OrderStatus } from '../../core/orders/order-state.ts';
import { reconcile } from '../../core/orders/reconcile.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';
import type { OrderReport } from '../../core/venues/venue.ts';
import type { VenueErrorKind } from '../../core/venues/venue-error.ts';

const goog = defineInstrument({ symbol: 'GOOG', venue: 'simulated', tickSize: 0.01, quantityStep: 1 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-path-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Step =
  | {
      op: 'submit';
      side: Side;
      type: OrderType;
      quantity: number;
      offset: number;
      fault: VenueErrorKind | null;
    }
  | { op: 'cancel'; which: number }
  | { op: 'amend'; which: number; offset: number }
  | { op: 'bar'; move: number; range: number }
  | { op: 'restart'; offline: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('submit' as const),
    side: fc.constantFrom<Side>('buy', 'sell'),
    type: fc.constantFrom<OrderType>('market', 'limit', 'stop'),
    quantity: fc.integer({ min: 1, max: 20 }),
    offset: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
    fault: fc.constantFrom<VenueErrorKind | null>(
      null,
      null,
      null,
      null,
      'outcome_unknown',
      'rejected',
      'retry_later',
    ),
  }),
  fc.record({ op: fc.constant('cancel' as const), which: fc.nat() }),
  fc.record({
    op: fc.constant('amend' as const),
    which: fc.nat(),
    offset: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
  }),
  fc.record({
    op: fc.constant('bar' as const),
    move: fc.double({ min: -0.03, max: 0.03, noNaN: true }),
    range: fc.double({ min: 0, max: 0.03, noNaN: true }),
  }),
  fc.record({ op: fc.constant('restart' as const), offline: fc.nat(3) }),
);

/** The journal statuses that agree with what the venue reports of an order. */
const agrees: Record<OrderReport['status'] | 'unknown', OrderStatus[]> = {
  open: ['ACCEPTED', 'PARTIALLY_FILLED'],
  filled: ['FILLED'],
  canceled: ['CANCELED'],
  expired: ['EXPIRED'],
  rejected: ['REJECTED'],
  // Never reached the venue: refused, rate limited, or denied.
  unknown: ['REJECTED', 'DENIED', 'CANCELED'],
};

describe('the order path, end to end (model)', () => {
  it('leaves the journal agreeing with the venue after any run, restarts and lost answers included', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const file = path.join(dir, `run-${run++}.db`);
        const venue = new SimulatedExchange({
          instruments: [goog],
          fees: { commission: 0.001, fixedFee: 0 },
          slippage: 0.001,
          cash: 1e9,
        });
        await venue.connect();
        let price = 100;
        let time = 0;
        const pushBar = (move: number, range: number) => {
          const open = Math.round(price * (1 + move) * 100) / 100;
          const close = Math.round(open * (1 + move / 2) * 100) / 100;
          time += 3600;
          venue.pushBar('GOOG', {
            time,
            open,
            close,
            high: Math.round(Math.max(open, close) * (1 + range) * 100) / 100,
            low: Math.round(Math.min(open, close) * (1 - range) * 100) / 100,
            volume: 1,
          });
          price = close;
        };
        pushBar(0, 0.01);

        // One start of the app: the journal replayed (NORMAL durability: this test kills nothing,
        // and a flush per event would only slow it), a router, then reconciliation.
        let db: Database;
        let journal: OrderJournal;
        let router: OrderRouter;
        const start = async () => {
          db = openDatabase(file);
          journal = new OrderJournal(db, { durability: 'normal' });
          router = new OrderRouter({
            journal,
            venue,
            ids: ClientOrderIds.open(db),
            instruments: [goog],
            owner: 'bot',
          });
          await reconcile(journal, venue, { record: (...args) => router.record(...args) });
        };
        await start();

        for (const s of steps) {
          const ids = journal!.all().map((order) => order.intent.clientOrderId);
          switch (s.op) {
            case 'submit': {
              if (s.fault !== null) venue.injectFault(s.fault);
              const at = Math.max(0.01, Math.round(price * (1 + s.offset) * 100) / 100);
              await router!.submit({
                symbol: 'GOOG',
                side: s.side,
                type: s.type,
                quantity: s.quantity,
                price: s.type === 'market' ? undefined : at,
              });
              break;
            }
            case 'cancel':
              if (ids.length > 0) await router!.cancel(ids[s.which % ids.length]!);
              break;
            case 'amend':
              if (ids.length > 0) {
                const at = Math.max(0.01, Math.round(price * (1 + s.offset) * 100) / 100);
                await router!.amend(ids[s.which % ids.length]!, { price: at });
              }
              break;
            case 'bar':
              pushBar(s.move, s.range);
              break;
            case 'restart':
              router!.close();
              db!.close();
              // The venue trades on while the app is down: its events reach nobody.
              for (let k = 0; k < s.offline; k++) pushBar(0.01 * (k % 2 === 0 ? 1 : -1), 0.02);
              await start();
              break;
          }
        }

        router!.close();
        db!.close();
        await start();
        const ours = journal!.all();
        // Same positions.
        const venuePosition = (await venue.positions()).find((p) => p.symbol === 'GOOG')?.quantity ?? 0;
        const journalPosition = journal!.positions().find((p) => p.symbol === 'GOOG')?.quantity ?? 0;
        expect(journalPosition).toBe(venuePosition);
        // The same fills, each once.
        const venueFills = await venue.fillsSince(0);
        const journalFills = ours.flatMap((order) => order.fills.map((f) => f.tradeId));
        expect(new Set(journalFills).size).toBe(journalFills.length);
        expect(journalFills.sort()).toEqual(venueFills.map((f) => f.tradeId).sort());
        // Each order's status agrees with the venue's report.
        for (const order of ours) {
          const report = await venue.order(order.intent.clientOrderId);
          expect(
            agrees[report?.status ?? 'unknown'],
            `${order.intent.clientOrderId}: ${order.status}`,
          ).toContain(order.status);
          expect(order.overfill).toBe(0);
        }
        db!.close();
      }),
      { numRuns: 40 },
    );
  });
});
