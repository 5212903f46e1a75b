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
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.at(-1)).toBe(1);
  });

  it('keeps the host event loop free while a job spins', async () => {
    const controller = new AbortController();
    const job = runWorkerJob(sampleJob, {}, { signal: controller.signal }, 'spin');
    const ticks: number[] = [];
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        ticks.push(Date.now());
        if (ticks.length === 5) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
    });
    controller.abort();
    await expect(job).rejects.toBeInstanceOf(JobCancelled);
    expect(ticks).toHaveLength(5);
  });

  it('stops a job that ignores cancellation within 100 ms', async () => {
    const controller = new AbortController();
    const job = runWorkerJob(sampleJob, {}, { signal: controller.signal }, 'spin');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const cancelledAt = performance.now();
    controller.abort();
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect(performance.now() - cancelledAt).toBeLessThan(100);
  });

  it('carries a job error code and issues back to the caller', async () => {
    await expect(runWorkerJob(sampleJob, {}, {}, 'refuse')).rejects.toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'params.slow', message: 'must be greater than params.fast' }],
    });
  });
});
