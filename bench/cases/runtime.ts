// The trading runtime's costs, with the journal flushing every commit (synchronous = FULL, as the
// runtime runs it):
//  - runtime.journal: one order's intent and one fill committed to the order journal;
//  - runtime.route: one market order through the OrderRouter to the simulated exchange and filled on
//    the next bar (intent, submitted, accepted, fill: four commits) — the order half of issue #11's
//    runtime.tick, which adds the strategy and the feed once bots run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineInstrument } from '../../core/domain/instrument.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import type { BenchCase } from '../harness.ts';

interface JournalState {
  dir: string;
  db: Database;
  journal: OrderJournal;
  ids: ClientOrderIds;
  n: number;
}

interface RouteState {
  dir: string;
  db: Database;
  venue: SimulatedExchange;
  router: OrderRouter;
  time: number;
}

const instrument = defineInstrument({ symbol: 'BENCH', venue: 'simulated', tickSize: 0.01, quantityStep: 1 });

function freshDatabase(prefix: string): { dir: string; db: Database } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, db: openDatabase(path.join(dir, 'journal.db')) };
}

export const runtimeCases: BenchCase[] = [
  {
    name: 'runtime.journal',
    runs: 201,
    warmup: 20,
    setup: (): JournalState => {
      const { dir, db } = freshDatabase('autobot-bench-journal-');
      return { dir, db, journal: new OrderJournal(db), ids: ClientOrderIds.open(db), n: 0 };
    },
    run: (state) => {
      const s = state as JournalState;
      const id = s.ids.next();
      s.journal.recordIntent({
        clientOrderId: id,
        owner: 'bench',
        venue: 'simulated',
        symbol: 'BENCH',
        side: 'buy',
        type: 'market',
        quantity: 1,
        timeInForce: 'GTC',
        createdAt: s.n,
      });
      s.journal.append(id, {
        kind: 'fill',
        tradeId: `T${s.n++}`,
        quantity: 1,
        price: 100,
        fee: 0.1,
        time: s.n,
      });
    },
    teardown: (state) => {
      const s = state as JournalState;
      s.db.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  },
  {
    name: 'runtime.route',
    runs: 201,
    warmup: 20,
    setup: async (): Promise<RouteState> => {
      const { dir, db } = freshDatabase('autobot-bench-route-');
      const venue = new SimulatedExchange({
        instruments: [instrument],
        fees: { commission: 0.001, fixedFee: 0 },
        slippage: 0,
        cash: 1e12,
      });
      await venue.connect();
      const journal = new OrderJournal(db);
      const router = new OrderRouter({
        journal,
        venue,
        ids: ClientOrderIds.open(db),
        instruments: [instrument],
        owner: 'bench',
      });
      return { dir, db, venue, router, time: 0 };
    },
    run: async (state) => {
      const s = state as RouteState;
      await s.router.submit({ symbol: 'BENCH', side: 'buy', type: 'market', quantity: 1 });
      s.time += 60;
      s.venue.pushBar('BENCH', { time: s.time, open: 100, high: 101, low: 99, close: 100, volume: 1 });
    },
    teardown: (state) => {
      const s = state as RouteState;
      s.router.close();
      s.db.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  },
];
