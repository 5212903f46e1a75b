// The simulated venue behind the async Venue interface: the backtest's fill rules, the events a real
// venue sends, and the three kinds of failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import { toClientOrderId, type ClientOrderId } from '../../core/domain/client-order-id.ts';
import { defineInstrument } from '../../core/domain/instrument.ts';
import type { OrderType, Side, TimeInForce } from '../../core/domain/order-terms.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';
import { SimulatedVenue } from '../../core/venues/simulated/simulated-venue.ts';
import { VenueError } from '../../core/venues/venue-error.ts';
import type { VenueEvent } from '../../core/venues/venue.ts';
import { candlesArb } from '../support/backtest-arbitraries.ts';

const goog = defineInstrument({ symbol: 'GOOG', venue: 'simulated', tickSize: 0.01, quantityStep: 1 });

function exchange(
  options: { commission?: number; fixedFee?: number; slippage?: number; cash?: number } = {},
) {
  const venue = new SimulatedExchange({
    instruments: [goog],
    fees: { commission: options.commission ?? 0, fixedFee: options.fixedFee ?? 0 },
    slippage: options.slippage ?? 0,
    cash: options.cash ?? 10_000,
  });
  const events: VenueEvent[] = [];
  venue.onEvent((event) => events.push(event));
  return { venue, events, orderEvents: () => events.filter((e) => e.type === 'order').map((e) => e.event) };
}

const bar = (time: number, open: number, high: number, low: number, close: number): Bar => ({
  time,
  open,
  high,
  low,
  close,
  volume: 1,
});

let nextId = 0;
function order(
  side: Side,
  quantity: number,
  type: OrderType = 'market',
  price?: number,
  timeInForce: TimeInForce = 'GTC',
) {
  return {
    clientOrderId: toClientOrderId(`t-${++nextId}`),
    symbol: 'GOOG',
    side,
    type,
    quantity,
    price,
    timeInForce,
  };
}

