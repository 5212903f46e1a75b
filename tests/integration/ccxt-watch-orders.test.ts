// Order updates from ccxt's watchOrders against the loopback Binance's user-data stream
// (tests/support/fake-binance-user-stream.ts: the WebSocket API subscription and executionReports
// ccxt 4.5 reads), with REST polling off (pollIntervalMs 0: a poll runs only when the venue itself
// decides to), so what reaches the venue's events and the journal came from the stream — or from
// the REST fallback the venue runs when the stream drops. Every step waits for an event.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientOrderId } from '../../core/domain/client-order-id.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import type { VenueEvent, VenueOrderEvent } from '../../core/venues/venue.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let fake: FakeBinance;
let registry: ExchangeRegistry;
let venue: CcxtVenue;
let db: Database;
let journal: OrderJournal;
let router: OrderRouter;
let events: VenueEvent[];
let waiters: { test: (event: VenueEvent) => boolean; resolve: (event: VenueEvent) => void }[];
let cleanup: () => void;

interface Setup {
  streams?: boolean;
  pollIntervalMs?: number;
  /** Take watchOrders away from the exchange (an exchange ccxt has no order stream for). */
  noWatchOrders?: boolean;
}

async function open(setup: Setup = {}): Promise<void> {
  const temp = makeTempDir('autobot-ccxt-watch-');
  cleanup = temp.cleanup;
  fake = await new FakeBinance().start();
  registry = new ExchangeRegistry();
  db = openDatabase(path.join(temp.dir, 'journal.db'));
  journal = new OrderJournal(db, { durability: 'normal' });
  const config = { exchange: 'binance', apiKey: fake.apiKey, secret: fake.secret, apiUrl: fake.url };
  if (setup.noWatchOrders === true) (await registry.get(config)).has['watchOrders'] = false;
  venue = new CcxtVenue({
    ...config,
    registry,
    streams: setup.streams ?? true,
    pollIntervalMs: setup.pollIntervalMs ?? 0,
    symbols: ['BTC/USDT'],
    symbolOf: (id) => journal.get(id)?.intent.symbol,
    timeoutMs: 10_000,
  });
  events = [];
  waiters = [];
  venue.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (!waiter.test(event)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  const subscribed = fake.userStream.nextSubscription();
  await venue.connect();
  if (setup.streams !== false && setup.noWatchOrders !== true) await subscribed;
  router = new OrderRouter({
    journal,
    venue,
    ids: ClientOrderIds.open(db),
    instruments: await venue.instruments(),
    owner: 'bot-1',
  });
}

afterEach(async () => {
  router.close();
  await venue.disconnect();
  await registry.closeAll();
  await fake.stop();
  db.close();
  cleanup();
});

/** The first venue event (already seen or still to come) that passes `test`. */
function until(test: (event: VenueEvent) => boolean): Promise<VenueEvent> {
  const seen = events.find(test);
  if (seen !== undefined) return Promise.resolve(seen);
  return new Promise((resolve) => waiters.push({ test, resolve }));
}

const orderEvents = (id: ClientOrderId): VenueOrderEvent[] =>
  events.flatMap((e) => (e.type === 'order' && e.clientOrderId === id ? [e.event] : []));

const fills = (id: ClientOrderId) =>
  orderEvents(id).flatMap((e) => (e.kind === 'fill' ? [{ tradeId: e.tradeId, quantity: e.quantity }] : []));

/** The `n`-th fill (1-based) of an order, waited for. */
const fillNumber = (id: ClientOrderId, n: number) => until(() => fills(id).length >= n);

const orderEvent = (id: ClientOrderId, kind: VenueOrderEvent['kind']) =>
  until((e) => e.type === 'order' && e.clientOrderId === id && e.event.kind === kind);

/** A limit buy through the router (resting at 29,000 until the test fills it); its client id. */
async function limitBuy(quantity = 0.02): Promise<ClientOrderId> {
  const result = await router.submit({
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    quantity,
    price: 29_000,
  });
  if (!('order' in result)) throw new Error(`refused: ${result.reason}`);
  return result.order.intent.clientOrderId;
}

const venueOrderId = (id: ClientOrderId) => fake.order(id)!.orderId;

/** A resting buy of 0.02 filled 0.005, then the rest: two fills, the order FILLED. */
async function partialThenFill(): Promise<void> {
  const id = await limitBuy(0.02);
  fake.fill(venueOrderId(id), 0.005);
  await fillNumber(id, 1);
  fake.fill(venueOrderId(id));
  await fillNumber(id, 2);
  expect(fills(id).map((f) => f.quantity)).toEqual([0.005, 0.015]);
  expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.02 });
}

