// "Live trading that never loses a position": a bot trading on the (loopback) exchange sends an
// order whose answer is lost — the exchange executed it, the app does not know — and the host dies
// before anything else tells it (the order stream is silent, no poll runs). Restarted, the bot
// resumes, and before it trades again the connect reconciliation has settled every order it sent:
// the journal's orders, fills and position are the exchange's, and no order was sent twice.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBinance } from '../support/fake-binance.ts';
import { downloadBtcHours, liveBtcBot, openLiveExchangeHost } from '../support/live-exchange-host.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-live-bot-crash-');
const from = Date.UTC(2024, 0, 1);
const hour = 3_600;
let fake: FakeBinance;
beforeAll(async () => {
  // One BTC held from before: the bot's sales are filled, whichever way its first signal goes.
  fake = await new FakeBinance({
    balances: { USDT: 100_000, BTC: 1 },
    tapes: [{ symbol: 'BTCUSDT', interval: '1h', from, bars: 40 }],
  }).start();
});
afterAll(async () => {
  await fake.stop();
  temp.cleanup();
});

// Nothing but the stream and reconciliation tells the app what became of an order.
const timings = { pollIntervalMs: 0, reconcileEveryMs: 0 };

describe('a live bot killed with an order in flight', () => {
  it("comes back with the exchange's orders, fills and position, and sends nothing twice", async () => {
    const file = path.join(temp.dir, 'crash.db');
    const host = openLiveExchangeHost(file, fake, timings);
    const first = from / 1000;
    await downloadBtcHours(host.candles, fake, first, 40, host.registry);
    const bot = host.supervisor.create(liveBtcBot(fake, 'crashes'));
    const subscribed = fake.nextSubscription('btcusdt@kline_1h');
    await host.supervisor.start(bot.id);
    await subscribed;

    // From here the order stream is silent, and the first order's answer is lost on its way back.
    fake.userStream.muted = true;
    fake.inject({ kind: 'lost', route: 'POST /api/v3/order' });
    const unknown = host.log.waitFor('bots.order', (e) => e.id === bot.id && e.order.status === 'SUBMITTED');
    fake.push(
      'BTCUSDT',
      '1h',
      Array.from({ length: 30 }, () => ({})),
    );
    const lost = (await unknown).order.clientOrderId;
    await host.log.waitFor('bots.position', (e) => e.id === bot.id && e.lastBarTime === first + 69 * hour);
    expect(host.supervisor.orders(bot.id).find((o) => o.clientOrderId === lost)?.status).toBe('SUBMITTED');
    await host.crash();

    // Restarted: the bot resumes, and the connect reconciliation has asked the exchange about it all.
    fake.userStream.muted = false;
    const again = openLiveExchangeHost(file, fake, timings);
    expect(await again.supervisor.resume()).toEqual([bot.id]);
    const orders = again.supervisor.orders(bot.id);
    expect(orders.length).toBeGreaterThan(1);
    for (const order of orders) {
      const atExchange = [...fake.orders.values()].filter((o) => o.clientOrderId === order.clientOrderId);
      // Never sent twice.
      expect(atExchange.length).toBeLessThanOrEqual(1);
      const exchangeStatus = atExchange[0]?.status;
      if (exchangeStatus === 'FILLED') expect(order.status).toBe('FILLED');
      // Not at the exchange: refused, or (sent seconds ago) not yet listed, asked again before any
      // conclusion (docs/ccxt.md, reconciliation).
      else expect(order.status).toMatch(/REJECTED|CANCELED|DENIED|SUBMITTED/);
    }
    // The lost order in particular: the exchange filled it, and the journal knows.
    expect(fake.order(lost)?.status).toBe('FILLED');
    expect(orders.find((o) => o.clientOrderId === lost)?.status).toBe('FILLED');
    const key = (quantity: number, price: number) => `${quantity.toFixed(8)}@${price.toFixed(2)}`;
    expect(
      again.supervisor
        .fills(bot.id)
        .map((f) => key(f.quantity, f.price))
        .sort(),
    ).toEqual(fake.trades.map((t) => key(t.qty, t.price)).sort());
    // The bot's position is what the exchange holds beyond the coin held from before.
    const btc = fake.balances.get('BTC')!;
    const held = again.supervisor.positions(bot.id).find((p) => p.symbol === 'BTC/USDT')?.quantity ?? 0;
    expect(held).toBeCloseTo(btc.free + btc.locked - 1, 8);
    await again.close();
  });
});