describe('SimulatedExchange', () => {
  it('fills a market order at the next bar’s open with slippage and fees (the backtest’s worked example)', async () => {
    const { venue, orderEvents } = exchange({ commission: 0.001, fixedFee: 1, slippage: 0.01 });
    await venue.connect();
    await venue.submit(order('buy', 10));
    expect(orderEvents().map((e) => e.kind)).toEqual(['accepted']);
    venue.pushBar('GOOG', bar(1, 100, 105, 99, 104));
    await venue.submit(order('sell', 10));
    venue.pushBar('GOOG', bar(2, 110, 111, 108, 109));
    const fills = orderEvents().filter((e) => e.kind === 'fill');
    expect(fills.map((f) => [f.price, f.fee])).toEqual([
      [101, expect.closeTo(2.01, 12)],
      [108.9, expect.closeTo(2.089, 12)],
    ]);
    const [cash] = await venue.balances();
    expect(cash!.free).toBeCloseTo(10_074.901, 9);
    expect(await venue.positions()).toEqual([]);
    expect((await venue.fillsSince(2000)).map((f) => f.price)).toEqual([108.9]);
  });

  it('rests limit and stop orders from the next bar and fills them at their price, or at the open on a gap', async () => {
    const { venue, orderEvents } = exchange();
    await venue.connect();
    venue.pushBar('GOOG', bar(1, 100, 101, 99, 100));
    const limit = order('buy', 1, 'limit', 95);
    const stop = order('sell', 1, 'stop', 98);
    await venue.submit(limit);
    await venue.submit(stop);
    venue.pushBar('GOOG', bar(2, 100, 100.5, 96, 97)); // reaches the stop (98), not the limit
    venue.pushBar('GOOG', bar(3, 94, 95, 93, 94)); // gaps through the limit: fills at the open
    const fills = orderEvents().filter((e) => e.kind === 'fill');
    expect(fills.map((f) => f.price)).toEqual([98, 94]);
    expect(await venue.openOrders()).toEqual([]);
  });

  it('cancels, amends and refuses the way a venue does', async () => {
    const { venue, orderEvents } = exchange();
    await venue.connect();
    venue.pushBar('GOOG', bar(1, 100, 101, 99, 100));
    const resting = order('buy', 2, 'limit', 90);
    await venue.submit(resting);
    await venue.amend(resting.clientOrderId, { price: 91.5 });
    await venue.amend(resting.clientOrderId, { price: 91.505 });
    expect((await venue.order(resting.clientOrderId))?.price).toBe(91.5);
    await venue.cancel(resting.clientOrderId);
    await venue.cancel(resting.clientOrderId);
    expect(orderEvents().map((e) => e.kind)).toEqual([
      'accepted',
      'updated',
      'update_rejected',
      'canceled',
      'cancel_rejected',
    ]);
    await expect(venue.cancel(toClientOrderId('nope'))).rejects.toMatchObject({
      kind: 'rejected',
      code: 'unknown_order',
    });
  });

  it('rejects what the instrument forbids, naming the reason', async () => {
    const { venue, orderEvents } = exchange();
    await venue.connect();
    await venue.submit(order('buy', 1.5));
    await venue.submit(order('buy', 1, 'limit', 100.001));
    await venue.submit({ ...order('buy', 1), symbol: 'MSFT' });
    const reasons = orderEvents().map((e) => (e.kind === 'rejected' ? e.reason : e.kind));
    expect(reasons).toEqual([
      'quantity 1.5 is not a positive multiple of 1',
      'price 100.001 is not on the 0.01 tick',
      'unknown symbol MSFT',
    ]);
  });

  it('classifies failures: nothing sent, answer lost, refused', async () => {
    const { venue, orderEvents } = exchange();
    const first = order('buy', 1);
    await expect(venue.submit(first)).rejects.toMatchObject({ kind: 'retry_later', code: 'not_connected' });
    await venue.connect();
    venue.injectFault('outcome_unknown');
    const lost = order('buy', 1);
    const error = await venue.submit(lost).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VenueError);
    expect((error as VenueError).kind).toBe('outcome_unknown');
    // The answer was lost but the order is working: reconciliation finds it by our id.
    expect(await venue.order(lost.clientOrderId)).toMatchObject({ status: 'open' });
    expect(await venue.order(first.clientOrderId)).toBeNull();
    await expect(venue.submit(lost)).rejects.toMatchObject({
      kind: 'rejected',
      code: 'duplicate_client_order_id',
    });
    venue.injectFault('retry_later');
    await expect(venue.submit(order('buy', 1))).rejects.toMatchObject({
      kind: 'retry_later',
      retryAfterMs: 1000,
    });
    venue.pushBar('GOOG', bar(1, 100, 101, 99, 100));
    expect(orderEvents().map((e) => e.kind)).toEqual(['fill']);
  });

  it('cancels an IOC limit it cannot fill on its first bar, and expires a DAY order after its day', async () => {
    const { venue, orderEvents } = exchange();
    await venue.connect();
    venue.pushBar('GOOG', bar(0, 100, 101, 99, 100));
    await venue.submit(order('buy', 1, 'limit', 50, 'IOC'));
    await venue.submit(order('buy', 1, 'limit', 50, 'DAY'));
    venue.pushBar('GOOG', bar(3_600, 100, 101, 99, 100));
    venue.pushBar('GOOG', bar(86_400, 100, 101, 99, 100));
    expect(orderEvents().map((e) => e.kind)).toEqual(['accepted', 'accepted', 'canceled', 'expired']);
  });

  it('reports connection changes as events', async () => {
    const { venue, events } = exchange();
    await venue.connect();
    await venue.disconnect();
    expect(events.map((e) => (e.type === 'connection' ? e.state : e.type))).toEqual([
      'connecting',
      'connected',
      'disconnected',
    ]);
    expect(venue.connectionState).toBe('disconnected');
  });

  it('fills every order on the bar and at the price the backtest’s venue would (property)', async () => {
    const script = fc.array(
      fc.record({
        bar: fc.nat(200),
        side: fc.constantFrom<Side>('buy', 'sell'),
        type: fc.constantFrom<OrderType>('market', 'limit', 'stop'),
        offset: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
      }),
      { maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(
        candlesArb,
        script,
        fc.constantFrom(0, 0.001, 0.01),
        async (candles, orders, slippage) => {
          const n = candles.close.length;
          const { venue } = exchange({ slippage });
          await venue.connect();
          // Where the backtest's venue fills each order: the first bar after it whose range reaches it.
          const backtest = new SimulatedVenue(candles, slippage);
          const expected = new Map<ClientOrderId, { bar: number; price: number }>();
          for (let i = 0; i < n; i++) {
            venue.pushBar(
              'GOOG',
              bar(candles.time[i]!, candles.open[i]!, candles.high[i]!, candles.low[i]!, candles.close[i]!),
            );
            // Orders placed on bar i's close.
            for (const o of orders.filter((o) => o.bar % n === i)) {
              const price = Math.round(candles.close[i]! * (1 + o.offset) * 100) / 100;
              const sent = order(o.side, 1, o.type, o.type === 'market' ? undefined : Math.max(0.01, price));
              await venue.submit(sent);
              const direction = o.side === 'buy' ? 1 : -1;
              for (let j = i + 1; j < n; j++) {
                backtest.bar = j;
                const at =
                  o.type === 'market'
                    ? backtest.marketPrice(direction)
                    : o.type === 'stop'
                      ? backtest.stopPrice(direction, sent.price!)
                      : backtest.limitPrice(direction, sent.price!);
                if (!Number.isNaN(at)) {
                  expected.set(sent.clientOrderId, { bar: j, price: at });
                  break;
                }
              }
            }
          }
          const fills = await venue.fillsSince(0);
          expect(fills).toHaveLength(expected.size);
          for (const fill of fills) {
            const want = expected.get(fill.clientOrderId)!;
            expect(fill.price).toBe(want.price);
            expect(fill.time).toBe(candles.time[want.bar]! * 1000);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
