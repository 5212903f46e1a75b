// The trading runtime's costs, with the journal flushing every commit (synchronous = FULL, as the
// runtime runs it):
//  - runtime.journal: one order's intent and one fill committed to the order journal;
//  - runtime.route: one market order through the OrderRouter to the simulated exchange and filled on
//    the next bar (intent, submitted, accepted, fill: four commits) — the order half of issue #11's
//    runtime.tick, which adds the strategy and the feed once bots run;
//  - runtime.tick: one bar through a paper bot (StrategyRunner: sma-cross → sizing → risk →
//    OrderRouter → SimulatedExchange → journal), its writes committed once per bar;
//  - runtime.fleet: 100 paper bots each replaying 10,000 bars (1M bar events), every order and fill
//    journaled, one transaction per 1,024 bars (or 250 ms) across the fleet (FleetStep,
//    core/runtime/fleet-step.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineInstrument } from '../../core/domain/instrument.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { SimulatedExchange } from '../../core/venues/simulated/simulated-exchange.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { simulationConfig } from '../../core/backtest/engine.ts';
import { parseBacktestSpec } from '../../core/backtest/run-backtest.ts';
import type { Bar } from '../../core/domain/bar.ts';
import { FleetStep } from '../../core/runtime/fleet-step.ts';
import { StrategyRunner } from '../../core/runtime/strategy-runner.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { smaCross } from '../../core/strategies/sma-cross.ts';
import type { Strategy, StrategyParams } from '../../core/strategies/strategy.ts';
import type { BenchCase } from '../harness.ts';

interface JournalState {
  dir: string;
  db: Database;
  journal: OrderJournal;
  ids: ClientOrderIds;
  n: number;
}

interface RouteState {
  dir: string;
  db: Database;
  venue: SimulatedExchange;
  router: OrderRouter;
  time: number;
}

const instrument = defineInstrument({ symbol: 'BENCH', venue: 'simulated', tickSize: 0.01, quantityStep: 1 });

function freshDatabase(prefix: string): { dir: string; db: Database } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, db: openDatabase(path.join(dir, 'journal.db')) };
}

/** A seeded wavy hourly series: sma-cross 10/20 trades on it every few dozen bars. */
function wavyBars(n: number, seed: number): { candles: CandleColumns; bars: Bar[] } {
  const candles = allocateCandleColumns(n);
  const bars: Bar[] = [];
  let state = seed;
  let price = 100;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const open = price;
    price = Math.max(5, price + (state / 2 ** 32 - 0.5) * 2 + Math.sin(i / 15) * 0.6);
    const bar = {
      time: 1_600_000_000 + i * 3600,
      open,
      high: Math.max(open, price) + 0.1,
      low: Math.min(open, price) - 0.1,
      close: price,
      volume: 1,
    };
    bars.push(bar);
    candles.time[i] = bar.time;
    candles.open[i] = bar.open;
    candles.high[i] = bar.high;
    candles.low[i] = bar.low;
    candles.close[i] = bar.close;
    candles.volume[i] = 1;
  }
  return { candles, bars };
}

const paperMoney = simulationConfig(parseBacktestSpec({ strategy: 'sma-cross' }));

/** A paper bot; `batch: 'write'` when a fleet step already wraps each bar in its transaction. */
async function paperBot(
  db: Database,
  botId: string,
  candles: CandleColumns,
  journal: OrderJournal,
  ids: ClientOrderIds,
  batch: 'bar' | 'write' = 'bar',
) {
  return StrategyRunner.create({
    botId,
    strategy: smaCross as unknown as Strategy<StrategyParams, unknown>,
    params: { fast: 10, slow: 20 },
    symbol: 'BENCH',
    timeframe: '1h',
    candles,
    money: paperMoney,
    journal,
    ids,
    database: db,
    batch,
  });
}

interface TickState {
  dir: string;
  db: Database;
  runner: StrategyRunner;
  bars: Bar[];
  next: number;
}

interface FleetState {
  dir: string;
  db: Database | null;
  series: { candles: CandleColumns; bars: Bar[] }[];
  runners: StrategyRunner[];
  orders: number;
}

const fleetBots = 100;
const fleetBars = 10_000;
const tickBars = 200_000;
// A crash of the fleet loses at most this many bars (or 250 ms of work), re-derived on resume
// (docs/runtime.md, "Paper bots and the flush").
const fleetCommitEvery = 1024;

