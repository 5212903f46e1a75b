// Reconciliation of a real journal with the loopback Binance through CcxtVenue: what a desync
// looks like to a user (an order placed during a network error, a fill that never arrived, a
// balance nobody explained) and what the journal says after one run.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { Reconciler } from '../../core/orders/reconciler.ts';
import { RiskGovernor } from '../../core/risk/risk-governor.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let fake: FakeBinance;
let registry: ExchangeRegistry;
let venue: CcxtVenue;
let db: Database;
let journal: OrderJournal;
let router: OrderRouter;
let governor: RiskGovernor;
let reconciler: Reconciler;
let clock: number;
let cleanup: () => void;

async function open(balances?: Record<string, number>) {
  const temp = makeTempDir('autobot-ccxt-rec-');
  cleanup = temp.cleanup;
  fake = await new FakeBinance(balances ? { balances } : {}).start();
  registry = new ExchangeRegistry();
  db = openDatabase(path.join(temp.dir, 'journal.db'));
  journal = new OrderJournal(db, { durability: 'normal' });
  venue = new CcxtVenue({
    exchange: 'binance',
    apiKey: fake.apiKey,
    secret: fake.secret,
    apiUrl: fake.url,
    registry,
    pollIntervalMs: 0,
    symbols: ['BTC/USDT'],
    symbolOf: (id) => journal.get(id)?.intent.symbol,
    timeoutMs: 30_000,
  });
  await venue.connect();
  clock = Date.now();
  governor = new RiskGovernor({ breakers: [], clock: () => clock });
  router = new OrderRouter({
    journal,
    venue,
    ids: ClientOrderIds.open(db),
    instruments: await venue.instruments(),
    owner: 'bot-1',
    governor,
    now: () => clock,
  });
  reconciler = new Reconciler({
    db,
    journal,
    venue,
    record: (...args) => router.record(...args),
    governor,
    intervalMs: 0,
    now: () => clock,
  });
}

/** A limit buy through the router; the result always holds the journaled order (nothing here is refused before it). */
async function buy(quantity = 0.01, price = 29_000) {
  const result = await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity, price });
  if (!('order' in result)) throw new Error(`refused: ${result.reason}`);
  return result;
}

afterEach(async () => {
  await reconciler.stop();
  router.close();
  await venue.disconnect();
  await registry.closeAll();
  await fake.stop();
  db.close();
  cleanup();
});

