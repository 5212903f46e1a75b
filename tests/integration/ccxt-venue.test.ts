// CcxtVenue against the loopback Binance (tests/support/fake-binance.ts): ccxt's real binance class
// over real HTTP, pointed at the fake by URL override. Polls are driven by hand (pollIntervalMs 0),
// so every step waits for what the venue reported, never for time.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toClientOrderId, type ClientOrderId } from '../../core/domain/client-order-id.ts';
import { CcxtVenue } from '../../core/venues/ccxt/ccxt-venue.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { VenueError } from '../../core/venues/venue-error.ts';
import type { VenueEvent, VenueOrder } from '../../core/venues/venue.ts';
import { FakeBinance } from '../support/fake-binance.ts';

let fake: FakeBinance;
let registry: ExchangeRegistry;
let venue: CcxtVenue;
let events: VenueEvent[];

async function open(options: { timeoutMs?: number; clockOffsetMs?: number } = {}) {
  fake = await new FakeBinance({ clockOffsetMs: options.clockOffsetMs ?? 0 }).start();
  registry = new ExchangeRegistry();
  venue = new CcxtVenue({
    exchange: 'binance',
    apiKey: fake.apiKey,
    secret: fake.secret,
    apiUrl: fake.url,
    registry,
    pollIntervalMs: 0,
    symbols: ['BTC/USDT'],
    timeoutMs: options.timeoutMs ?? 3_000,
  });
  events = [];
  venue.onEvent((event) => events.push(event));
  await venue.connect();
}

const limitBuy = (id: string, quantity = 0.01, price = 29_000): VenueOrder => ({
  clientOrderId: toClientOrderId(id),
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  quantity,
  price,
  timeInForce: 'GTC',
});

const orderEvents = (id: ClientOrderId) =>
  events.flatMap((e) => (e.type === 'order' && e.clientOrderId === id ? [e.event] : []));

async function submitError(order: VenueOrder): Promise<VenueError> {
  const error = await venue.submit(order).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VenueError);
  return error as VenueError;
}

beforeEach(() => open());
afterEach(async () => {
  await venue.disconnect();
  await registry.closeAll();
  await fake.stop();
});

