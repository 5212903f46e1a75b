// The optimiser's threads stay warm between runs (core/jobs/warm-threads.ts): a second run
// reuses them and answers the same result, a run after a cancelled one is not cancelled by a stale
// flag, a thread terminated for being stuck is replaced, overlapping runs never share a thread,
// idle threads time out, and they never keep a process alive.
import { execFile, type ExecFileException } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { runOptimization } from '../../core/optimize/optimize-runner.ts';
import type { EvaluatorSetup } from '../../core/optimize/set-evaluator.ts';
import type { OptimizeProgress, OptimizeRequestInput, OptimizeResult } from '../../core/optimize/spec.ts';
import {
  closeWarmThreads,
  defaultIdleTimeoutMs,
  setIdleTimeout,
  warmThreadStats,
} from '../../core/jobs/warm-threads.ts';
import { WorkerPool } from '../../core/optimize/worker-pool.ts';
import { costFreeMoney } from '../support/optimize-setups.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const candles = syntheticMinuteCandles(20_000);
const window = { start: 0, end: candles.time.length };

const request: OptimizeRequestInput = {
  strategy: 'rsi',
  baseSpec: { params: { period: 14 } },
  ranges: [
    { name: 'lower', from: 20, to: 40, step: 4 },
    { name: 'upper', from: 60, to: 80, step: 4 },
  ],
  validation: { kind: 'split', train: 0.7 },
};

/** Enough sets on the kernel path that a run is still searching when it is cancelled. */
const longRequest: OptimizeRequestInput = {
  ...request,
  ranges: [
    { name: 'lower', from: 5, to: 54, step: 1 },
    { name: 'upper', from: 55, to: 94, step: 1 },
  ],
};

const kernelSetup: EvaluatorSetup = {
  strategy: 'rsi',
  baseSpec: { ...costFreeMoney, params: { period: 14 } },
  path: 'kernel',
};
const sets = Array.from({ length: 24 }, (_, i) => ({ lower: 20 + (i % 12), upper: 60 + (i % 5) * 4 }));

/** The result without its timing, which is all that may differ between two runs. */
function timeless(result: OptimizeResult): Omit<OptimizeResult, 'elapsedMs'> {
  const { elapsedMs: _elapsedMs, ...rest } = result;
  return rest;
}

afterAll(async () => {
  setIdleTimeout(defaultIdleTimeoutMs);
  await closeWarmThreads();
});

