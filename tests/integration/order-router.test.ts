// The order router and reconciliation against the simulated venue and a real journal file: the
// path a bot's order takes, and what a restart learns from the venue.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import { defineInstrument } from '../../core/domain/instrument.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { reconcile } from '../../core/orders/reconcile.ts';
import { AccountPortfolio } from '../../core/portfolio/account-portfolio.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';

const btc = defineInstrument({
  symbol: 'BTC/USDT',
  venue: 'simulated',
  tickSize: 0.01,
  quantityStep: 0.0001,
  minNotional: 5,
});

let dir: string;
const opened: Database[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-router-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  rmSync(dir, { recursive: true, force: true });
});

const bar = (time: number, open: number): Bar => ({
  time,
  open,
  high: open * 1.01,
  low: open * 0.99,
  close: open,
  volume: 1,
});

/** One start of the app: the journal file opened, replayed, a router on the (long-lived) venue. */
function start(venue: SimulatedExchange, check?: (intent: { quantity: number }) => string | null) {
  const db = openDatabase(path.join(dir, 'journal.db'));
  opened.push(db);
  const journal = new OrderJournal(db);
  const portfolio = new AccountPortfolio(10_000);
  const router = new OrderRouter({
    journal,
    venue,
    ids: ClientOrderIds.open(db),
    instruments: [btc],
    owner: 'bot-1',
    portfolio,
    check,
    now: () => 1_000,
  });
  return { journal, router, portfolio };
}

async function connectedVenue(): Promise<SimulatedExchange> {
  const venue = new SimulatedExchange({
    instruments: [btc],
    fees: { commission: 0.001, fixedFee: 0 },
    slippage: 0,
    cash: 10_000,
  });
  await venue.connect();
  venue.pushBar('BTC/USDT', bar(0, 40_000));
  return venue;
}

describe('OrderRouter', () => {
  it('rounds, journals, sends, and books the fill in the portfolio', async () => {
    const venue = await connectedVenue();
    const { journal, router, portfolio } = start(venue);
    const result = await router.submit({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.123456,
      price: 40_100.129,
    });
    expect(result.status).toBe('sent');
    const order = result.status === 'sent' ? result.order : undefined;
    expect(order?.intent).toMatchObject({ quantity: 0.1234, price: 40_100.12 });
    venue.pushBar('BTC/USDT', bar(60, 40_050));
    expect(journal.get(order!.intent.clientOrderId)?.status).toBe('FILLED');
    expect(portfolio.positions()[0]).toMatchObject({
      symbol: 'BTC/USDT',
      quantity: 0.1234,
      averagePrice: 40_050,
    });
  });

  it('amends a working order at the venue, rounded like a new one, and refuses to amend a filled one', async () => {
    const venue = await connectedVenue();
    const { journal, router } = start(venue);
    const sent = await router.submit({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.01,
      price: 30_000,
    });
    const id = sent.status === 'sent' ? sent.order.intent.clientOrderId : undefined;
    expect(await router.amend(id!, { price: 35_000.019 })).toBe(true);
    expect(journal.get(id!)).toMatchObject({ status: 'ACCEPTED', price: 35_000.01 });
    expect((await venue.order(id!))?.price).toBe(35_000.01);
    expect(await router.amend(id!, { price: 45_000 })).toBe(true);
    venue.pushBar('BTC/USDT', bar(60, 40_000));
    expect(journal.get(id!)?.status).toBe('FILLED');
    expect(await router.amend(id!, { price: 41_000 })).toBe(false);
  });

  it('refuses what rounds to nothing or falls below the minimum, and journals a denial without sending', async () => {
    const venue = await connectedVenue();
    const { journal, router } = start(venue, (intent) =>
      intent.quantity > 0.2 ? 'over the bot’s size limit' : null,
    );
    expect(
      await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.00005 }),
    ).toMatchObject({
      status: 'refused',
      reason: 'quantity 0.00005 is less than one step of 0.0001',
    });
    expect(
      await router.submit({
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        quantity: 0.0001,
        price: 40_000,
      }),
    ).toMatchObject({
      status: 'refused',
      reason: expect.stringMatching(/worth at least 5/),
    });
    const denied = await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.5 });
    expect(denied).toMatchObject({ status: 'denied', reason: 'over the bot’s size limit' });
    expect(journal.all().map((order) => order.status)).toEqual(['DENIED']);
    expect(await venue.openOrders()).toEqual([]);
  });

  it('sends a signal once, even when a restart evaluates the same bar again', async () => {
    const venue = await connectedVenue();
    const first = start(venue);
    await first.router.submit({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
      signalKey: 'bot-1:60:0',
    });
    first.router.close();
    const second = start(venue);
    const again = await second.router.submit({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
      signalKey: 'bot-1:60:0',
    });
    expect(again.status).toBe('already_sent');
    expect(await venue.openOrders()).toHaveLength(1);
  });

  it('ends a refused send as REJECTED and a rate-limited one as REJECTED with the wait, never as a double', async () => {
    const venue = await connectedVenue();
    const { router } = start(venue);
    venue.injectFault('rejected');
    expect(
      (await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.01 })).status,
    ).toBe('rejected');
    venue.injectFault('retry_later');
    const limited = await router.submit({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.01 });
    expect(limited).toMatchObject({ status: 'retry_later', retryAfterMs: 1000 });
    expect(limited.status === 'retry_later' && limited.order.status).toBe('REJECTED');
  });
});

