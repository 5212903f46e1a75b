// The trading runtime's costs. runtime.journal: one order's intent and one fill committed to the
// order journal (two commits, each flushed to disk: synchronous = FULL, as the runtime runs it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import type { BenchCase } from '../harness.ts';

interface JournalState {
  dir: string;
  db: Database;
  journal: OrderJournal;
  ids: ClientOrderIds;
  n: number;
}

export const runtimeCases: BenchCase[] = [
  {
    name: 'runtime.journal',
    runs: 201,
    warmup: 20,
    setup: (): JournalState => {
      const dir = mkdtempSync(path.join(tmpdir(), 'autobot-bench-journal-'));
      const db = openDatabase(path.join(dir, 'journal.db'));
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
];
