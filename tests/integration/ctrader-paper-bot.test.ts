// A paper bot on cTrader's prices: the supervisor runs sma-cross on closed EURUSD minute bars built
// from the loopback peer's spots (through a reconnect in the middle), and its journaled fills are
// exactly the fills a backtest of the same bars makes. Then the venue is disconnected and the bot
// stops saying so. Each closed bar is stored under the bot's series, "ctrader-demo:EURUSD", before
// the bot sees it, so its equity curve has bars to mark against.
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ctraderLiveFeed } from '../../core/app/ctrader-live-feed.ts';
import type { ClosedBarSink } from '../../core/app/store-closed-bar.ts';
import { BotStore, type BotRecord } from '../../core/bots/bot-store.ts';
import type { LiveFeed } from '../../core/bots/feed-engine.ts';
import { runEngine } from '../../core/backtest/run-backtest.ts';
import type { Bar } from '../../core/domain/bar.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { startCTraderSetup, type CTraderSetup } from '../support/ctrader-setup.ts';
import { openSupervisor, waveBot } from '../support/bot-fixtures.ts';
import { swingBars } from '../support/eurusd-swing.ts';
import { FinishedBars } from '../support/finished-bars.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.ts';

let certs: TestCertificates;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const start = Date.UTC(2026, 11, 1, 9, 0) / 1000;

