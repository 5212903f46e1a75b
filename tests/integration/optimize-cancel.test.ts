// Cancelling a running optimisation stops it and every one of its threads, and the host's event
// loop keeps answering while the workers search.
import { describe, expect, it } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { runOptimization } from '../../core/optimize/optimize-runner.ts';
import type { OptimizeProgress, OptimizeRequestInput } from '../../core/optimize/spec.ts';
import { WorkerPool } from '../../core/optimize/worker-pool.ts';
import { costFreeMoney } from '../support/optimize-setups.ts';

const request: OptimizeRequestInput = {
  strategy: 'rsi',
  baseSpec: { params: { period: 14 } },
  ranges: [
    { name: 'lower', from: 5, to: 54, step: 1 },
    { name: 'upper', from: 55, to: 94, step: 1 },
  ],
  validation: { kind: 'none' },
};

/** Resolves after the first evaluations landed: the search is under way. */
function firstProgress(): { onProgress: (p: OptimizeProgress) => void; started: Promise<void> } {
  let resolve!: () => void;
  const started = new Promise<void>((r) => (resolve = r));
  return { onProgress: (p) => p.phase === 'searching' && p.done > 0 && resolve(), started };
}

/** Resolves on the host's next event-loop turn and next timer: both run only if nothing holds the loop. */
async function hostLoopTurns(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 0));
}

// How fast a cancel takes effect, and how short the host's stalls are meanwhile, is speed:
// `npm run bench -- cancel responsiveness` measures it (bench/cases/cancel.ts, responsiveness.ts).
describe('cancelling an optimisation', () => {
  it('keeps the host answering while it runs, and stops the run when cancelled', async () => {
    const candles = syntheticMinuteCandles(300_000);
    const controller = new AbortController();
    const progress = firstProgress();
    let settled = false;
    const run = runOptimization(candles, request, {
      workers: 2,
      signal: controller.signal,
      onProgress: progress.onProgress,
      progressIntervalMs: 0,
    });
    const outcome = run
      .then(
        () => 'finished',
        (error: unknown) => error,
      )
      .finally(() => (settled = true));
    await progress.started;

    // 2,000 sets over 300,000 bars: the search is still going while the host's loop turns.
    await hostLoopTurns();
    expect(settled).toBe(false);

    controller.abort();
    // The runner settles only after its pool's threads are all idle or exited (worker-pool.ts).
    expect(await outcome).toMatchObject({ code: 'cancelled' });
  });

  it('stops every thread, even one in the middle of a long evaluation', async () => {
    // One full runBacktest over a million bars per set: far longer than the grace period, so the
    // flag alone cannot stop a thread that is inside one; it is terminated instead.
    const candles = syntheticMinuteCandles(1_000_000);
    const pool = await WorkerPool.start(
      candles,
      {
        strategy: 'rsi',
        baseSpec: { ...costFreeMoney, params: {} },
        path: 'backtest',
      },
      { workers: 2 },
    );
    expect(pool.liveWorkers).toBe(2);
    const sets = Array.from({ length: 40 }, (_, i) => ({ period: 14, lower: 20 + (i % 10), upper: 70 }));
    let landed = 0;
    let firstLanded!: () => void;
    const working = new Promise<void>((resolve) => (firstLanded = resolve));
    const evaluation = pool
      .evaluate({ start: 0, end: candles.time.length }, sets, (_offset, metrics) => {
        landed += metrics.length;
        firstLanded();
      })
      .then(
        () => 'finished',
        (error: unknown) => error,
      );
    // Results are arriving, and both threads hold more sets: the run is well under way.
    await working;

    await pool.cancel();
    expect(pool.liveWorkers).toBe(0);
    expect(await evaluation).toMatchObject({ code: 'cancelled' });
    expect(landed).toBeLessThan(sets.length);
  });

  it('refuses to start when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      runOptimization(syntheticMinuteCandles(1000), request, { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'cancelled' });
  });
});