// Every case runs two threads and expects both to stay warm: a one-core machine keeps only one.
describe.skipIf(availableParallelism() < 2)('warm optimisation threads', () => {
  it('lets a second run reuse the first run’s threads and answer the same result', async () => {
    const first = await runOptimization(candles, request, { workers: 2 });
    const { started, idleThreadIds } = warmThreadStats();
    expect(idleThreadIds).toHaveLength(2);

    const second = await runOptimization(candles, request, { workers: 2 });
    expect(warmThreadStats().started).toBe(started);
    expect(warmThreadStats().idleThreadIds.sort()).toEqual([...idleThreadIds].sort());
    expect(timeless(second)).toEqual(timeless(first));

    const pool = await WorkerPool.start(candles, kernelSetup, { workers: 2 });
    expect(pool.threadIds.sort()).toEqual([...idleThreadIds].sort());
    expect(warmThreadStats().idleThreadIds).toEqual([]);
    await pool.close();
    expect(pool.liveWorkers).toBe(0);
  });

  it('reuses up to N warm threads and starts the rest', async () => {
    await closeWarmThreads();
    const one = await WorkerPool.start(candles, kernelSetup, { workers: 1 });
    await one.close();
    const { started } = warmThreadStats();
    const two = await WorkerPool.start(candles, kernelSetup, { workers: 2 });
    expect(warmThreadStats().started).toBe(started + 1);
    expect(two.threadIds).toContain(one.threadIds[0]);
    await two.close();
  });

  it('runs normally after a cancelled run: the next run has a fresh cancel flag', async () => {
    const reference = await runOptimization(candles, longRequest, { workers: 2 });
    const { started } = warmThreadStats();

    const controller = new AbortController();
    let resolveStarted!: () => void;
    const searching = new Promise<void>((resolve) => (resolveStarted = resolve));
    const onProgress = (p: OptimizeProgress) => p.phase === 'searching' && p.done > 0 && resolveStarted();
    const cancelled = runOptimization(candles, longRequest, {
      workers: 2,
      signal: controller.signal,
      onProgress,
      progressIntervalMs: 0,
      // Long enough that both threads answer "cancelled" in time and go back warm.
      graceMs: 5_000,
    });
    const outcome = cancelled.then(
      () => 'finished',
      (error: unknown) => error,
    );
    await searching;
    controller.abort();
    expect(await outcome).toMatchObject({ code: 'cancelled' });
    expect(warmThreadStats().idleThreadIds).toHaveLength(2);

    const after = await runOptimization(candles, longRequest, { workers: 2 });
    expect(warmThreadStats().started).toBe(started);
    expect(timeless(after)).toEqual(timeless(reference));
  });

  it('replaces a thread terminated for being busy after the grace period', async () => {
    // Full backtests (the reference path) of 200,000 bars: each set takes tens of milliseconds.
    const long = syntheticMinuteCandles(200_000);
    const setup: EvaluatorSetup = { ...kernelSetup, path: 'backtest' };
    const reference = await WorkerPool.start(long, setup, { workers: 2 });
    const expected = await reference.evaluate({ start: 0, end: long.time.length }, sets.slice(0, 4));
    await reference.close();

    // No grace at all: a thread still working when cancel() comes is terminated.
    const stuck = await WorkerPool.start(long, setup, { workers: 2, graceMs: 0 });
    const stuckIds = stuck.threadIds;
    const { started } = warmThreadStats();
    const many = Array.from({ length: 200 }, (_, i) => sets[i % sets.length]!);
    let firstLanded!: () => void;
    const working = new Promise<void>((resolve) => (firstLanded = resolve));
    const evaluation = stuck
      .evaluate({ start: 0, end: long.time.length }, many, () => firstLanded())
      .then(
        () => 'finished',
        (error: unknown) => error,
      );
    // Results are arriving and both threads hold more sets when the cancel comes.
    await working;
    await stuck.cancel();
    expect(stuck.liveWorkers).toBe(0);
    expect(await evaluation).toMatchObject({ code: 'cancelled' });
    expect(warmThreadStats().idleThreadIds.filter((id) => stuckIds.includes(id))).toEqual([]);

    const replaced = await WorkerPool.start(long, setup, { workers: 2 });
    expect(warmThreadStats().started).toBe(started + 2);
    expect(replaced.threadIds.filter((id) => stuckIds.includes(id))).toEqual([]);
    expect(await replaced.evaluate({ start: 0, end: long.time.length }, sets.slice(0, 4))).toEqual(expected);
    await replaced.close();
  });

  it('never hands one thread to two overlapping runs', async () => {
    const expected = await runOptimization(candles, request, { workers: 2 });
    const [a, b] = await Promise.all([
      WorkerPool.start(candles, kernelSetup, { workers: 2 }),
      WorkerPool.start(candles, kernelSetup, { workers: 2 }),
    ]);
    expect(new Set([...a.threadIds, ...b.threadIds]).size).toBe(4);
    const [fromA, fromB] = await Promise.all([a.evaluate(window, sets), b.evaluate(window, sets)]);
    expect(fromB).toEqual(fromA);
    await Promise.all([a.close(), b.close()]);
    // Four threads came back; no more than the machine's cores stay warm.
    expect(warmThreadStats().idleThreadIds.length).toBeLessThanOrEqual(Math.min(4, availableParallelism()));

    const [one, two] = await Promise.all([
      runOptimization(candles, request, { workers: 2 }),
      runOptimization(candles, request, { workers: 2 }),
    ]);
    expect(timeless(one)).toEqual(timeless(expected));
    expect(timeless(two)).toEqual(timeless(expected));
  });

  it('terminates idle threads after the idle timeout', async () => {
    setIdleTimeout(100);
    try {
      const pool = await WorkerPool.start(candles, kernelSetup, { workers: 2 });
      await pool.close();
      expect(warmThreadStats().idleThreadIds.length).toBeGreaterThan(0);
      // Waits for the idle set to empty by itself (checked, not slept on); when is the timer's business.
      await vi.waitFor(() => expect(warmThreadStats().idleThreadIds).toEqual([]), {
        timeout: 60_000,
        interval: 20,
      });
    } finally {
      setIdleTimeout(defaultIdleTimeoutMs);
    }
  });

  it('does not keep a process alive once its optimisation is done', async () => {
    const url = (file: string) => pathToFileURL(path.join(repoRoot, file)).href;
    // An idle timeout of a day: if the warm threads or their timers held the process, it would
    // never end by itself, and the kill below would fail the test.
    const script = `
      import { syntheticMinuteCandles } from ${JSON.stringify(url('bench/synthetic-candles.ts'))};
      import { runOptimization } from ${JSON.stringify(url('core/optimize/optimize-runner.ts'))};
      import { setIdleTimeout, warmThreadStats } from ${JSON.stringify(url('core/jobs/warm-threads.ts'))};
      setIdleTimeout(24 * 60 * 60 * 1000);
      const result = await runOptimization(syntheticMinuteCandles(5000), ${JSON.stringify(request)}, { workers: 2 });
      console.log(JSON.stringify({ sets: result.evaluationCount, idle: warmThreadStats().idleThreadIds.length }));
    `;
    // A file, not --eval: the threads inherit the process's flags, and --input-type would stop them.
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'autobot-warm-')), 'run.mjs');
    writeFileSync(file, script);
    // The kill is only a backstop for a hung process, far beyond any loaded machine's run time.
    const ended = await new Promise<{ stdout: string; error: ExecFileException | null }>((resolve) => {
      execFile(process.execPath, [file], { cwd: repoRoot, timeout: 90_000 }, (error, stdout) =>
        resolve({ stdout, error }),
      );
    });
    rmSync(path.dirname(file), { recursive: true, force: true });
    // The run left two warm threads behind, and still the process ended by itself.
    expect(ended.error).toBeNull();
    expect(JSON.parse(ended.stdout)).toEqual({ sets: 36, idle: 2 });
  });
});