describe('a paper bot on cTrader spots', () => {
  it('makes the fills a backtest of the same bars makes, across a reconnect, and stops when the venue is disconnected', async () => {
    const s: CTraderSetup = await startCTraderSetup(certs);
    cleanups.push(() => s.close());
    const { dir, cleanup } = makeTempDir('autobot-ctrader-bot-');
    cleanups.push(cleanup);
    // Bars the bot has finished, told after the engine's own listener is done with each.
    const finished = new FinishedBars();
    // The supervisor's database is opened after this is written; the feed is made at start.
    let sink: ClosedBarSink | null = null;
    const venueFeed = (bot: BotRecord): LiveFeed =>
      finished.wrap(
        ctraderLiveFeed({ venue: (environment) => (environment === 'demo' ? s.venue : null) }, bot, sink!),
      );
    const { supervisor, db, log } = openSupervisor(path.join(dir, 'bots.db'), { venueFeed });
    sink = { candles: new CandleRepository(db), emit: log.emit };
    cleanups.push(async () => {
      await supervisor.close();
      db.close();
    });

    const money = { cash: 100_000, lotSize: 1000, commission: 0.00002, slippage: 0.00001 };
    const created = supervisor.create(
      waveBot({
        name: 'eurusd on spots',
        symbol: 'EURUSD',
        timeframe: '1m',
        params: { fast: 3, slow: 8 },
        sizing: { mode: 'fraction', fraction: 0.5 },
        feed: { kind: 'ctrader', environment: 'demo', accountId: 1001 },
        ...money,
      }),
    );
    expect(created.definition.feed).toEqual({ kind: 'ctrader', environment: 'demo', accountId: 1001 });
    await supervisor.start(created.id);

    const bars = swingBars(start, 60);
    for (const bar of bars.slice(0, 30)) s.peer.pushBar(1, bar, '1m');
    await finished.reached(29);
    // The link drops with bar 29 heard but not yet closed; bars 30–34 trade while it is down.
    s.peer.goSilent();
    for (const bar of bars.slice(30, 35)) s.peer.pushBar(1, bar, '1m');
    const connected = () => s.events.filter((e) => e.type === 'connection' && e.state === 'connected').length;
    const before = connected();
    s.peer.dropConnections();
    await s.until(() => connected() > before);
    for (const bar of bars.slice(35)) s.peer.pushBar(1, bar, '1m');
    s.peer.pushSpot(1, 108_500, 108_502, (start + 60 * 60) * 1000);
    await finished.reached(60);
    expect(finished.bars).toEqual(bars);

    const candles = allocateCandleColumns(bars.length);
    bars.forEach((bar, i) => {
      candles.time[i] = bar.time;
      candles.open[i] = bar.open;
      candles.high[i] = bar.high;
      candles.low[i] = bar.low;
      candles.close[i] = bar.close;
      candles.volume[i] = bar.volume;
    });
    const { output } = runEngine(
      candles,
      {
        strategy: 'sma-cross',
        params: { fast: 3, slow: 8 },
        sizing: { mode: 'fraction', fraction: 0.5 },
        closeAtEnd: false,
        ...money,
      },
      { priceDecimals: 5 },
    );
    const side = (direction: number, entry: boolean) => (direction > 0 === entry ? 'buy' : 'sell');
    const expected = [
      ...output.trades.flatMap((trade) => [
        {
          bar: trade.entryBar,
          order: 1,
          side: side(trade.direction, true),
          quantity: trade.quantity,
          price: trade.entryPrice,
        },
        {
          bar: trade.exitBar,
          order: 0,
          side: side(trade.direction, false),
          quantity: trade.quantity,
          price: trade.exitPrice,
        },
      ]),
      ...(output.openPosition
        ? [
            {
              bar: output.openPosition.entryBar,
              order: 1,
              side: side(output.openPosition.direction, true),
              quantity: output.openPosition.quantity,
              price: output.openPosition.entryPrice,
            },
          ]
        : []),
    ]
      .sort((a, b) => a.bar - b.bar || a.order - b.order)
      .map(({ order: _order, ...fill }) => fill);
    expect(output.trades.length).toBeGreaterThanOrEqual(3);
    const fills = supervisor
      .fills(created.id)
      .reverse()
      .map((fill) => ({
        bar: (fill.time / 1000 - start) / 60,
        side: fill.side,
        quantity: fill.quantity,
        price: fill.price,
      }));
    expect(fills).toEqual(expected);

    // Disconnected on the Account page: the bot stops and says why.
    const stopped = log.waitFor(
      'bots.status',
      (event) => event.id === created.id && event.status === 'stopped',
    );
    await s.venue.disconnect();
    expect((await stopped).message).toBe(
      'The feed ended: cTrader Demo was disconnected (disconnected by the user).',
    );
    expect(supervisor.get(created.id)).toMatchObject({ status: 'stopped', bars: 60 });
  });

  it('refuses to start, and pauses a resumed bot, while cTrader Demo is not connected, saying where to connect it', async () => {
    const { dir, cleanup } = makeTempDir('autobot-ctrader-bot-');
    cleanups.push(cleanup);
    const { supervisor, db } = openSupervisor(path.join(dir, 'bots.db'), {
      venueFeed: (bot) =>
        ctraderLiveFeed({ venue: () => null }, bot, { candles: { upsert: () => 0 }, emit: () => {} }),
    });
    cleanups.push(async () => {
      await supervisor.close();
      db.close();
    });
    const bot = supervisor.create(waveBot({ symbol: 'EURUSD', timeframe: '1m', feed: { kind: 'ctrader' } }));
    await expect(supervisor.start(bot.id)).rejects.toThrow(
      `cTrader Demo is not connected: connect it on the Account page, then start bot ${bot.id} again.`,
    );
    expect(supervisor.get(bot.id).status).toBe('created');

    // Running when the host went away, and the session is not back yet: paused, saying why.
    new BotStore(db).setStatus(bot.id, 'running', null);
    expect(await supervisor.resume()).toEqual([]);
    expect(supervisor.get(bot.id)).toMatchObject({
      status: 'paused',
      message: `not resumed: cTrader Demo is not connected: connect it on the Account page, then start bot ${bot.id} again.`,
    });
  });
});

