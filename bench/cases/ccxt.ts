// ccxt.reconcile (issue #13): one reconciliation of a journal holding 500 open orders against the
// loopback Binance holding the same 500 orders and 5,000 fills the journal has not seen (10 partial
// fills each): open orders listed, fills paged (1,000 a page) and attributed, 5,000 fill events
// appended in one transaction. Each timed run starts from a fresh journal copy (untimed). ccxt's
// limiter is off: the loopback peer has no quota, and the case measures our work, not Binance's.
// Target: median ≤ 500 ms. Bounded: every request has a 5 s timeout, so a stuck peer fails the
// case instead of hanging it.
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { formatClientOrderId } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { reconcile } from '../../core/orders/reconcile.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../../tests/support/fake-binance.ts';
import { makeTempDir } from '../../tests/support/temp-dir.ts';
import type { BenchCase } from '../harness.ts';

const orders = 500;
const fillsPerOrder = 10;

interface State {
  fake: FakeBinance;
  registry: ExchangeRegistry;
  venue: CcxtVenue;
  template: string;
  dir: string;
  cleanup: () => void;
  db?: Database;
  journal?: OrderJournal;
  appended: number;
}

export const ccxtCases: BenchCase[] = [
  {
    name: 'ccxt.reconcile',
    runs: 7,
    warmup: 1,
    setup: async (): Promise<State> => {
      const { dir, cleanup } = makeTempDir('autobot-bench-ccxt-');
      const fake = await new FakeBinance({ balances: { USDT: 1e9, BTC: 0 } }).start();
      const template = path.join(dir, 'template.db');
      const db = openDatabase(template);
      const journal = new OrderJournal(db, { durability: 'normal' });
      const createdAt = Date.now();
      journal.transaction(() => {
        for (let i = 1; i <= orders; i++) {
          const clientOrderId = formatClientOrderId('bench0', 1, i);
          journal.recordIntent({
            clientOrderId,
            owner: 'bot',
            venue: 'binance',
            symbol: 'BTC/USDT',
            side: 'buy',
            type: 'limit',
            quantity: 0.1,
            price: 29_000,
            timeInForce: 'GTC',
            createdAt,
          });
          journal.append(clientOrderId, { kind: 'submitted' });
          const order = fake.placeOrder('BTCUSDT', 'BUY', 0.1, 29_000, clientOrderId);
          journal.append(clientOrderId, { kind: 'accepted', venueOrderId: String(order.orderId) });
          for (let f = 0; f < fillsPerOrder; f++) fake.fill(order.orderId, 0.005);
        }
      });
      db.close();
      const registry = new ExchangeRegistry();
      const venue = new CcxtVenue({
        exchange: 'binance',
        apiKey: fake.apiKey,
        secret: fake.secret,
        apiUrl: fake.url,
        registry,
        rateLimit: false,
        pollIntervalMs: 0,
        symbols: ['BTC/USDT'],
        symbolOf: () => 'BTC/USDT',
        timeoutMs: 5_000,
      });
      await venue.connect();
      return { fake, registry, venue, template, dir, cleanup, appended: 0 };
    },
    beforeEach: (state) => {
      const s = state as State;
      s.db?.close();
      const file = path.join(s.dir, 'run.db');
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      copyFileSync(s.template, file);
      s.db = openDatabase(file);
      s.journal = new OrderJournal(s.db, { durability: 'normal' });
    },
    run: async (state) => {
      const s = state as State;
      const report = await reconcile(s.journal!, s.venue, { fillsSince: 0 });
      if (report.appended !== orders * fillsPerOrder)
        throw new Error(`appended ${report.appended} events, expected ${orders * fillsPerOrder}`);
      s.appended = report.appended;
    },
    teardown: async (state) => {
      const s = state as State;
      s.db?.close();
      await s.venue.disconnect();
      await s.registry.closeAll();
      await s.fake.stop();
      s.cleanup();
    },
    figures: (medianMs, state) => ({
      orders,
      fills: (state as State).appended,
      fills_per_s: Math.round(((state as State).appended / medianMs) * 1000),
    }),
  },
];
