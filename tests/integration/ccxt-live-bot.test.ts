// Issue #13, "paper on live data": a paper bot on the loopback Binance's live kline stream — its
// stored bars first, then the live ones, across a dropped stream — trades exactly as a backtest of
// the same bars does. The bars the live feed delivered are in the store afterwards (the feed
// stores each before the bot sees it), so the backtest reads the very bars the bot traded on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { LiveFeeds } from '../../core/app/live-feeds.ts';
import { RunnerBotEngine } from '../../core/bots/runner-engine.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { botDefinitionSchema } from '../../core/contract/bots-calls.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import { openSupervisor, waveBot } from '../support/bot-fixtures.ts';
import { downloadBtcHours } from '../support/live-exchange-host.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-ccxt-live-bot-');
const from = Date.UTC(2024, 0, 1);
const hour = 3_600;
let fake: FakeBinance;
const registry = new ExchangeRegistry();
beforeAll(async () => {
  fake = await new FakeBinance({ tapes: [{ symbol: 'BTCUSDT', interval: '1h', from, bars: 40 }] }).start();
});
afterAll(async () => {
  await registry.closeAll();
  await fake.stop();
  temp.cleanup();
});

describe('a paper bot on a live exchange feed', () => {
  it('trades the stored bars, then the live ones, as a backtest of the same bars does', async () => {
    const bars: number[] = [];
    const barWaiters: { time: number; resolve: () => void }[] = [];
    const { db, supervisor, log } = openSupervisor(path.join(temp.dir, 'live.db'), {
      // The supervisor's own events are throttled; the test hears every bar the bot finishes.
      engine: (options) =>
        new RunnerBotEngine({
          ...options,
          listener: {
            ...options.listener,
            bar: (id, progress) => {
              options.listener.bar(id, progress);
              bars.push(progress.lastBarTime);
              for (const w of barWaiters.filter((w) => w.time === progress.lastBarTime)) w.resolve();
            },
          },
        }),
      liveFeed: (bot, after) => feeds.forBot(bot, after),
    });
    const candles = new CandleRepository(db);
    const feeds = new LiveFeeds({
      candles,
      emit: log.emit,
      registry,
      tuning: { backoff: { initialMs: 20, maxMs: 200 } },
    });
    const barDone = (time: number) =>
      bars.includes(time)
        ? Promise.resolve()
        : new Promise<void>((resolve) => barWaiters.push({ time, resolve }));

    // 40 hours downloaded first, as the Chart page does.
    const first = from / 1000;
    await downloadBtcHours(candles, fake, first, 40, registry);
    const bot = supervisor.create(
      waveBot({
        name: 'live',
        symbol: 'binance:BTC/USDT',
        timeframe: '1h',
        params: { fast: 3, slow: 8 },
        feed: {
          kind: 'exchange',
          exchange: 'binance',
          symbol: 'BTC/USDT',
          timeframe: '1h',
          apiUrl: fake.url,
        },
      }),
    );
    let subscribed = fake.nextSubscription('btcusdt@kline_1h');
    await supervisor.start(bot.id);
    await barDone(first + 39 * hour);
    await subscribed;

    fake.push(
      'BTCUSDT',
      '1h',
      Array.from({ length: 15 }, () => ({})),
    );
    await barDone(first + 54 * hour);
    // The stream drops; bars close while it is down; it comes back.
    fake.dropStreams(true);
    fake.push(
      'BTCUSDT',
      '1h',
      Array.from({ length: 5 }, () => ({})),
    );
    await barDone(first + 59 * hour);
    subscribed = fake.nextSubscription('btcusdt@kline_1h');
    fake.resumeStreams();
    await subscribed;
    fake.push(
      'BTCUSDT',
      '1h',
      Array.from({ length: 20 }, () => ({})),
    );
    await barDone(first + 79 * hour);
    await supervisor.stop(bot.id);

    // Every bar once, in order, none missing.
    expect(bars).toEqual(Array.from({ length: 80 }, (_, i) => first + i * hour));
    const stored = candles.read('binance:BTC/USDT', '1h');
    expect(Array.from(stored.time)).toEqual(bars);
    const live = log.events.filter(
      (e) => e.name === 'candles.live' && (e.payload as { closed: boolean }).closed,
    );
    expect(live).toHaveLength(40);

    // The backtest of the same bars: each trade is an entry fill and an exit fill.
    const definition = botDefinitionSchema.parse(bot.definition);
    const result = runBacktest(stored, {
      strategy: definition.strategy,
      params: definition.params,
      cash: definition.cash,
      commission: definition.commission,
      fixedFee: definition.fixedFee,
      slippage: definition.slippage,
      lotSize: definition.lotSize,
      sizing: definition.sizing,
    });
    const expected: { time: number; side: string; price: number; quantity: number }[] = [];
    for (const trade of result.trades) {
      const entry = trade.side === 'long' ? 'buy' : 'sell';
      const exit = entry === 'buy' ? 'sell' : 'buy';
      expected.push({ time: trade.entryTime, side: entry, price: trade.entryPrice, quantity: trade.size });
      expected.push({ time: trade.exitTime, side: exit, price: trade.exitPrice, quantity: trade.size });
    }
    if (result.openTrade)
      expected.push({
        time: result.openTrade.entryTime,
        side: result.openTrade.side === 'long' ? 'buy' : 'sell',
        price: result.openTrade.entryPrice,
        quantity: result.openTrade.size,
      });
    const key = (f: { time: number; side: string; price: number; quantity: number }) =>
      `${f.time}|${f.side}|${f.price.toFixed(6)}|${f.quantity.toFixed(6)}`;
    const fills = supervisor
      .fills(bot.id)
      .map((f) => ({ time: f.time / 1000, side: f.side, price: f.price, quantity: f.quantity }))
      .map(key)
      .sort();
    // Some of them on the live bars: the comparison is about the live part, not only the replay.
    expect(result.trades.some((t) => t.entryTime > first + 39 * hour)).toBe(true);
    expect(fills).toEqual(expected.map(key).sort());
    await feeds.close();
    db.close();
  });
});
