// Long computations (backtests, CSV parses, imports, later training) run in worker threads so
// neither the Electron main process nor the headless server's event loop ever stalls. A job module
// exports `run(input, context)`; the host gets progress, a result, and cancellation that takes
// effect within 100 ms. The thread is leased from the warm set every heavy run shares
// (warm-threads.ts) and goes back to it when the job has answered, so a job after another, or after
// an optimisation, does not pay a thread's start-up.
//
// Cancellation is the optimiser's (cancel-flag.ts): the job's flag is raised and its signal aborted
// by message; a job that answers within the grace period leaves its thread warm, one still busy
// after it is terminated (a later run starts a new thread in its place).
import { AutobotError } from '../domain/autobot-error.ts';
import { CancelFlag } from './cancel-flag.ts';
import type { JobMessage } from './job-protocol.ts';
import { leaseThread, returnThread, type WarmThread } from './warm-threads.ts';

export interface JobOptions {
  onProgress?: (fraction: number, message?: string) => void;
  signal?: AbortSignal;
  /** How long a cancelled job may take to stop by itself before its thread is terminated. */
  graceMs?: number;
}

/** A backtest checks its flag every 65,536 bars (a few ms): a cooperating job answers well within this. */
export const defaultJobGraceMs = 50;

export class JobCancelled extends AutobotError {
  constructor() {
    super('cancelled', 'The job was cancelled.');
  }
}

let nextJobId = 0;

function jobError(message: Extract<JobMessage, { type: 'error' }>): Error {
  return message.code
    ? new AutobotError(message.code, message.message, {
        ...(message.issues ? { issues: message.issues } : {}),
        ...(message.detail ? { detail: message.detail } : {}),
      })
    : new Error(message.message);
}

/**
 * Runs a job on a pooled thread: a built-in job by its registry name, or (from source only, e.g. in
 * tests) export `exportName` of the module at a file URL. Settles once the thread is back in the
 * warm set or has exited, so whoever counts busy threads (the run queue) never counts this one
 * twice.
 */
export function runWorkerJob<T>(
  job: string | URL,
  input: unknown,
  options: JobOptions = {},
  exportName = 'run',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new JobCancelled());
    const jobId = nextJobId++;
    const flag = new CancelFlag();
    let settled = false;
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;
    /** Ends the job once: the thread goes back warm when it answered, else it is terminated. */
    const finish = (outcome: () => void, threadIsFree: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      const release = exited ? Promise.resolve() : threadIsFree ? returnThread(thread) : thread.terminate();
      void release.then(outcome);
    };
    const onAbort = () => {
      flag.raise();
      thread.post({ type: 'cancel-job', jobId });
      killTimer = setTimeout(
        () => finish(() => reject(new JobCancelled()), false),
        options.graceMs ?? defaultJobGraceMs,
      );
    };
    const thread: WarmThread = leaseThread({
      onMessage: (reply) => {
        const message = reply as JobMessage;
        if (message.jobId !== jobId) return;
        if (message.type === 'progress') options.onProgress?.(message.fraction, message.message);
        else if (message.type === 'done') finish(() => resolve(message.value as T), true);
        else if (message.type === 'cancelled') finish(() => reject(new JobCancelled()), true);
        else if (message.type === 'error') finish(() => reject(jobError(message)), true);
      },
      // The thread is broken: it will exit, and must never go back to the warm set.
      onError: (error) => finish(() => reject(error), false),
      onExit: (code) => {
        exited = true;
        finish(() => reject(new Error(`job worker exited with code ${code} before answering`)), false);
      },
    });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      thread.post({
        type: 'job',
        jobId,
        job: typeof job === 'string' ? job : job.href,
        byUrl: typeof job !== 'string',
        exportName,
        input,
        cancelFlag: flag.buffer,
      });
    } catch (error) {
      // An input that cannot be cloned never reached the thread: it goes back warm.
      finish(() => reject(error), true);
    }
  });
}