describe('reconciliation against the loopback Binance', () => {
  beforeEach(() => open());

  it('an order whose answer was lost is found by client id and journaled once, its fill too', async () => {
    fake.inject({ kind: 'lost', route: 'POST /api/v3/order' });
    const sent = await buy();
    expect(sent.status).toBe('outcome_unknown');
    fake.trade('BTCUSDT', 28_950);
    const run = await reconciler.run();
    expect(run.changes.map((c) => c.kind)).toEqual(['accepted', 'fill']);
    expect(journal.get(sent.order.intent.clientOrderId)).toMatchObject({
      status: 'FILLED',
      filledQuantity: 0.01,
    });
    expect(fake.orders.size).toBe(1);
    expect((await reconciler.run()).changes).toEqual([]);
  });

  it('a filled order whose trades the venue no longer lists gets an inferred fill at the venue’s average', async () => {
    const sent = await buy(0.02);
    const placed = fake.order(sent.order.intent.clientOrderId)!;
    fake.fill(placed.orderId);
    fake.dropTrades(placed.orderId);
    const run = await reconciler.run();
    expect(run.changes.find((c) => c.kind === 'inferred_fill')).toMatchObject({
      quantity: 0.02,
      price: 29_000,
    });
    expect(journal.get(sent.order.intent.clientOrderId)).toMatchObject({
      status: 'FILLED',
      averagePrice: 29_000,
    });
  });

  it('an order the venue never received is asked twice after 60 s, tracked as lost, then closed as never received', async () => {
    fake.inject({ kind: 'drop', route: 'POST /api/v3/order' });
    const sent = await buy();
    expect(sent.status).toBe('outcome_unknown');
    const id = sent.order.intent.clientOrderId;
    expect((await reconciler.run()).report!.notYetListed).toEqual([id]);
    clock += 61_000;
    const asked = fake.requests.filter((r) => r.route === 'GET /api/v3/order').length;
    const lost = await reconciler.run();
    expect(lost.report!.lost).toEqual([id]);
    expect(fake.requests.filter((r) => r.route === 'GET /api/v3/order').length - asked).toBe(2);
    expect(journal.get(id)!.status).toBe('SUBMITTED');
    clock += 10 * 60_000;
    expect((await reconciler.run()).changes.map((c) => c.kind)).toEqual(['never_received']);
    expect(journal.get(id)!.status).toBe('REJECTED');
  });

  it('an order placed on the website is adopted as external and holds the account REDUCING until acknowledged', async () => {
    fake.placeExternal('BTCUSDT', 'BUY', 0.01, 28_000);
    const run = await reconciler.run();
    expect(run.changes.map((c) => c.kind)).toEqual(['external_order']);
    expect(reconciler.reducing).toBe(true);
    expect(governor.state).toBe('reducing');
    expect((await buy()).status).toBe('denied');
    expect(reconciler.acknowledge()).toBe(1);
    expect(governor.state).toBe('active');
    expect((await reconciler.run()).changes.map((c) => c.kind)).toEqual(['external_order']);
    expect(reconciler.reducing).toBe(false);
  });

  it('disconnected mid-order: what filled while away is learned at the reconnect run', async () => {
    const sent = await buy();
    const placed = fake.order(sent.order.intent.clientOrderId)!;
    const runs: string[] = [];
    reconciler.onRun((run) => runs.push(run.trigger));
    await reconciler.start();
    fake.inject({ kind: 'drop', route: 'GET /api/v3/openOrders' });
    fake.disconnectAll();
    await venue.poll();
    expect(venue.connectionState).toBe('reconnecting');
    fake.fill(placed.orderId);
    const reconnected = new Promise((resolve) =>
      reconciler.onRun((run) => run.trigger === 'reconnect' && resolve(run)),
    );
    await venue.poll();
    await reconnected;
    expect(runs).toEqual(['connect', 'reconnect']);
    expect(journal.get(sent.order.intent.clientOrderId)!.status).toBe('FILLED');
  });

  it('runs never overlap: three asked at once make one run and one after it, each diff saved', async () => {
    await buy();
    const [a, b, c] = await Promise.all([reconciler.run(), reconciler.run(), reconciler.run()]);
    expect(a.id).not.toBe(b.id);
    expect(b.id).toBe(c.id);
    expect(reconciler.runs().map((r) => r.id)).toEqual([b.id, a.id]);
    expect(reconciler.runs()[1]!.changes.map((ch) => ch.kind)).toEqual([]);
  });
});

describe('reconciliation of balances', () => {
  beforeEach(() => open({ USDT: 100_000, BTC: 0.5 }));

  it('an unexplained balance at start is adopted, flagged, and the account REDUCING until acknowledged', async () => {
    const run = await reconciler.start();
    expect(run.trigger).toBe('connect');
    expect(run.changes).toEqual([
      expect.objectContaining({ kind: 'position_diff', symbol: 'BTC/USDT', quantity: 0.5 }),
    ]);
    expect(reconciler.adoptions()).toEqual([
      expect.objectContaining({ kind: 'balance', symbol: 'BTC/USDT', quantity: 0.5, acknowledgedAt: null }),
    ]);
    expect(governor.state).toBe('reducing');
    // Adopted: explained from now on, so the next run finds nothing new.
    expect((await reconciler.run()).changes).toEqual([]);
    reconciler.acknowledge();
    expect(governor.state).toBe('active');
  });
});
