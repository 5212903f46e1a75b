// "Live trading that never loses a position": a bot trading on the (loopback) exchange sends an
// order whose answer is lost — the exchange executed it, the app does not know — and the host dies
// before anything else tells it (the order stream is silent, no poll runs). Restarted, the bot
// resumes, and before it trades again the connect reconciliation has settled every order it sent:
// the journal's orders, fills and position are the exchange's, and no order was sent twice.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotVenues } from '../../core/app/bot-venues.ts';
import { LiveFeeds } from '../../core/app/live-feeds.ts';
import { downloadCandles } from '../../core/data/download-candles.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import { openSupervisor, waveBot } from '../support/bot-fixtures.ts';
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

/** A host over the data folder: the supervisor, the exchange feeds and the live venues, as core/app wires them. */
function openHost(file: string) {
  const registry = new ExchangeRegistry();
  let venues: BotVenues | null = null;
  let feeds: LiveFeeds | null = null;
  const { db, supervisor, log } = openSupervisor(file, {
    liveFeed: (bot, after) => feeds!.forBot(bot, after),
    liveVenue: (bot) => venues!.forBot(bot),
  });
  const candles = new CandleRepository(db);
  feeds = new LiveFeeds({
    candles,
    emit: log.emit,
    registry,
    tuning: { backoff: { initialMs: 20, maxMs: 200 } },
  });
  venues = new BotVenues({
    ctrader: { venue: () => null },
    vault: { reveal: async () => ({ key: fake.apiKey, secret: fake.secret }) },
    db,
    journal: supervisor.journal,
    record: (id, event, eventId) => supervisor.record(id, event, eventId),
    registry,
    // Nothing but the stream and reconciliation tells the app what became of an order.
    pollIntervalMs: 0,
    reconcileEveryMs: 0,
  });
  return {
    db,
    supervisor,
    log,
    candles,
    registry,
    /** The process dies: nothing is stopped or flushed on purpose, connections are just dropped. */
    async crash() {
      supervisor.closeNow();
      await venues!.close();
      await feeds!.close();
      await registry.closeAll();
      db.close();
    },
    async close() {
      await supervisor.close();
      await venues!.close();
      await feeds!.close();
      await registry.closeAll();
      db.close();
    },
  };
}

describe('a live bot killed with an order in flight', () => {
  it("comes back with the exchange's orders, fills and position, and sends nothing twice", async () => {
    const file = path.join(temp.dir, 'crash.db');
    const host = openHost(file);
    const first = from / 1000;
    await downloadCandles(
      host.candles,
      {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        since: first,
        until: first + 39 * hour,
        apiUrl: fake.url,
      },
      { registry: host.registry },
    );
    const bot = host.supervisor.create(
      waveBot({
        name: 'crashes',
        symbol: 'binance:BTC/USDT',
        timeframe: '1h',
        params: { fast: 3, slow: 8 },
        venue: 'live',
        lotSize: 0.001,
        sizing: { mode: 'fixed', quantity: 0.01 },
        feed: {
          kind: 'exchange',
          exchange: 'binance',
          symbol: 'BTC/USDT',
          timeframe: '1h',
          apiUrl: fake.url,
        },
      }),
    );
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
    const again = openHost(file);
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
