// The governor on the order path: every order a router sends passes it, against the simulated
// venue and a real journal file. A halted account's entry is journaled DENIED with the breaker
// named and never reaches the venue; its exit goes through and flattens the position; a runaway
// loop is throttled to the per-bot limit; cancels are never held back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import { defineInstrument } from '../../core/domain/instrument.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { governorFromSettings } from '../../core/risk/breaker-settings.ts';
import { killSwitchTrip } from '../../core/risk/kill-switch.ts';
import { RiskJournal } from '../../core/risk/risk-journal.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';

const eurusd = defineInstrument({
  symbol: 'EURUSD',
  venue: 'simulated',
  tickSize: 0.00001,
  quantityStep: 1000,
});

let dir: string;
let db: Database;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-risk-router-'));
  db = openDatabase(path.join(dir, 'autobot.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const bar = (time: number, price: number): Bar => ({
  time,
  open: price,
  high: price,
  low: price,
  close: price,
  volume: 1,
});

async function setup() {
  const clock = { now: Date.UTC(2026, 0, 5, 9) };
  const venue = new SimulatedExchange({
    instruments: [eurusd],
    fees: { commission: 0, fixedFee: 0 },
    slippage: 0,
    cash: 100_000,
  });
  await venue.connect();
  venue.pushBar('EURUSD', bar(0, 1.1));
  const journal = new OrderJournal(db, { durability: 'normal' });
  const governor = governorFromSettings({}, () => clock.now);
  const risk = new RiskJournal(db);
  risk.attach(governor);
  const router = new OrderRouter({
    journal,
    venue,
    ids: ClientOrderIds.open(db),
    instruments: [eurusd],
    owner: 'bot-1',
    governor,
    now: () => clock.now,
  });
  return { clock, venue, journal, governor, risk, router };
}

describe('OrderRouter with the risk governor', () => {
  it('denies a halted account’s entry without sending it, and lets the exit through', async () => {
    const { venue, journal, governor, risk, router } = await setup();
    const entry = await router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 2000 });
    expect(entry.status).toBe('sent');
    venue.pushBar('EURUSD', bar(60, 1.1));
    expect(journal.positions()).toEqual([
      { owner: 'bot-1', venue: 'simulated', symbol: 'EURUSD', quantity: 2000 },
    ]);

    governor.trip(killSwitchTrip());
    const more = await router.submit({ symbol: 'EURUSD', side: 'buy', type: 'market', quantity: 1000 });
    expect(more).toMatchObject({ status: 'denied', reason: expect.stringMatching(/^halted by kill-switch/) });
    expect(more.status === 'denied' && more.order.status).toBe('DENIED');
    // A sell bigger than the position would flip it short: that is a new position, denied too.
    const flip = await router.submit({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 3000 });
    expect(flip.status).toBe('denied');
    expect(await venue.openOrders()).toEqual([]);

    const exit = await router.submit({ symbol: 'EURUSD', side: 'sell', type: 'market', quantity: 2000 });
    expect(exit.status).toBe('sent');
    venue.pushBar('EURUSD', bar(120, 1.1));
    expect(journal.positions()).toEqual([]);
    expect(risk.events().map((event) => event.breaker)).toEqual(['kill-switch']);
  });

  it('throttles a runaway bot to 10 orders a second and still cancels what was sent', async () => {
    const { clock, router } = await setup();
    const results = [];
    for (let i = 0; i < 30; i++) {
      results.push(
        await router.submit({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 1000, price: 1.0 }),
      );
    }
    const sent = results.flatMap((result) => (result.status === 'sent' ? [result.order] : []));
    expect(sent).toHaveLength(10);
    expect(results.filter((result) => result.status === 'denied')[0]).toMatchObject({
      reason: expect.stringMatching(/^rate_limited by order-rate/),
    });
    // Cancels are never counted or held back, even past the limit.
    for (const order of sent) expect(await router.cancel(order.intent.clientOrderId)).toBe(true);
    clock.now += 1_000;
    expect(
      (await router.submit({ symbol: 'EURUSD', side: 'buy', type: 'limit', quantity: 1000, price: 1.0 }))
        .status,
    ).toBe('sent');
  });
});
