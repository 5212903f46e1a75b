import { describe, expect, it } from 'vitest';
import { JobCancelled, runWorkerJob } from '../../core/jobs/worker-job.ts';

const sampleJob = new URL('../support/jobs/sample-job.ts', import.meta.url);

describe('worker jobs', () => {
  it('runs a job off the main thread, reporting progress and answering its result', async () => {
    const progress: number[] = [];
    const result = await runWorkerJob<{ counted: number }>(
      sampleJob,
      { steps: 5, stepMs: 60 },
      { onProgress: (f) => progress.push(f) },
    );
    expect(result).toEqual({ counted: 5 });
    // Progress is throttled, so how many updates arrive is not fixed; that they rise to 1 is.
    expect(progress.length).toBeGreaterThan(0);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
  });

  it('keeps the host event loop free while a job spins', async () => {
    const controller = new AbortController();
    let settled = false;
    const job = runWorkerJob(sampleJob, {}, { signal: controller.signal }, 'spin').finally(
      () => (settled = true),
    );
    // A job that never ends: if it ran on this thread, neither the immediate nor the timer would run.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelled);
  });

  // How soon the thread is stopped is speed: `npm run bench -- cancel` (bench/cases/cancel.ts).
  it('stops a job that ignores cancellation', async () => {
    const controller = new AbortController();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const job = runWorkerJob(
      sampleJob,
      {},
      { signal: controller.signal, onProgress: () => started() },
      'spinAfterProgress',
    );
    // The job reported progress: it is inside its endless loop, which never reads the signal.
    await running;
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('carries a job error code and issues back to the caller', async () => {
    await expect(runWorkerJob(sampleJob, {}, {}, 'refuse')).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'params.slow', message: 'must be greater than params.fast' }],
    });
  });
});