function columnsOf(bars: Bar[]): CandleColumns {
  const columns = allocateCandleColumns(bars.length);
  bars.forEach((bar, i) => {
    columns.time[i] = bar.time;
    columns.open[i] = bar.open;
    columns.high[i] = bar.high;
    columns.low[i] = bar.low;
    columns.close[i] = bar.close;
    columns.volume[i] = bar.volume;
  });
  return columns;
}

function barsOf(columns: CandleColumns): Bar[] {
  return Array.from(columns.time, (time, i) => ({
    time,
    open: columns.open[i]!,
    high: columns.high[i]!,
    low: columns.low[i]!,
    close: columns.close[i]!,
    volume: columns.volume[i]!,
  }));
}

describe("a cTrader bot's bars", () => {
  it('are stored under "ctrader-demo:EURUSD" before the bot sees them, beside an imported EURUSD left alone, and its equity curve marks against them', async () => {
    const s: CTraderSetup = await startCTraderSetup(certs);
    cleanups.push(() => s.close());
    const { dir, cleanup } = makeTempDir('autobot-ctrader-bars-');
    cleanups.push(cleanup);
    let candles: CandleRepository | null = null;
    let sink: ClosedBarSink | null = null;
    // For every bar the bot is handed: was it already in the store?
    const storedWhenSeen: boolean[] = [];
    const seen = new FinishedBars();
    const venueFeed = (bot: BotRecord): LiveFeed =>
      seen.wrap(ctraderLiveFeed({ venue: () => s.venue }, bot, sink!), (bar) =>
        storedWhenSeen.push(candles!.read('ctrader-demo:EURUSD', '1m', bar.time, bar.time).time.length === 1),
      );
    const { supervisor, db, log } = openSupervisor(path.join(dir, 'bots.db'), { venueFeed });
    candles = new CandleRepository(db);
    sink = { candles, emit: log.emit };
    cleanups.push(async () => {
      await supervisor.close();
      db.close();
    });
    // The user's own EURUSD minutes, imported from a CSV, at the same times as the live bars.
    const bars = swingBars(start, 20);
    const imported = bars.map((bar) => ({ ...bar, close: 2, volume: 1 }));
    candles.upsert('EURUSD', '1m', columnsOf(imported));

    const bot = supervisor.create(
      waveBot({
        symbol: 'EURUSD',
        timeframe: '1m',
        params: { fast: 2, slow: 4 },
        cash: 100_000,
        lotSize: 1000,
        sizing: { mode: 'fraction', fraction: 0.5 },
        feed: { kind: 'ctrader', environment: 'demo', accountId: null },
      }),
    );
    await supervisor.start(bot.id);
    for (const bar of bars) s.peer.pushBar(1, bar, '1m');
    s.peer.pushSpot(1, 108_500, 108_502, (start + bars.length * 60) * 1000);
    await seen.reached(bars.length);

    expect(seen.bars).toEqual(bars);
    expect(storedWhenSeen).toEqual(bars.map(() => true));
    expect(barsOf(candles.read('ctrader-demo:EURUSD', '1m'))).toEqual(bars);
    expect(barsOf(candles.read('EURUSD', '1m'))).toEqual(imported);
    const announced = log.events.filter((e) => e.name === 'candles.live').map((e) => e.payload);
    expect(announced).toEqual(
      bars.map((bar) => ({ series: 'ctrader-demo:EURUSD', timeframe: '1m', closed: true, bar })),
    );

    const fills = supervisor.fills(bot.id);
    expect(fills.length).toBeGreaterThan(0);
    // Stopped, the bot is marked from the store: its last stored close, not the imported one.
    await supervisor.stop(bot.id);
    const curve = supervisor.equity(bot.id, 2000);
    expect(curve.time).toEqual(bars.map((bar) => bar.time));
    expect(curve.equity.at(-1)).toBeCloseTo(supervisor.get(bot.id).equity, 6);
    expect(curve.equity.every((value) => Math.abs(value - 100_000) < 1_000)).toBe(true);
  });
});
