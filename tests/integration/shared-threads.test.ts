// One worker system (docs/architecture.md, "Heavy runs"): jobs and optimisations lease their threads
// from one warm set, so each reuses the other's threads, and a job is cancelled the optimiser's way —
// a synchronous job that cannot read a message still stops at its next progress report, and its
// thread goes back warm.
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { closeWarmThreads, warmThreadStats } from '../../core/jobs/warm-threads.ts';
import { runWorkerJob } from '../../core/jobs/worker-job.ts';
import { runOptimization } from '../../core/optimize/optimize-runner.ts';
import type { OptimizeRequestInput } from '../../core/optimize/spec.ts';

const sampleJob = new URL('../support/jobs/sample-job.ts', import.meta.url);
const request: OptimizeRequestInput = {
  strategy: 'rsi',
  baseSpec: { params: { period: 14 } },
  ranges: [
    { name: 'lower', from: 20, to: 40, step: 10 },
    { name: 'upper', from: 60, to: 80, step: 10 },
  ],
  validation: { kind: 'none' },
};

afterAll(() => closeWarmThreads());

describe('one set of threads for jobs and optimisations', () => {
  it('runs a job on the thread an optimisation left warm, and an optimisation on the job’s', async () => {
    await closeWarmThreads();
    await runOptimization(syntheticMinuteCandles(5_000), request, { workers: 1 });
    const { started, idleThreadIds } = warmThreadStats();
    expect(idleThreadIds).toHaveLength(1);

    expect(await runWorkerJob(sampleJob, { steps: 2, stepMs: 1 })).toEqual({ counted: 2 });
    expect(warmThreadStats()).toEqual({ started, idleThreadIds });

    const result = await runOptimization(syntheticMinuteCandles(5_000), request, { workers: 1 });
    expect(result.evaluationCount).toBe(9);
    expect(warmThreadStats()).toEqual({ started, idleThreadIds });
  });

  it('stops a busy synchronous job through its cancel flag and keeps its thread warm', async () => {
    await closeWarmThreads();
    const controller = new AbortController();
    let reported!: () => void;
    const busy = new Promise<void>((resolve) => (reported = resolve));
    const job = runWorkerJob(
      sampleJob,
      {},
      // A grace long enough that only the job's own answer, never the terminate, can end it.
      { signal: controller.signal, onProgress: () => reported(), graceMs: 60_000 },
      'spinPolitely',
    );
    await busy;
    // Its thread is busy, so none is idle.
    expect(warmThreadStats().idleThreadIds).toEqual([]);
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(warmThreadStats().idleThreadIds).toHaveLength(1);
  });
});
