// CTraderVenue against a loopback TLS cTrader peer: the session (app auth, accounts, account auth,
// trader, symbols, reconcile, spots), orders through the journal and router, and the faults a
// broker connection really has — each followed to what the journal ends up knowing.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../core/orders/reconcile.ts';
import type { Bar } from '../../core/domain/bar.ts';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.ts';
import { startCTraderSetup, type CTraderSetup } from '../support/ctrader-setup.ts';

let certs: TestCertificates;
let setup: CTraderSetup | null = null;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  await setup?.close();
  setup = null;
});

async function start(options?: Parameters<typeof startCTraderSetup>[1]) {
  setup = await startCTraderSetup(certs, options);
  return setup;
}

const kinds = (s: CTraderSetup) =>
  s.events.flatMap((event) => (event.type === 'order' ? [event.event.kind] : []));

describe('CTraderVenue session', () => {
  it('authenticates, lists the demo account and the symbols with their digits and volume steps', async () => {
    const s = await start();
    expect(s.venue.connectionState).toBe('connected');
    expect(s.venue.accounts).toEqual([
      { ctidTraderAccountId: 1001, isLive: false, traderLogin: 5_001_001, broker: 'Loopback Markets' },
    ]);
    expect(s.venue.trader?.balance).toBe(10_000);
    const instruments = await s.venue.instruments();
    const eurusd = instruments.find((instrument) => instrument.symbol === 'EURUSD');
    expect(eurusd).toMatchObject({
      tickSize: 0.00001,
      quantityStep: 1000,
      minQuantity: 1000,
      venue: 'ctrader-demo',
    });
    expect(instruments.find((instrument) => instrument.symbol === 'PALMOIL')).toMatchObject({
      tickSize: 1,
      quantityStep: 1,
    });
    expect(s.peer.counts).toMatchObject({ appAuths: 1, accountAuths: 1 });
  });

  it('turns spots into closed bars from the bid', async () => {
    const s = await start();
    const bars: Bar[] = [];
    let closed!: () => void;
    const firstBar = new Promise<void>((resolve) => (closed = resolve));
    s.venue.subscribeBars('EURUSD', '1m', (bar) => {
      bars.push(bar);
      closed();
    });
    await s.venue.subscribeSpots(['EURUSD']);
    expect(s.peer.counts.spotsSubscribed).toBe(1);
    const minute = Date.UTC(2026, 11, 1, 12, 0);
    s.peer.pushSpot(1, 108_400, 108_402, minute + 1_000);
    s.peer.pushSpot(1, 108_480, 108_482, minute + 20_000);
    s.peer.pushSpot(1, 108_380, 108_382, minute + 40_000);
    s.peer.pushSpot(1, 108_500, 108_502, minute + 61_000);
    await firstBar;
    expect(bars[0]).toEqual({
      time: minute / 1000,
      open: 1.084,
      high: 1.0848,
      low: 1.0838,
      close: 1.0838,
      volume: 3,
    });
  });
});

