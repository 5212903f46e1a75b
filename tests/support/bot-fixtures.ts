// What the bot tests share: a stored series that makes sma-cross trade often, a supervisor on a
// temp database, a strategy that throws on a chosen bar, and waiting for events instead of time.
import { z } from 'zod';
import { BotSupervisor, type SupervisorOptions } from '../../core/bots/bot-supervisor.ts';
import type { EventName, EventPayload } from '../../core/contract/calls.ts';
import type { BotDefinitionInput } from '../../core/contract/bots-calls.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { smaCross } from '../../core/strategies/sma-cross.ts';
import { defineStrategy, type Strategy, type StrategyParams } from '../../core/strategies/strategy.ts';

/** Daily bars of a wave with a seeded wobble: sma-cross(5, 12) crosses every few dozen bars. */
export function waveCandles(bars: number, start = 1_600_000_000 - (1_600_000_000 % 86_400)): CandleColumns {
  const c = allocateCandleColumns(bars);
  let state = 7;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  let previous = 100;
  for (let i = 0; i < bars; i++) {
    const close = 100 + 10 * Math.sin(i / 9) + (random() - 0.5) * 2;
    c.time[i] = start + i * 86_400;
    c.open[i] = Math.round(previous * 100) / 100;
    c.close[i] = Math.round(close * 100) / 100;
    c.high[i] = Math.round((Math.max(previous, close) + random()) * 100) / 100;
    c.low[i] = Math.round((Math.min(previous, close) - random()) * 100) / 100;
    c.volume[i] = 1000;
    previous = close;
  }
  return c;
}

export function storeWave(db: Database, symbol = 'WAVE', bars = 400): CandleColumns {
  const candles = waveCandles(bars);
  new CandleRepository(db).upsert(symbol, '1d', candles);
  return candles;
}

/** sma-cross that throws on bar `at`: the watchdog's case. */
export function throwingAt(at: number): Strategy<StrategyParams, unknown> {
  return defineStrategy({
    ...(smaCross as unknown as Strategy<StrategyParams, unknown>),
    name: 'throws',
    paramsSchema: z.strictObject({ fast: z.number().default(5), slow: z.number().default(12) }),
    onBar(i, ctx) {
      if (i === at) throw new Error(`boom at bar ${at}`);
      smaCross.onBar(i, ctx as never);
    },
  });
}

export function waveBot(overrides: Partial<BotDefinitionInput> = {}): BotDefinitionInput {
  return {
    name: 'wave bot',
    strategy: 'sma-cross',
    params: { fast: 5, slow: 12 },
    symbol: 'WAVE',
    timeframe: '1d',
    venue: 'paper',
    cash: 10_000,
    commission: 0.001,
    sizing: { mode: 'fraction', fraction: 0.5 },
    barsPerSecond: null,
    ...overrides,
  };
}

export interface EventLog {
  events: { name: EventName; payload: unknown }[];
  emit: SupervisorOptions['emit'];
  /** Resolves with the first event (already seen or to come) that matches. */
  waitFor<N extends EventName>(
    name: N,
    match: (payload: EventPayload<N>) => boolean,
  ): Promise<EventPayload<N>>;
}

export function eventLog(): EventLog {
  const events: { name: EventName; payload: unknown }[] = [];
  const waiters = new Set<{ name: EventName; match: (p: never) => boolean; resolve: (p: never) => void }>();
  return {
    events,
    emit: (name, payload) => {
      events.push({ name, payload });
      for (const waiter of [...waiters]) {
        if (waiter.name === name && waiter.match(payload as never)) {
          waiters.delete(waiter);
          waiter.resolve(payload as never);
        }
      }
    },
    waitFor(name, match) {
      const seen = events.find((e) => e.name === name && match(e.payload as never));
      if (seen) return Promise.resolve(seen.payload as never);
      return new Promise((resolve) =>
        waiters.add({ name, match: match as never, resolve: resolve as never }),
      );
    },
  };
}

export function openSupervisor(
  file: string,
  options: Partial<SupervisorOptions> = {},
): { db: Database; supervisor: BotSupervisor; log: EventLog } {
  const db = openDatabase(file);
  const log = eventLog();
  const supervisor = new BotSupervisor({
    db,
    candles: new CandleRepository(db),
    emit: log.emit,
    maxInstances: async () => 5,
    ...options,
  });
  return { db, supervisor, log };
}

/** The five bots of the kill test: one series, different params, sizes and costs. */
export const killBots = {
  bars: 600,
  definitions: [
    waveBot({ name: 'k1', params: { fast: 5, slow: 12 } }),
    waveBot({ name: 'k2', params: { fast: 3, slow: 8 }, sizing: { mode: 'fixed', quantity: 7 } }),
    waveBot({ name: 'k3', params: { fast: 8, slow: 21 }, commission: 0 }),
    waveBot({ name: 'k4', strategy: 'rsi', params: {} }),
    waveBot({ name: 'k5', params: { fast: 4, slow: 30 }, slippage: 0.001 }),
  ],
};
