// How soon a cancel takes effect (issue #10: tests assert only that a cancelled run stops; its speed
// is measured here). Each timed run starts the work, waits until it reports progress, cancels, and
// times from the cancel to the run settling as cancelled:
// - cancel.backtest-job: a backtest job over 1,000,000 stored candles. The job's bar loop is
//   synchronous, so the thread cannot read the cancel message; it is terminated after the grace period.
// - cancel.optimize: a 2,000-set rsi grid over 300,000 candles on two threads, which read the cancel
//   flag between two sets (the summary kernels take well under a millisecond per set).
// - cancel.optimize-busy: the same grid through full backtests of 1,000,000 candles per set, far longer
//   than the grace period: the busy threads are terminated.
// Target (issue #4): each settles within 100 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runWorkerJob } from '../../core/jobs/worker-job.ts';
import { runOptimization, type OptimizeOptions } from '../../core/optimize/optimize-runner.ts';
import type { OptimizeRequestInput } from '../../core/optimize/spec.ts';
import { closeWarmThreads } from '../../core/jobs/warm-threads.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase } from '../../core/storage/database.ts';
import type { BenchCase } from '../harness.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

/** Starts `work` with a signal, aborts it once it reported progress, and times the abort until it settles. */
async function cancelLatency(
  work: (signal: AbortSignal, onProgress: () => void) => Promise<unknown>,
): Promise<number> {
  const controller = new AbortController();
  let progressed!: () => void;
  const underWay = new Promise<void>((resolve) => (progressed = resolve));
  const outcome = work(controller.signal, () => progressed()).then(
    () => new Error('the work finished before it could be cancelled: give it more to do'),
    (error: unknown) => error,
  );
  await Promise.race([underWay, outcome]);
  const cancelledAt = performance.now();
  controller.abort();
  const error = await outcome;
  const ms = performance.now() - cancelledAt;
  if ((error as { code?: string }).code !== 'cancelled') throw error;
  return ms;
}

interface StoredState {
  dir: string;
  databaseFile: string;
}

const grid: OptimizeRequestInput = {
  strategy: 'rsi',
  baseSpec: { params: { period: 14 } },
  ranges: [
    { name: 'lower', from: 5, to: 54, step: 1 },
    { name: 'upper', from: 55, to: 94, step: 1 },
  ],
  validation: { kind: 'none' },
};

function optimizeCancel(name: string, bars: number, options: OptimizeOptions): BenchCase {
  return {
    name,
    runs: 7,
    warmup: 1,
    setup: () => syntheticMinuteCandles(bars),
    measure: (candles) =>
      cancelLatency((signal, onProgress) =>
        runOptimization(candles as CandleColumns, grid, {
          ...options,
          workers: 2,
          signal,
          progressIntervalMs: 0,
          onProgress: (progress) => progress.phase === 'searching' && progress.done > 0 && onProgress(),
        }),
      ),
    figures: () => ({ bars, workers: 2 }),
    teardown: () => closeWarmThreads(),
  };
}

const jobBars = 1_000_000;

export const cancelCases: BenchCase[] = [
  {
    name: 'cancel.backtest-job',
    runs: 7,
    warmup: 1,
    setup: (): StoredState => {
      const dir = mkdtempSync(path.join(tmpdir(), 'autobot-bench-cancel-'));
      const databaseFile = path.join(dir, 'bench.db');
      const db = openDatabase(databaseFile);
      new CandleRepository(db).upsert('BENCH', '1m', syntheticMinuteCandles(jobBars));
      db.close();
      return { dir, databaseFile };
    },
    measure: (state) =>
      cancelLatency((signal, onProgress) =>
        runWorkerJob(
          'backtest',
          {
            data: { source: 'stored', symbol: 'BENCH', timeframe: '1m' },
            spec: { strategy: 'sma-cross' },
            databaseFile: (state as StoredState).databaseFile,
            curvePoints: 2000,
          },
          { signal, onProgress: (fraction) => fraction > 0 && onProgress() },
        ),
      ),
    figures: () => ({ bars: jobBars }),
    teardown: (state) => rmSync((state as StoredState).dir, { recursive: true, force: true }),
  },
  optimizeCancel('cancel.optimize', 300_000, {}),
  optimizeCancel('cancel.optimize-busy', 1_000_000, { evaluationPath: 'backtest' }),
];
