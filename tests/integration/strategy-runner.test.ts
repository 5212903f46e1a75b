// The bot runner against a real journal file: events as orders fill, pause and resume, a restart
// that resumes from the journal without sending any signal twice, a strategy that peeks ahead, and
// an account that is ruined.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { simulationConfig } from '../../core/backtest/engine.ts';
import { parseBacktestSpec } from '../../core/backtest/run-backtest.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { StrategyRunner, type StrategyRunnerOptions } from '../../core/runtime/strategy-runner.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { smaCross } from '../../core/strategies/sma-cross.ts';
import { defineStrategy, type Strategy, type StrategyParams } from '../../core/strategies/strategy.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let temp: ReturnType<typeof makeTempDir>;
const opened: Database[] = [];
beforeEach(() => {
  temp = makeTempDir('autobot-runner-');
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  temp.cleanup();
});

/** Hourly bars from a price path. */
function candlesOf(prices: number[]): CandleColumns {
  const candles = allocateCandleColumns(prices.length);
  for (let i = 0; i < prices.length; i++) {
    const open = i === 0 ? prices[0]! : prices[i - 1]!;
    const close = prices[i]!;
    candles.time[i] = 1_700_000_000 + i * 3600;
    candles.open[i] = open;
    candles.close[i] = close;
    candles.high[i] = Math.max(open, close) + 0.25;
    candles.low[i] = Math.min(open, close) - 0.25;
    candles.volume[i] = 1;
  }
  return candles;
}

const wavy = candlesOf(
  Array.from({ length: 600 }, (_, i) => 100 + 10 * Math.sin(i / 9) + 3 * Math.sin(i / 2.3)),
);
const money = simulationConfig(parseBacktestSpec({ strategy: 'sma-cross' }));

function journalAt(name: string) {
  const db = openDatabase(path.join(temp.dir, name));
  opened.push(db);
  return { db, journal: new OrderJournal(db), ids: ClientOrderIds.open(db) };
}

function runner(
  name: string,
  overrides: Partial<StrategyRunnerOptions> = {},
  strategy: Strategy<StrategyParams, unknown> = smaCross as unknown as Strategy<StrategyParams, unknown>,
) {
  const { db, journal, ids } = journalAt(name);
  return StrategyRunner.create({
    botId: 'bot-1',
    strategy,
    params: { fast: 5, slow: 12 },
    symbol: 'WAVY',
    timeframe: '1h',
    candles: wavy,
    money,
    journal,
    ids,
    database: db,
    batch: 'bar',
    ...overrides,
  });
}

function signalKeys(file: string): { key: string; n: number }[] {
  const db = openDatabase(path.join(temp.dir, file));
  opened.push(db);
  return db
    .prepare('SELECT signal_key AS key, count(*) AS n FROM order_intents GROUP BY signal_key')
    .all() as {
    key: string;
    n: number;
  }[];
}

