// Heavy runs wait their turn in the host's run queue (core/jobs/run-queue.ts): with one slot, a
// second backtest hears it is queued at position 1 and starts only once the first has ended; a run
// cancelled while it waits never starts; an optimisation asking for more workers than the host
// allows runs on as many as it may use. Every step waits for an event or an answer, never a clock.
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import type { App } from '../../core/app/app.ts';
import { inlineBarLimit } from '../../core/app/backtest-handlers.ts';
import type { EventName } from '../../core/contract/calls.ts';
import type { CallResult } from '../../core/contract/result.ts';
import { runOptimization } from '../../core/optimize/optimize-runner.ts';
import type { OptimizeRequestInput, OptimizeResult } from '../../core/optimize/spec.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let app: App;
let cleanup: () => void;
const log: { name: EventName; payload: { runId?: string; position?: number } }[] = [];
const stored = { source: 'stored', symbol: 'SYN', timeframe: '1m' } as const;
const spec = { strategy: 'sma-cross', params: { fast: 10, slow: 30 } };

beforeAll(async () => {
  const temp = makeTempDir();
  cleanup = temp.cleanup;
  ({ app } = await createLicensedTestApp({ dataDir: temp.dir, maxRuns: 1 }));
  // Long enough that every backtest goes to a worker thread, and so through the queue.
  new CandleRepository(app.db).upsert('SYN', '1m', syntheticMinuteCandles(inlineBarLimit * 4));
  app.events.subscribe((name, payload) =>
    log.push({ name, payload: payload as (typeof log)[number]['payload'] }),
  );
}, 60_000);
afterAll(() => {
  app?.close();
  cleanup?.();
});

const call = <T = unknown>(name: string, input: unknown) =>
  app.dispatch(name, input) as Promise<CallResult<T>>;

/** Resolves at the first event (already logged or still to come) that `match` accepts. */
function nextEvent(match: (entry: (typeof log)[number]) => boolean): Promise<(typeof log)[number]> {
  const seen = log.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const stop = app.events.subscribe((name, payload) => {
      const entry = { name, payload: payload as (typeof log)[number]['payload'] };
      if (!match(entry)) return;
      stop();
      resolve(entry);
    });
  });
}

const started = (runId: string) => (e: (typeof log)[number]) =>
  e.name === 'runs.started' && e.payload.runId === runId;
const queued = (runId: string) => (e: (typeof log)[number]) =>
  e.name === 'runs.queued' && e.payload.runId === runId;

describe('the run queue with one slot', () => {
  it('queues a second backtest at position 1, starts it after the first ends, and drops a cancelled waiting one', async () => {
    // A progress report from the first run: it holds the slot, so the second has not started.
    const firstStillRunning = new Promise<boolean>((resolve) => {
      const stop = app.events.subscribe((name, payload) => {
        if (name !== 'backtest.progress' || (payload as { runId: string }).runId !== 'first') return;
        stop();
        resolve(!log.some(started('second')));
      });
    });
    const first = call('backtest.run', { data: stored, spec, runId: 'first', save: false });
    const second = call('backtest.run', { data: stored, spec, runId: 'second', save: false });
    const third = call('backtest.run', { data: stored, spec, runId: 'third', save: false });

    await nextEvent(started('first'));
    expect((await nextEvent(queued('second'))).payload.position).toBe(1);
    expect((await nextEvent(queued('third'))).payload.position).toBe(2);

    // Cancelled while it waits: removed at once, never started.
    expect(await call('backtest.cancel', { runId: 'third' })).toEqual({
      ok: true,
      value: { cancelled: true },
    });
    expect(await third).toMatchObject({ ok: false, error: { code: 'cancelled' } });

    expect(await firstStillRunning).toBe(true);
    expect(await first).toMatchObject({ ok: true });
    await nextEvent(started('second'));
    expect(await second).toMatchObject({ ok: true });

    expect(log.filter(started('third'))).toEqual([]);
    const order = log.filter((e) => e.name === 'runs.started').map((e) => e.payload.runId);
    expect(order).toEqual(['first', 'second']);
  });

  it('runs an optimisation asking for 64 workers on the one slot the host allows', async () => {
    const request: OptimizeRequestInput = {
      strategy: 'rsi',
      baseSpec: { params: { period: 14 } },
      ranges: [
        { name: 'lower', from: 20, to: 40, step: 10 },
        { name: 'upper', from: 60, to: 80, step: 10 },
      ],
      validation: { kind: 'none' },
    };
    const result = await call<{ result: OptimizeResult }>('optimize.run', {
      data: stored,
      request,
      runId: 'wide',
      workers: 64,
      save: false,
    });
    expect(result).toMatchObject({ ok: true, value: { result: { workers: 1 } } });
    expect(log.some(started('wide'))).toBe(true);
  });
});

describe('an optimisation outside the app', () => {
  it('runs on no more workers than the machine has cores', async () => {
    const result = await runOptimization(
      syntheticMinuteCandles(5_000),
      {
        strategy: 'rsi',
        baseSpec: { params: { period: 14 } },
        ranges: [
          { name: 'lower', from: 10, to: 49, step: 1 },
          { name: 'upper', from: 51, to: 75, step: 1 },
        ],
        validation: { kind: 'none' },
      },
      { workers: 64 },
    );
    expect(result.workers).toBe(availableParallelism());
  });
});