/** Requests a REST poll makes (open orders, then an order by client id): none may run here unless the stream failed. */
const pollRequests = () =>
  fake.requests.filter((r) => r.route === 'GET /api/v3/openOrders' || r.route === 'GET /api/v3/order');

const tradeRequests = () => fake.requests.filter((r) => r.route === 'GET /api/v3/myTrades');

describe('order updates from the user-data stream (watchOrders)', () => {
  it('a market order whose REST answer was lost is filled from the stream alone, journaled once', async () => {
    await open();
    fake.inject({ kind: 'lost', route: 'POST /api/v3/order' });
    const sent = await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.01 });
    expect(sent.status).toBe('outcome_unknown');
    const id = (sent as { order: { intent: { clientOrderId: ClientOrderId } } }).order.intent.clientOrderId;
    await fillNumber(id, 1);
    const trade = fake.trades[0]!;
    expect(orderEvents(id).filter((e) => e.kind === 'fill')).toEqual([
      {
        kind: 'fill',
        tradeId: String(trade.id),
        quantity: 0.01,
        price: trade.price,
        fee: trade.commission,
        time: trade.time,
      },
    ]);
    expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.01 });
    expect(journal.positionOf('bot-1', venue.id, 'BTC/USDT')).toBeCloseTo(0.01, 10);
    expect(venue.inFlight()).toEqual([]);
    // Nothing asked by REST after the lost answer: not the order, not even its trades.
    expect(pollRequests()).toEqual([]);
    expect(tradeRequests()).toEqual([]);
    expect(fake.requests.filter((r) => r.route === 'POST /api/v3/order')).toHaveLength(1);
  });

  it('a partial fill then the fill, from the stream and without a REST call', async () => {
    await open();
    await partialThenFill();
    expect(venue.inFlight()).toEqual([]);
    expect(pollRequests()).toEqual([]);
    expect(tradeRequests()).toEqual([]);
  });

  it('a trade the stream missed is read by REST, and a report arriving during that read is not lost', async () => {
    await open();
    const id = await limitBuy(0.02);
    await orderEvent(id, 'accepted');
    // The first trade's report is lost: the next update's trades fall short, so they are read by REST.
    fake.userStream.muted = true;
    fake.fill(venueOrderId(id), 0.005);
    fake.userStream.muted = false;
    // That read is held back, and the order's FILLED report arrives while it is pending.
    fake.inject({ kind: 'delay', route: 'GET /api/v3/myTrades', ms: 300 });
    const reading = fake.nextRequest('GET /api/v3/myTrades');
    fake.fill(venueOrderId(id), 0.005);
    await reading;
    fake.fill(venueOrderId(id));
    await fillNumber(id, 3);
    expect(fills(id).map((f) => f.quantity)).toEqual([0.005, 0.005, 0.01]);
    expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.02 });
    expect(venue.inFlight()).toEqual([]);
    expect(pollRequests()).toEqual([]);
  });

  it('a report delivered twice, or again later, is counted once (fills by trade id)', async () => {
    await open();
    fake.userStream.duplicateNext = 100;
    const id = await limitBuy(0.02);
    fake.fill(venueOrderId(id), 0.005);
    await fillNumber(id, 1);
    const partial = fake.userStream.reports.find((r) => r.x === 'TRADE')!;
    fake.userStream.resend(partial);
    fake.fill(venueOrderId(id));
    await fillNumber(id, 2);
    fake.userStream.resend(partial);
    // A second order's fill, reported after every repeat above: once it is in, they were all read.
    const second = await limitBuy(0.01);
    fake.fill(venueOrderId(second));
    await fillNumber(second, 1);
    expect(fills(id).map((f) => f.quantity)).toEqual([0.005, 0.015]);
    expect(new Set(fills(id).map((f) => f.tradeId)).size).toBe(2);
    expect(orderEvents(id).filter((e) => e.kind === 'accepted')).toHaveLength(1);
    expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.02 });
    expect(journal.positionOf('bot-1', venue.id, 'BTC/USDT')).toBeCloseTo(0.03, 10);
    expect(pollRequests()).toEqual([]);
  });

  it('a cancel whose REST answer was lost is learnt from the stream (the report names the order in C)', async () => {
    await open();
    const id = await limitBuy();
    fake.inject({ kind: 'lost', route: 'DELETE /api/v3/order' });
    expect(await router.cancel(id)).toBe(true);
    await orderEvent(id, 'canceled');
    expect(fake.userStream.reports.at(-1)).toMatchObject({ x: 'CANCELED', C: id });
    expect(fake.userStream.reports.at(-1)!.c).not.toBe(id);
    expect(journal.get(id)!.status).toBe('CANCELED');
    expect(venue.inFlight()).toEqual([]);
  });

  it('the stream dropped mid-order: the venue asks REST at once, the fill is recorded once, and the stream comes back', async () => {
    await open();
    const id = await limitBuy(0.02);
    fake.fill(venueOrderId(id), 0.005);
    await fillNumber(id, 1);
    // Down and refused: the rest of the fill is reported to nobody.
    fake.userStream.drop(true);
    fake.fill(venueOrderId(id));
    await fillNumber(id, 2);
    expect(pollRequests().length).toBeGreaterThan(0);
    expect(fills(id).map((f) => f.quantity)).toEqual([0.005, 0.015]);
    expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.02 });
    expect(venue.inFlight()).toEqual([]);
    // It tries to come back while refused (a refusal must not surface as an unhandled rejection).
    await fake.userStream.nextRefusal();

    const back = fake.userStream.nextSubscription();
    fake.userStream.resume();
    await back;
    const after = pollRequests().length;
    const second = await limitBuy(0.01);
    fake.fill(venueOrderId(second));
    await fillNumber(second, 1);
    // The second order came by the stream again, not by REST.
    expect(pollRequests().length).toBe(after);
    expect(fills(id)).toHaveLength(2);
    expect(journal.positionOf('bot-1', venue.id, 'BTC/USDT')).toBeCloseTo(0.03, 10);
  });

  it('a stream that goes silent (connected, nothing sent) is covered by the REST poll', async () => {
    await open({ pollIntervalMs: 50 });
    fake.userStream.muted = true;
    const id = await limitBuy(0.02);
    fake.fill(venueOrderId(id));
    await fillNumber(id, 1);
    expect(pollRequests().length).toBeGreaterThan(0);
    expect(fills(id).map((f) => f.quantity)).toEqual([0.02]);
    expect(journal.get(id)).toMatchObject({ status: 'FILLED', filledQuantity: 0.02 });
  });
});

describe('order updates by REST alone', () => {
  const partialThenFillByRest = async () => {
    await partialThenFill();
    expect(fake.userStream.subscriptions).toBe(0);
    expect(pollRequests().length).toBeGreaterThan(0);
  };

  it('streams off: the poll follows the order', async () => {
    await open({ streams: false, pollIntervalMs: 50 });
    await partialThenFillByRest();
  });

  it('an exchange without watchOrders: the poll follows the order even with streams on', async () => {
    await open({ noWatchOrders: true, pollIntervalMs: 50 });
    await partialThenFillByRest();
  });
});
