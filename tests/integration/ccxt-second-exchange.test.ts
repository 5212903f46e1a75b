// The same CcxtVenue, router, journal, reconciler and download as against the loopback Binance,
// now against a loopback OKX (tests/support/fake-okx.ts): ccxt's real okx class over real HTTP,
// signed with key, secret and passphrase. What differs from Binance and had to be generic: the
// precision (tick 0.1, step 1e-8, no notional minimum), the client id's alphabet (letters and
// digits only), candles served newest first 300 at a time, an order placement and a cancel that
// answer only ids, and fees taken in the asset received (the position is what the account holds).
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientOrderId } from '../../core/domain/client-order-id.ts';
import { downloadCandles } from '../../core/data/download-candles.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { Reconciler } from '../../core/orders/reconciler.ts';
import { RiskGovernor } from '../../core/risk/risk-governor.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { clientIdCodec } from '../../core/venues/ccxt/venue-client-id.ts';
import { VenueError } from '../../core/venues/venue-error.ts';
import { syntheticKline } from '../support/fake-binance.ts';
import { FakeOkx } from '../support/fake-okx.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const okxId = clientIdCodec('okx');
let fake: FakeOkx;
let registry: ExchangeRegistry;
let venue: CcxtVenue;
let db: Database;
let journal: OrderJournal;
let router: OrderRouter;
let governor: RiskGovernor;
let reconciler: Reconciler;
let clock: number;
let cleanup: () => void;

beforeEach(async () => {
  const temp = makeTempDir('autobot-okx-');
  cleanup = temp.cleanup;
  fake = await new FakeOkx({ listedAt: Date.UTC(2023, 0, 1) }).start();
  registry = new ExchangeRegistry();
  db = openDatabase(path.join(temp.dir, 'journal.db'));
  journal = new OrderJournal(db, { durability: 'normal' });
  venue = new CcxtVenue({
    exchange: 'okx',
    apiKey: fake.apiKey,
    secret: fake.secret,
    password: fake.passphrase,
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
});

afterEach(async () => {
  await reconciler.stop();
  router.close();
  await venue.disconnect();
  await registry.closeAll();
  await fake.stop();
  db.close();
  cleanup();
});

async function buy(quantity = 0.01, price = 29_000) {
  const result = await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'limit', quantity, price });
  if (!('order' in result)) throw new Error(`refused: ${result.reason}`);
  return result;
}

/** The order as OKX holds it: under our id spelled in letters and digits. */
const atVenue = (id: ClientOrderId) => fake.order(okxId.toVenue(id))!;
const posts = () => fake.requests.filter((r) => r.route === 'POST /api/v5/trade/batch-orders');