describe('reconcile', () => {
  it('learns at restart what the venue did while the answer was lost: acceptance and fills, counted once', async () => {
    const venue = await connectedVenue();
    const first = start(venue);
    venue.injectFault('outcome_unknown');
    const lost = await first.router.submit({
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      quantity: 0.05,
    });
    expect(lost.status).toBe('outcome_unknown');
    first.router.close(); // the app goes down; the venue trades on
    venue.pushBar('BTC/USDT', bar(60, 41_000));

    const second = start(venue);
    const id = lost.status === 'outcome_unknown' ? lost.order.intent.clientOrderId : undefined;
    expect(second.journal.get(id!)?.status).toBe('SUBMITTED');
    const report = await reconcile(second.journal, venue, {
      record: (...args) => second.router.record(...args),
    });
    expect(report).toMatchObject({
      checked: 1,
      appended: 2,
      neverSent: [],
      unexplainedFills: [],
      positionDiffs: [],
    });
    expect(second.journal.get(id!)).toMatchObject({ status: 'FILLED', filledQuantity: 0.05 });
    expect(second.portfolio.positions()[0]?.quantity).toBe(-0.05);
    // A second pass learns nothing new.
    expect((await reconcile(second.journal, venue)).appended).toBe(0);
  });

  it('closes orders the venue never received: one a crash left unsent, one whose send was lost', async () => {
    const venue = await connectedVenue();
    const { journal, router } = start(venue);
    const ids = ClientOrderIds.open(opened[0]!);
    const base = {
      owner: 'bot-1',
      venue: 'simulated',
      symbol: 'BTC/USDT',
      side: 'buy' as const,
      type: 'market' as const,
      quantity: 0.01,
      timeInForce: 'GTC' as const,
      createdAt: 1_000,
    };
    const unsent = ids.next();
    journal.recordIntent({ ...base, clientOrderId: unsent });
    const lost = ids.next();
    journal.recordIntent({ ...base, clientOrderId: lost });
    router.record(lost, { kind: 'submitted' });
    const report = await reconcile(journal, venue);
    expect(report.neverSent).toEqual([unsent, lost]);
    expect(journal.get(unsent)?.status).toBe('CANCELED');
    expect(journal.get(lost)?.status).toBe('REJECTED');
  });

  it('reports venue fills and positions the journal cannot explain', async () => {
    const venue = await connectedVenue();
    const { journal } = start(venue);
    // An order placed on the venue's own site: the journal never heard of it.
    await venue.submit({
      clientOrderId: 'web-1' as never,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
      timeInForce: 'GTC',
    });
    venue.pushBar('BTC/USDT', bar(60, 40_000));
    const report = await reconcile(journal, venue, { fillsSince: 0 });
    expect(report.unexplainedFills.map((fill) => fill.clientOrderId)).toEqual(['web-1']);
    expect(report.positionDiffs).toEqual([{ symbol: 'BTC/USDT', journal: 0, venue: 0.01 }]);
  });
});