describe('StrategyRunner', () => {
  it('reports orders, fills, positions and equity as the replay trades, then finishes', async () => {
    const bot = await runner('events.db');
    const fills: number[] = [];
    const statuses: string[] = [];
    let equities = 0;
    let finished = 0;
    bot.on('fill', (fill) => fills.push(fill.bar));
    bot.on('status', ({ status }) => statuses.push(status));
    bot.on('equity', () => equities++);
    bot.on('finished', ({ output }) => (finished = output.trades.length));
    expect(await bot.start()).toBe('finished');
    expect(statuses).toEqual(['running', 'finished']);
    expect(equities).toBe(600);
    expect(fills.length).toBeGreaterThan(20);
    expect(finished).toBe(bot.output().trades.length);
    // Every trade's exit is a fill on the bar it names.
    for (const trade of bot.output().trades) expect(fills).toContain(trade.exitBar);
  });

  it('replays at the chosen speed: an hourly bar every minute at ×60', async () => {
    const waits: number[] = [];
    const bot = await runner('speed.db', {
      candles: candlesOf([100, 101, 102, 103, 104]),
      speed: 60,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(await bot.start()).toBe('finished');
    expect(bot.bars).toBe(5);
    expect(waits).toEqual([60_000, 60_000, 60_000, 60_000]);
  });

  it('pauses after a bar and resumes with the next one, trading as an uninterrupted run', async () => {
    const whole = await runner('whole.db');
    await whole.start();
    const paused = await runner('paused.db');
    let fills = 0;
    paused.on('fill', () => {
      if (++fills === 7) paused.pause();
    });
    expect(await paused.start()).toBe('paused');
    expect(paused.bars).toBeLessThan(600);
    expect(await paused.start()).toBe('finished');
    expect(paused.output().trades).toEqual(whole.output().trades);
    expect(Array.from(paused.output().equity)).toEqual(Array.from(whole.output().equity));
  });

  it('resumes after a restart from the journal: same trades, and no signal sent twice', async () => {
    const whole = await runner('reference.db');
    await whole.start();
    const reference = signalKeys('reference.db');

    // The first life: stopped abruptly after some fills (the database closed as in a crash).
    const first = await runner('restart.db');
    let fills = 0;
    first.on('fill', () => {
      if (++fills === 11) first.pause();
    });
    await first.start();
    const before = first.output().trades.length;
    const filledBefore = new OrderJournal(opened[0]!).all().filter((order) => order.status === 'FILLED');
    for (const db of opened.splice(0)) db.close();

    // The second life: a new runner on the reopened journal, from the first bar again.
    const second = await runner('restart.db');
    expect(await second.start()).toBe('finished');
    expect(before).toBeGreaterThan(0);
    expect(second.output().trades).toEqual(whole.output().trades);
    const keys = signalKeys('restart.db');
    expect(keys.every(({ n }) => n === 1)).toBe(true);
    expect(keys.map(({ key }) => key).sort()).toEqual(reference.map(({ key }) => key).sort());
    // What the first life had filled came from the journal: the new venue never saw those orders.
    expect(filledBefore.length).toBeGreaterThan(10);
    for (const order of filledBefore) expect(await second.venue.order(order.intent.clientOrderId)).toBeNull();
  });

  it('stops a strategy that reads the next bar, with the LookAheadError shown', async () => {
    const peeker = defineStrategy({
      name: 'peeker',
      summary: 'buys when the next close is higher',
      paramsSchema: z.strictObject({}),
      init: () => null,
      onBar(i, ctx) {
        if (i === 30 && ctx.candles.close[i + 1]! > ctx.candles.close[i]!) ctx.buy();
      },
    });
    const bot = await runner(
      'peek.db',
      { params: {} },
      peeker as unknown as Strategy<StrategyParams, unknown>,
    );
    const errors: string[] = [];
    bot.on('error', ({ message }) => errors.push(message));
    expect(await bot.start()).toBe('failed');
    expect(bot.error?.name).toBe('LookAheadError');
    expect(errors).toEqual([expect.stringMatching(/candles\.close\[31\] was read on bar 30/)]);
    expect(bot.bars).toBe(31);
  });

  it('stops trading with the account ruined when equity reaches zero, instead of going on below it', async () => {
    // Up, then down long enough for sma-cross to go short with everything, then a jump that takes
    // the short past twice its entry in one bar, and higher still afterwards.
    const prices = [
      ...Array.from({ length: 20 }, (_, i) => 100 + i),
      ...Array.from({ length: 30 }, (_, i) => 118 - 2 * i),
      ...Array.from({ length: 30 }, (_, i) => 235 + i),
    ];
    const bot = await runner('ruin.db', { candles: candlesOf(prices) });
    const ruins: number[] = [];
    bot.on('ruined', ({ bar }) => ruins.push(bar));
    expect(await bot.start()).toBe('ruined');
    expect(ruins).toHaveLength(1);
    const { trades, openPosition, equity } = bot.output();
    expect(openPosition).toBeNull();
    expect(trades.at(-1)!.exitReason).toBe('ruin');
    expect(trades.at(-1)!.exitBar).toBe(ruins[0]);
    expect(equity.length).toBe(ruins[0]! + 1);
    expect(bot.portfolio.canOpen).toBe(false);
    // One bar's move at most: the loss stops at the close where equity crossed zero.
    expect(equity.at(-1)!).toBeGreaterThan(-0.2 * money.cash);
  });
});
