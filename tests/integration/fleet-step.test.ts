// A paper fleet committed every N bars (core/runtime/fleet-step.ts): a crash loses at most the bars
// since the last commit — never part of a bar, never a committed one — and the fleet resumed on the
// same file ends with exactly the fills of a fleet that never crashed, no signal sent twice.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simulationConfig } from '../../core/backtest/engine.ts';
import { parseBacktestSpec } from '../../core/backtest/run-backtest.ts';
import type { Bar } from '../../core/domain/bar.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { FleetStep } from '../../core/runtime/fleet-step.ts';
import { StrategyRunner } from '../../core/runtime/strategy-runner.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { smaCross } from '../../core/strategies/sma-cross.ts';
import type { Strategy, StrategyParams } from '../../core/strategies/strategy.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const bots = 3;
const bars = 400;
const every = 32;
const money = simulationConfig(parseBacktestSpec({ strategy: 'sma-cross' }));

let temp: ReturnType<typeof makeTempDir>;
const opened: Database[] = [];
beforeEach(() => {
  temp = makeTempDir('autobot-fleet-');
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  temp.cleanup();
});

/** Hourly bars of a wave, shifted per bot so each trades on its own bars. */
function candlesOf(bot: number): CandleColumns {
  const candles = allocateCandleColumns(bars);
  let previous = 100;
  for (let i = 0; i < bars; i++) {
    const close = 100 + 10 * Math.sin((i + 7 * bot) / 9) + 3 * Math.sin(i / 2.3);
    candles.time[i] = 1_700_000_000 + i * 3600;
    candles.open[i] = previous;
    candles.close[i] = close;
    candles.high[i] = Math.max(previous, close) + 0.25;
    candles.low[i] = Math.min(previous, close) - 0.25;
    candles.volume[i] = 1;
    previous = close;
  }
  return candles;
}

const series = Array.from({ length: bots }, (_, b) => candlesOf(b));

function barOf(candles: CandleColumns, i: number): Bar {
  const { time, open, high, low, close, volume } = candles;
  return {
    time: time[i]!,
    open: open[i]!,
    high: high[i]!,
    low: low[i]!,
    close: close[i]!,
    volume: volume[i]!,
  };
}

async function fleetOn(file: string) {
  const db = openDatabase(path.join(temp.dir, file));
  opened.push(db);
  const journal = new OrderJournal(db, { durability: 'normal' });
  const ids = ClientOrderIds.open(db);
  const runners: StrategyRunner[] = [];
  for (let b = 0; b < bots; b++) {
    runners.push(
      await StrategyRunner.create({
        botId: `bot-${b}`,
        strategy: smaCross as unknown as Strategy<StrategyParams, unknown>,
        params: { fast: 5, slow: 12 },
        symbol: 'WAVE',
        timeframe: '1h',
        candles: series[b]!,
        money,
        journal,
        ids,
        database: db,
        batch: 'write',
      }),
    );
  }
  // The clock never says "commit": only the bar count does, so where the crash lands is exact.
  const fleet = new FleetStep(db, { commitEvery: every, commitWithinMs: Number.POSITIVE_INFINITY });
  return { db, runners, fleet };
}

async function step(fleet: FleetStep, runners: StrategyRunner[], i: number): Promise<void> {
  await fleet.step(runners.map((runner, b) => [runner, barOf(series[b]!, i)] as const));
}

/** Each bot's fills on disk, in the words a user reads them: time, side, quantity, price. */
function fillsOnDisk(db: Database): Record<string, string[]> {
  const rows = db
    .prepare(
      `SELECT i.owner, e.payload, i.side FROM order_events e JOIN order_intents i USING (client_order_id)
       WHERE e.kind = 'fill' ORDER BY e.seq`,
    )
    .all() as { owner: string; payload: string; side: string }[];
  const out: Record<string, string[]> = {};
  for (const { owner, payload, side } of rows) {
    const fill = JSON.parse(payload) as { time: number; quantity: number; price: number };
    (out[owner] ??= []).push(`${fill.time} ${side} ${fill.quantity} ${fill.price}`);
  }
  return out;
}

/** Every signal that made an order (keys are "<bot>:<bar time>:<command>:<role>"), sorted. */
function signalKeys(db: Database): string[] {
  return (db.prepare('SELECT signal_key FROM order_intents').pluck().all() as string[]).sort();
}

const barTime = (key: string) => Number(key.split(':')[1]);

describe('a paper fleet committed every N bars', () => {
  it(`loses at most the last ${every} bars to a crash, and resumes to the fills of a fleet never crashed`, async () => {
    const reference = await fleetOn('reference.db');
    for (let i = 0; i < bars; i++) await step(reference.fleet, reference.runners, i);
    for (const runner of reference.runners) await runner.finish();
    reference.fleet.commit();
    const expected = fillsOnDisk(reference.db);
    expect(Object.keys(expected)).toHaveLength(bots);

    // The crash: 250 bars stepped, the last commit after the first 224 (7 × 32), then the file is
    // shut with its transaction open — what a killed process leaves: SQLite rolls it back.
    const crashed = await fleetOn('fleet.db');
    for (let i = 0; i < 250; i++) await step(crashed.fleet, crashed.runners, i);
    crashed.db.close();

    // On disk: exactly the orders of the committed bars. An order sent on bar i carries the signal
    // of bar i − 1's close, so bars 0–223 hold the signals up to bar 222's.
    const resumed = await fleetOn('fleet.db');
    const committed = signalKeys(reference.db).filter((key) => barTime(key) <= series[0]!.time[222]!);
    expect(committed.length).toBeGreaterThan(10);
    // …and the crash did lose orders: some were sent on the uncommitted bars 224–249.
    const lost = signalKeys(reference.db).filter(
      (key) => barTime(key) > series[0]!.time[222]! && barTime(key) < series[0]!.time[249]!,
    );
    expect(lost.length).toBeGreaterThan(0);
    expect(signalKeys(resumed.db)).toEqual(committed);

    for (let i = 0; i < bars; i++) await step(resumed.fleet, resumed.runners, i);
    for (const runner of resumed.runners) await runner.finish();
    resumed.fleet.commit();
    expect(fillsOnDisk(resumed.db)).toEqual(expected);
    const twice = resumed.db
      .prepare('SELECT signal_key FROM order_intents GROUP BY signal_key HAVING count(*) > 1')
      .all();
    expect(twice).toEqual([]);
    expect(resumed.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('refuses a commit interval that is not a whole number of bars, naming it', () => {
    const db = openDatabase(':memory:');
    opened.push(db);
    expect(() => new FleetStep(db, { commitEvery: 0 })).toThrow(/commitEvery/);
    expect(() => new FleetStep(db, { commitEvery: 2.5 })).toThrow(/commitEvery/);
  });
});
