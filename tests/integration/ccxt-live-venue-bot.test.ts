// Issue #13 end to end: a bot whose orders go to the (loopback) exchange. It warms up on the series
// downloaded before, trades only the bars that close while it runs, sends every order to the
// exchange under our client order id, and its journaled fills are the exchange's trades, each once.
// A spot exchange refuses a short sale without the coin: that order is REJECTED with the exchange's
// own words and the bot carries on. Its paper ghost shadows it on the same bars, on its own
// account, and sends nothing to the exchange.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBinance } from '../support/fake-binance.ts';
import { downloadBtcHours, liveBtcBot, openLiveExchangeHost } from '../support/live-exchange-host.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-ccxt-live-venue-bot-');
const from = Date.UTC(2024, 0, 1);
const hour = 3_600;
let fake: FakeBinance;
beforeAll(async () => {
  fake = await new FakeBinance({ tapes: [{ symbol: 'BTCUSDT', interval: '1h', from, bars: 40 }] }).start();
});
afterAll(async () => {
  await fake.stop();
  temp.cleanup();
});

describe('a bot trading on an exchange', () => {
  it("sends only the live bars' orders to the exchange, books its trades once each, and is shadowed by a paper ghost", async () => {
    const host = openLiveExchangeHost(path.join(temp.dir, 'live.db'), fake, {
      pollIntervalMs: 50,
      reconcileEveryMs: 100,
    });
    const { supervisor, log, reached } = host;
    const first = from / 1000;
    await downloadBtcHours(host.candles, fake, first, 40, host.registry);
    const bot = supervisor.create(liveBtcBot(fake, 'live orders'));
    const ghost = await supervisor.ghost(bot.id, { name: 'shadow' });
    expect(ghost.definition.venue).toBe('paper');

    const subscribed = fake.nextSubscription('btcusdt@kline_1h');
    await supervisor.start(bot.id);
    await subscribed;
    // Warmed up on the 40 stored bars, ordering nothing: the exchange has seen no order yet.
    expect(fake.orders.size).toBe(0);
    fake.push(
      'BTCUSDT',
      '1h',
      Array.from({ length: 40 }, () => ({})),
    );
    await reached(bot.id, first + 79 * hour);
    await reached(ghost.id, first + 79 * hour);

    // Every order of the bot reached the exchange, or was refused by it in its own words.
    const orders = supervisor.orders(bot.id);
    expect(orders.length).toBeGreaterThan(1);
    for (const order of orders) {
      if (order.status === 'REJECTED') expect(order.reason).toMatch(/insufficient|balance/i);
      else expect(fake.order(order.clientOrderId)).toBeDefined();
    }
    // Its fills are the exchange's trades, each once (the last may still be on its way).
    const key = (quantity: number, price: number) => `${quantity.toFixed(8)}@${price.toFixed(2)}`;
    await log.waitFor('bots.fill', () => supervisor.fills(bot.id).length === fake.trades.length);
    expect(fake.trades.length).toBeGreaterThan(1);
    expect(
      supervisor
        .fills(bot.id)
        .map((f) => key(f.quantity, f.price))
        .sort(),
    ).toEqual(fake.trades.map((t) => key(t.qty, t.price)).sort());
    // Its position is the coin the exchange holds for the account.
    const btc = fake.balances.get('BTC')!;
    const held = supervisor.positions(bot.id).find((p) => p.symbol === 'BTC/USDT')?.quantity ?? 0;
    expect(held).toBeCloseTo(btc.free + btc.locked, 8);

    // The ghost traded the same bars on paper: fills of its own, none of them at the exchange.
    const shadow = supervisor.fills(ghost.id);
    expect(shadow.length).toBeGreaterThan(0);
    for (const order of supervisor.orders(ghost.id)) expect(fake.order(order.clientOrderId)).toBeUndefined();

    await supervisor.stop(bot.id);
    expect(supervisor.get(bot.id).status).toBe('stopped');
    await host.close();
  });
});