describe('CcxtVenue on the loopback Binance', () => {
  it('lists instruments with the exchange filters as precision and limits', async () => {
    const btc = (await venue.instruments()).find((i) => i.symbol === 'BTC/USDT')!;
    expect(btc).toMatchObject({ venue: 'binance', tickSize: 0.01, quantityStep: 0.00001, minNotional: 5 });
  });

  it('places an order under our client id, follows its partial and full fill, and counts each trade once', async () => {
    const order = limitBuy('ab-1-1', 0.02);
    await venue.submit(order);
    const placed = fake.order('ab-1-1')!;
    expect(placed).toBeDefined();
    expect(orderEvents(order.clientOrderId)).toEqual([
      { kind: 'accepted', venueOrderId: String(placed.orderId) },
    ]);

    fake.fill(placed.orderId, 0.005);
    fake.inject({ kind: 'duplicate', route: 'GET /api/v3/myTrades', times: 5 });
    await venue.poll();
    fake.fill(placed.orderId);
    await venue.poll();
    await venue.poll();
    const fills = orderEvents(order.clientOrderId).filter((e) => e.kind === 'fill');
    expect(fills.map((f) => f.kind === 'fill' && f.quantity)).toEqual([0.005, 0.015]);
    expect(venue.inFlight()).toEqual([]);
    expect((await venue.balances()).find((b) => b.asset === 'BTC')!.free).toBeCloseTo(0.02, 10);
  });

  it('cancels by client id and reports the cancel', async () => {
    await venue.submit(limitBuy('ab-1-2'));
    await venue.cancel(toClientOrderId('ab-1-2'));
    expect(fake.order('ab-1-2')!.status).toBe('CANCELED');
    expect(orderEvents(toClientOrderId('ab-1-2')).at(-1)).toEqual({ kind: 'canceled' });
  });

  it('insufficient funds is a rejection carrying the exchange’s message, and nothing stays in flight', async () => {
    const error = await submitError(limitBuy('ab-1-3', 100));
    expect(error).toMatchObject({ kind: 'rejected', code: 'insufficient_funds' });
    expect(error.message).toContain('insufficient balance');
    expect(venue.inFlight()).toEqual([]);
  });

  it('a response lost after the exchange took the order: outcome unknown, found by client id, never sent twice', async () => {
    fake.inject({ kind: 'lost', route: 'POST /api/v3/order' });
    const error = await submitError(limitBuy('ab-1-4'));
    expect(error.kind).toBe('outcome_unknown');
    expect(venue.inFlight()).toEqual(['ab-1-4']);
    await venue.poll();
    expect(orderEvents(toClientOrderId('ab-1-4'))[0]).toMatchObject({ kind: 'accepted' });
    expect(fake.requests.filter((r) => r.route === 'POST /api/v3/order')).toHaveLength(1);
    expect(await venue.order(toClientOrderId('ab-1-4'))).toMatchObject({ status: 'open', quantity: 0.01 });
  });

  it('"order not found" right after placing is not taken for an answer: the order stays tracked until it shows', async () => {
    fake.notFoundFirst = 4;
    fake.inject({ kind: 'lost', route: 'POST /api/v3/order' });
    await submitError(limitBuy('ab-1-5'));
    await venue.poll();
    expect(venue.inFlight()).toEqual(['ab-1-5']);
    expect(orderEvents(toClientOrderId('ab-1-5'))).toEqual([]);
    await venue.poll();
    await venue.poll();
    expect(orderEvents(toClientOrderId('ab-1-5'))[0]).toMatchObject({ kind: 'accepted' });
  });

  it('a rate limit (429) is retry-later and holds back the next submit without sending it', async () => {
    fake.inject({ kind: '429', route: 'POST /api/v3/order' });
    const error = await submitError(limitBuy('ab-1-6'));
    expect(error).toMatchObject({ kind: 'retry_later', code: 'rate_limited' });
    const held = await submitError(limitBuy('ab-1-7'));
    expect(held.kind).toBe('retry_later');
    expect(held.retryAfterMs).toBeGreaterThan(0);
    expect(fake.requests.filter((r) => r.route === 'POST /api/v3/order')).toHaveLength(1);
  });

  it('a failed poll marks the venue reconnecting and the next good one connected again', async () => {
    await venue.submit(limitBuy('ab-1-8'));
    fake.inject({ kind: 'drop', route: 'GET /api/v3/openOrders' });
    await venue.poll();
    expect(venue.connectionState).toBe('reconnecting');
    await venue.poll();
    expect(venue.connectionState).toBe('connected');
    expect(
      events.filter((e) => e.type === 'connection').map((e) => e.type === 'connection' && e.state),
    ).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
  });

  it('shares one ccxt instance per exchange and key, whatever the number of venues', async () => {
    const second = new CcxtVenue({
      exchange: 'binance',
      apiKey: fake.apiKey,
      secret: fake.secret,
      apiUrl: fake.url,
      registry,
      pollIntervalMs: 0,
    });
    await second.connect();
    expect(second.ccxtExchange).toBe(venue.ccxtExchange);
    expect(registry.size).toBe(1);
    await second.disconnect();
  });

  it('an unknown symbol is refused naming it', async () => {
    const error = await submitError({ ...limitBuy('ab-1-9'), symbol: 'NOPE/USDT' });
    expect(error.kind).toBe('rejected');
    expect(error.message).toContain('NOPE/USDT');
  });
});

describe('CcxtVenue clock', () => {
  it('measures the venue clock and signs with it, so a venue 20 s ahead still accepts orders', async () => {
    await venue.disconnect();
    await registry.closeAll();
    await fake.stop();
    await open({ clockOffsetMs: 20_000 });
    const offset = await venue.clockOffsetMs();
    expect(Math.abs(offset - 20_000)).toBeLessThan(2_000);
    await venue.submit(limitBuy('ab-2-1'));
    expect(fake.order('ab-2-1')).toBeDefined();
  });
});