export const runtimeCases: BenchCase[] = [
  {
    name: 'runtime.journal',
    runs: 201,
    warmup: 20,
    setup: (): JournalState => {
      const { dir, db } = freshDatabase('autobot-bench-journal-');
      return { dir, db, journal: new OrderJournal(db), ids: ClientOrderIds.open(db), n: 0 };
    },
    run: (state) => {
      const s = state as JournalState;
      const id = s.ids.next();
      s.journal.recordIntent({
        clientOrderId: id,
        owner: 'bench',
        venue: 'simulated',
        symbol: 'BENCH',
        side: 'buy',
        type: 'market',
        quantity: 1,
        timeInForce: 'GTC',
        createdAt: s.n,
      });
      s.journal.append(id, {
        kind: 'fill',
        tradeId: `T${s.n++}`,
        quantity: 1,
        price: 100,
        fee: 0.1,
        time: s.n,
      });
    },
    teardown: (state) => {
      const s = state as JournalState;
      s.db.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  },
  {
    name: 'runtime.route',
    runs: 201,
    warmup: 20,
    setup: async (): Promise<RouteState> => {
      const { dir, db } = freshDatabase('autobot-bench-route-');
      const venue = new SimulatedExchange({
        instruments: [instrument],
        fees: { commission: 0.001, fixedFee: 0 },
        slippage: 0,
        cash: 1e12,
      });
      await venue.connect();
      const journal = new OrderJournal(db);
      const router = new OrderRouter({
        journal,
        venue,
        ids: ClientOrderIds.open(db),
        instruments: [instrument],
        owner: 'bench',
      });
      return { dir, db, venue, router, time: 0 };
    },
    run: async (state) => {
      const s = state as RouteState;
      await s.router.submit({ symbol: 'BENCH', side: 'buy', type: 'market', quantity: 1 });
      s.time += 60;
      s.venue.pushBar('BENCH', { time: s.time, open: 100, high: 101, low: 99, close: 100, volume: 1 });
    },
    teardown: (state) => {
      const s = state as RouteState;
      s.router.close();
      s.db.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  },
  {
    name: 'runtime.tick',
    runs: 5001,
    warmup: 500,
    setup: async (): Promise<TickState> => {
      const { dir, db } = freshDatabase('autobot-bench-tick-');
      const { candles, bars } = wavyBars(tickBars, 11);
      const journal = new OrderJournal(db, { durability: 'normal' });
      const runner = await paperBot(db, 'tick', candles, journal, ClientOrderIds.open(db));
      return { dir, db, runner, bars, next: 0 };
    },
    run: async (state) => {
      const s = state as TickState;
      await s.runner.step(s.bars[s.next++]!);
    },
    teardown: (state) => {
      const s = state as TickState;
      s.db.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
    figures: (_median, state) => {
      const s = state as TickState;
      return { bars: s.runner.bars, trades: s.runner.output().trades.length };
    },
  },
  {
    name: 'runtime.fleet',
    runs: 3,
    warmup: 0,
    setup: (): FleetState => ({
      dir: mkdtempSync(path.join(tmpdir(), 'autobot-bench-fleet-')),
      db: null,
      series: Array.from({ length: fleetBots }, (_, b) => wavyBars(fleetBars, 1 + b)),
      runners: [],
      orders: 0,
    }),
    beforeEach: async (state) => {
      const s = state as FleetState;
      s.db?.close();
      s.db = openDatabase(path.join(s.dir, `fleet-${Date.now()}.db`));
      // Paper bots: commits reach the OS, not the platter (WAL + NORMAL survives the app being
      // killed; see docs/runtime.md, "Paper bots and the flush").
      const journal = new OrderJournal(s.db, { durability: 'normal' });
      const ids = ClientOrderIds.open(s.db);
      s.runners = [];
      for (let b = 0; b < fleetBots; b++)
        s.runners.push(await paperBot(s.db, `bot-${b}`, s.series[b]!.candles, journal, ids, 'write'));
    },
    run: async (state) => {
      const s = state as FleetState;
      const steps: [StrategyRunner, Bar][] = s.runners.map((runner) => [runner, s.series[0]!.bars[0]!]);
      const fleet = new FleetStep(s.db!, { commitEvery: fleetCommitEvery });
      for (let i = 0; i < fleetBars; i++) {
        for (let b = 0; b < fleetBots; b++) steps[b]![1] = s.series[b]!.bars[i]!;
        await fleet.step(steps);
      }
      for (const runner of s.runners) await runner.finish();
      fleet.commit();
      s.orders = s.db!.prepare('SELECT count(*) FROM order_intents').pluck().get() as number;
    },
    teardown: (state) => {
      const s = state as FleetState;
      s.db?.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
    figures: (_median, state) => {
      const s = state as FleetState;
      const fills = s
        .db!.prepare("SELECT count(*) FROM order_events WHERE kind = 'fill'")
        .pluck()
        .get() as number;
      return { bots: fleetBots, barEvents: fleetBots * fleetBars, orders: s.orders, fills };
    },
  },
];