describe('OKX through the same CcxtVenue', () => {
  it('lists markets with OKX’s own tick, step and minimum, and the router rounds to them before the send', async () => {
    const btc = (await venue.instruments()).find((i) => i.symbol === 'BTC/USDT')!;
    expect(btc).toMatchObject({
      venue: 'okx',
      tickSize: 0.1,
      quantityStep: 0.00000001,
      minQuantity: 0.00001,
    });
    expect(btc.minNotional).toBe(0); // OKX states no notional minimum for spot
    // The signed loadMarkets (currencies) and every later call passed the fake's signature check.
    expect(fake.requests.map((r) => r.route)).toContain('GET /api/v5/asset/currencies');

    const sent = await buy(0.0123456789, 29_000.06);
    expect(sent.order.intent).toMatchObject({ quantity: 0.01234567, price: 29_000 });
    expect(JSON.parse(posts()[0]!.body)).toEqual([
      expect.objectContaining({ sz: '0.01234567', px: '29000', tdMode: 'cash', side: 'buy' }),
    ]);
  });

  it('refuses an order off OKX’s grid without sending it (rounding happens in one place, not silently in ccxt)', async () => {
    const error = await venue
      .submit({
        clientOrderId: 'abc-1-1' as ClientOrderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: 0.01,
        price: 29_000.05,
        timeInForce: 'GTC',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueError);
    expect(error).toMatchObject({ kind: 'rejected', code: 'precision' });
    expect(posts()).toHaveLength(0);
  });

  it('round trip: our client id → accepted → filled → journal, fee and position; the fee OKX took in BTC; reconciliation agrees', async () => {
    const sent = await buy();
    const id = sent.order.intent.clientOrderId;
    expect(id).toContain('-');
    const placed = atVenue(id);
    // OKX takes letters and digits only: the dash is spelled out and reads back as our id.
    expect(placed.clOrdId).toMatch(/^[A-Za-z0-9]+$/);
    expect(okxId.fromVenue(placed.clOrdId)).toBe(id);
    expect(journal.get(id)).toMatchObject({ status: 'ACCEPTED', venueOrderId: placed.ordId });

    fake.trade('BTC-USDT', 28_950);
    await venue.poll();
    const order = journal.get(id)!;
    expect(order).toMatchObject({ status: 'FILLED', filledQuantity: 0.01, averagePrice: 29_000 });
    // OKX took the fee in BTC (0.1% of 0.01); the journal books it in USDT at the fill price.
    expect(order.fills).toEqual([
      expect.objectContaining({ quantity: 0.01, price: 29_000, feeInBase: 0.00001 }),
    ]);
    expect(order.fills[0]!.fee).toBeCloseTo(0.00001 * 29_000, 8);
    // The position is what the account holds: 0.01 bought, 0.00001 of it kept as the fee.
    const [position] = journal.positions();
    expect(position).toMatchObject({ symbol: 'BTC/USDT' });
    expect(position!.quantity).toBeCloseTo(0.00999, 12);
    expect((await venue.positions())[0]!.quantity).toBeCloseTo(0.00999, 12);
    // And stays so after a restart: the journal replays the fee kept in BTC from disk.
    expect(new OrderJournal(db, { durability: 'normal' }).positions()[0]!.quantity).toBeCloseTo(0.00999, 12);
    const usdt = (await venue.balances()).find((b) => b.asset === 'USDT')!;
    expect(usdt.free).toBeCloseTo(100_000 - 290, 6);

    // Orders, fills and the position agree: nothing to adopt, the account keeps trading.
    expect((await reconciler.run()).changes).toEqual([]);
    expect(governor.state).toBe('active');
  });

  it('cancel: OKX only acknowledges it, the venue reads the order back and the journal closes it', async () => {
    const sent = await buy();
    const id = sent.order.intent.clientOrderId;
    expect(await router.cancel(id)).toBe(true);
    expect(atVenue(id).state).toBe('canceled');
    expect(journal.get(id)!.status).toBe('CANCELED');
    expect(fake.requests.find((r) => r.route === 'POST /api/v5/trade/cancel-order')!.body).toBe(
      JSON.stringify({ instId: 'BTC-USDT', clOrdId: atVenue(id).clOrdId }),
    );
    expect((await reconciler.run()).changes).toEqual([]);
  });

  it('an answer lost after OKX took the order: reconciliation finds it by client id, one order only', async () => {
    fake.inject({ kind: 'lost', route: 'POST /api/v5/trade/batch-orders' });
    const sent = await buy();
    expect(sent.status).toBe('outcome_unknown');
    const id = sent.order.intent.clientOrderId;
    fake.trade('BTC-USDT', 28_950);
    const run = await reconciler.run();
    expect(run.changes.filter((c) => c.clientOrderId === id).map((c) => c.kind)).toEqual([
      'accepted',
      'fill',
    ]);
    expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.01 });
    expect(posts()).toHaveLength(1);
    expect(fake.orders.size).toBe(1);
  });

  it('an order filled in 150 trades (OKX lists 100 a page, newest first): each trade journaled once, none inferred', async () => {
    const sent = await buy(0.015);
    const id = sent.order.intent.clientOrderId;
    const placed = atVenue(id);
    for (let i = 0; i < 150; i++) fake.fill(placed.ordId, 0.0001, placed.cTime + 1 + i);
    await venue.poll();
    const order = journal.get(id)!;
    expect(order).toMatchObject({ status: 'FILLED', filledQuantity: 0.015 });
    expect(new Set(order.fills.map((f) => f.tradeId)).size).toBe(150);
    expect((await reconciler.run()).changes).toEqual([]);
  });

  it('reconciliation reads every fill since the oldest open order past one page: lost answer, 150 trades', async () => {
    fake.inject({ kind: 'lost', route: 'POST /api/v5/trade/batch-orders' });
    const sent = await buy(0.02);
    const id = sent.order.intent.clientOrderId;
    const placed = atVenue(id);
    for (let i = 0; i < 150; i++) fake.fill(placed.ordId, 0.0001, placed.cTime + 1 + i);
    const run = await reconciler.run();
    const kinds = run.changes.filter((c) => c.clientOrderId === id).map((c) => c.kind);
    expect(kinds.filter((k) => k === 'fill')).toHaveLength(150);
    expect(kinds).not.toContain('inferred_fill');
    expect(journal.get(id)!.status).toBe('PARTIALLY_FILLED');
    expect(journal.get(id)!.filledQuantity).toBeCloseTo(0.015, 10);
  });

  it('a stop order is refused before anything is sent (OKX would make it an algo order the lookups cannot find)', async () => {
    const error = await venue
      .submit({
        clientOrderId: 'abc-1-2' as ClientOrderId,
        symbol: 'BTC/USDT',
        side: 'sell',
        type: 'stop',
        quantity: 0.01,
        price: 25_000,
        timeInForce: 'GTC',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rejected', code: 'not_supported' });
    expect(fake.requests.filter((r) => r.route.startsWith('POST'))).toEqual([]);
    expect(venue.inFlight()).toEqual([]);
  });

  it('insufficient balance is a rejection with OKX’s own message', async () => {
    const sent = await buy(10);
    if (sent.status !== 'rejected') throw new Error(`expected a rejection, got ${sent.status}`);
    expect(sent.reason).toContain('Insufficient USDT balance');
    expect(journal.get(sent.order.intent.clientOrderId)).toMatchObject({
      status: 'REJECTED',
      reason: expect.stringContaining('Insufficient USDT balance'),
    });
  });
});

describe('OKX signing', () => {
  async function connectTo(okx: FakeOkx, password: string) {
    const other = new CcxtVenue({
      exchange: 'okx',
      apiKey: okx.apiKey,
      secret: okx.secret,
      password,
      apiUrl: okx.url,
      registry,
      pollIntervalMs: 0,
      symbols: ['BTC/USDT'],
    });
    await other.connect();
    return other;
  }

  it('a venue clock 45 s ahead (OKX refuses a timestamp 30 s off) still takes orders: the measured offset signs', async () => {
    const ahead = await new FakeOkx({ clockOffsetMs: 45_000 }).start();
    try {
      const other = await connectTo(ahead, ahead.passphrase);
      expect(Math.abs((await other.clockOffsetMs()) - 45_000)).toBeLessThan(2_000);
      await other.submit({
        clientOrderId: 'Clock-1-1' as ClientOrderId,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: 0.01,
        price: 29_000,
        timeInForce: 'GTC',
      });
      expect(ahead.order(okxId.toVenue('Clock-1-1' as ClientOrderId))).toBeDefined();
      await other.disconnect();
    } finally {
      await ahead.stop();
    }
  });

  it('a wrong passphrase is refused at connect as an authentication error with OKX’s message', async () => {
    const error = await connectTo(fake, 'not-the-passphrase').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rejected', code: 'authentication' });
    expect(String((error as Error).message)).toContain('OK-ACCESS-PASSPHRASE');
  });
});

describe('candles from OKX through the same download', () => {
  it('pages 300 bars at a time from since to until into okx:BTC/USDT, no gap, no duplicate', async () => {
    const repository = new CandleRepository(db);
    const since = Date.UTC(2024, 0, 1) / 1000;
    const until = Date.UTC(2024, 1, 15) / 1000;
    const result = await downloadCandles(
      repository,
      { exchange: 'okx', symbol: 'BTC/USDT', timeframe: '1h', since, until, apiUrl: fake.url },
      { registry },
    );
    expect(result).toMatchObject({ series: 'okx:BTC/USDT', bars: 45 * 24 + 1, pages: 4 });
    const stored = repository.read('okx:BTC/USDT', '1h');
    const expected: number[] = [];
    for (let t = since; t <= until; t += 3600) expected.push(t);
    expect(Array.from(stored.time)).toEqual(expected);
    for (const i of [0, 299, 300, stored.time.length - 1]) {
      const [open, high, low, close] = syntheticKline(stored.time[i]! * 1000, 3_600_000);
      expect([stored.open[i], stored.high[i], stored.low[i], stored.close[i]]).toEqual([
        open,
        high,
        low,
        close,
      ]);
    }
    // Bars older than OKX's latest 1,440 come from its history endpoint.
    const candleRoutes = new Set(
      fake.requests.filter((r) => r.route.includes('candles')).map((r) => r.route),
    );
    expect(candleRoutes).toEqual(new Set(['GET /api/v5/market/history-candles']));
  });
});
