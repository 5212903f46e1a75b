// Long computations (backtests, optimisations, training) run in worker threads so neither the
// Electron main process nor the headless server's event loop ever stalls. A job module exports
// `run(input, context)`; the host gets progress, a result, and cancellation that takes effect
// within 100 ms (cooperative abort first, then the thread is terminated).
import { Worker } from 'node:worker_threads';
import { AutobotError } from '../contract/errors.ts';
import type { JobMessage } from './job-protocol.ts';

export interface JobOptions {
  onProgress?: (fraction: number, message?: string) => void;
  signal?: AbortSignal;
  /** How long a cancelled job may take to stop by itself before its thread is terminated. */
  graceMs?: number;
}

// From source the worker is job-worker.ts (Node strips its types); in the Electron bundle it is
// the job-worker.cjs built beside main.cjs (scripts/build-electron.ts).
const workerEntry = import.meta.url.endsWith('.cjs')
  ? new URL('./job-worker.cjs', import.meta.url)
  : new URL('./job-worker.ts', import.meta.url);

export class JobCancelled extends AutobotError {
  constructor() {
    super('cancelled', 'The job was cancelled.');
  }
}

/**
 * Runs a job in a new worker thread: a built-in job by its registry name, or (from source only,
 * e.g. in tests) export `exportName` of the module at a file URL.
 */
export function runWorkerJob<T>(
  job: string | URL,
  input: unknown,
  options: JobOptions = {},
  exportName = 'run',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new JobCancelled());
    const worker = new Worker(workerEntry, {
      workerData: {
        job: typeof job === 'string' ? job : job.href,
        byUrl: typeof job !== 'string',
        exportName,
        input,
      },
    });
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
      void worker.terminate();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      killTimer = setTimeout(() => finish(() => reject(new JobCancelled())), options.graceMs ?? 50);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: JobMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.fraction, message.message);
      else if (message.type === 'done') finish(() => resolve(message.value as T));
      else if (message.type === 'cancelled') finish(() => reject(new JobCancelled()));
      else if (message.type === 'error') {
        const error = message.code
          ? new AutobotError(message.code, message.message, {
              ...(message.issues ? { issues: message.issues } : {}),
              ...(message.detail ? { detail: message.detail } : {}),
            })
          : new Error(message.message);
        finish(() => reject(error));
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`job worker exited with code ${code} before answering`))),
    );
  });
}