describe('CTraderVenue orders', () => {
  it('an order is accepted, partly filled, then filled, and the journal holds both deals', async () => {
    const s = await start({ partialFills: true });
    const result = await s.router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 10_000 });
    expect(result.status).toBe('sent');
    const id = result.status === 'sent' ? result.order.intent.clientOrderId : undefined;
    await s.until(() => s.journal.get(id!)?.status === 'FILLED');
    expect(kinds(s)).toEqual(['accepted', 'fill', 'fill']);
    const order = s.journal.get(id!)!;
    expect(order.fills.map((fill) => [fill.quantity, fill.price])).toEqual([
      [5_000, 1.08456],
      [5_000, 1.08456],
    ]);
    // The peer charges 0.03 per 1,000 units: 0.15 for each half.
    expect(order.fills.map((fill) => fill.fee)).toEqual([0.15, 0.15]);
    expect(await s.venue.positions()).toEqual([
      { symbol: 'EURUSD', quantity: 10_000, averagePrice: 1.08456 },
    ]);
  });

  it('an order error rejects the order with cTrader’s code and words', async () => {
    const s = await start();
    s.peer.rejectNextOrder = { errorCode: 'NOT_ENOUGH_MONEY', description: 'Not enough money' };
    const result = await s.router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000 });
    expect(result.status).toBe('rejected');
    if (result.status !== 'rejected') return;
    expect(result.reason).toMatch(/NOT_ENOUGH_MONEY — Not enough money/);
    expect(s.journal.get(result.order.intent.clientOrderId)?.status).toBe('REJECTED');
  });

  it('a limit order is amended and cancelled', async () => {
    const s = await start();
    const result = await s.router.submit({
      symbol: 'EURUSD',
      side: 'buy',
      type: 'limit',
      quantity: 2_000,
      price: 1.07,
    });
    if (result.status !== 'sent') throw new Error(result.status);
    const id = result.order.intent.clientOrderId;
    await s.until(() => s.journal.get(id)?.status === 'ACCEPTED');
    expect(await s.router.amend(id, { price: 1.065 })).toBe(true);
    await s.until(() => kinds(s).includes('updated'));
    expect(s.journal.get(id)?.price).toBe(1.065);
    expect(await s.router.cancel(id)).toBe(true);
    await s.until(() => s.journal.get(id)?.status === 'CANCELED');
    expect(await s.venue.openOrders()).toEqual([]);
  });

  it('a disconnect in the middle of an order: reconnect, re-authenticate, and reconciliation finds the fill', async () => {
    const s = await start();
    s.peer.disconnectOnNextOrder = true;
    const result = await s.router.submit({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 3_000 });
    expect(result.status).toBe('outcome_unknown');
    const id = result.status === 'outcome_unknown' ? result.order.intent.clientOrderId : undefined;
    await s.until(() => s.journal.get(id!)?.status === 'FILLED');
    expect(s.journal.get(id!)?.fills.map((fill) => fill.quantity)).toEqual([3_000]);
    expect(s.peer.counts).toMatchObject({ connections: 2, appAuths: 2, accountAuths: 2 });
    expect(s.venue.connectionState).toBe('connected');
  });

  it('a missing execution event: reconciliation infers the fill from the deal list', async () => {
    const s = await start();
    const result = await s.router.submit({
      symbol: 'EURUSD',
      side: 'buy',
      type: 'limit',
      quantity: 4_000,
      price: 1.08,
    });
    if (result.status !== 'sent') throw new Error(result.status);
    const id = result.order.intent.clientOrderId;
    await s.until(() => s.journal.get(id)?.status === 'ACCEPTED');
    s.peer.dropExecutions = 1;
    s.peer.fill(Number(s.journal.get(id)!.venueOrderId), 1.08);
    expect(s.journal.get(id)?.status).toBe('ACCEPTED');
    const report = await reconcile(s.journal, s.venue, { record: (o, e, k) => s.router.record(o, e, k) });
    expect(report.appended).toBeGreaterThan(0);
    expect(s.journal.get(id)?.status).toBe('FILLED');
    expect(s.journal.get(id)?.fills.map((fill) => [fill.quantity, fill.price])).toEqual([[4_000, 1.08]]);
  });
});

describe('CTraderVenue faults', () => {
  it('heartbeats stop: the connection is declared dead, reopened and fully re-authenticated', async () => {
    const s = await start({ silenceMs: 800 });
    s.peer.goSilent();
    await s.until(() =>
      s.events.some((event) => event.type === 'connection' && event.state === 'reconnecting'),
    );
    await s.until(() => s.venue.connectionState === 'connected');
    const lost = s.events.find((event) => event.type === 'connection' && event.state === 'reconnecting');
    expect(lost?.type === 'connection' && lost.reason).toMatch(/no heartbeat/);
    expect(s.peer.counts).toMatchObject({ connections: 2, appAuths: 2, accountAuths: 2 });
    const result = await s.router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000 });
    expect(result.status).toBe('sent');
  });

  it('the token expires mid-session: one refresh, the account re-authorised, the order goes through', async () => {
    const s = await start();
    s.peer.expireToken();
    const result = await s.router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000 });
    expect(result.status).toBe('sent');
    const id = result.status === 'sent' ? result.order.intent.clientOrderId : undefined;
    await s.until(() => s.journal.get(id!)?.status === 'FILLED');
    expect(s.peer.counts.refreshes).toBe(1);
    expect(s.held.access).toBe(s.peer.accessToken);
    expect(
      s.events.filter((event) => event.type === 'connection' && event.state !== 'connected'),
    ).toHaveLength(1); // the initial "connecting"
  });

  it('a refresh that fails leaves the venue disconnected with "reconnect needed"', async () => {
    const s = await start({
      tokens: (held) => ({
        accessToken: async () => held.access,
        refresh: async () => {
          throw new Error('ACCESS_DENIED');
        },
      }),
    });
    s.peer.expireToken();
    const result = await s.router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1_000 });
    expect(result.status).toBe('retry_later');
    expect(s.venue.connectionState).toBe('disconnected');
    const last = s.events.at(-1);
    expect(last?.type === 'connection' && last.reason).toMatch(/Reconnect needed/);
  });

  it('rate limits: retryAfter is waited out, and a burst over 50/s is paced instead of refused', async () => {
    const s = await start();
    s.peer.rateLimitNext = 1;
    expect(await s.venue.positions()).toEqual([]);
    expect(s.peer.counts).toMatchObject({ rateLimitRefusals: 1, penaltyViolations: 0 });
    const burst = await Promise.all(Array.from({ length: 70 }, () => s.venue.openOrders()));
    expect(burst).toHaveLength(70);
    const now = Date.now();
    const history = await Promise.all(
      Array.from({ length: 7 }, () => s.venue.trendbars('EURUSD', '1h', now - 86_400_000, now)),
    );
    expect(history).toHaveLength(7);
    expect(s.peer.counts).toMatchObject({ rateLimitRefusals: 1, penaltyViolations: 0 });
  });
});
