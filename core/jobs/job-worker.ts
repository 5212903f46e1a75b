// The body of every job thread: load the job, run it, post the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { AutobotError } from '../contract/errors.ts';
import type { JobContext, JobMessage } from './job-protocol.ts';
import { jobRegistry, type JobFunction } from './job-registry.ts';

const { job, byUrl, exportName, input } = workerData as {
  job: string;
  byUrl: boolean;
  exportName: string;
  input: unknown;
};
const port = parentPort!;
const controller = new AbortController();
const post = (message: JobMessage) => port.postMessage(message);
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') controller.abort();
});

// Progress is throttled: a tight loop may report every bar, the UI needs a few updates a second.
let lastProgressAt = 0;
const context: JobContext = {
  signal: controller.signal,
  progress(fraction, message) {
    const now = performance.now();
    if (now - lastProgressAt < 50 && fraction < 1) return;
    lastProgressAt = now;
    post(message === undefined ? { type: 'progress', fraction } : { type: 'progress', fraction, message });
  },
};

async function loadJob(): Promise<JobFunction> {
  const run = byUrl
    ? ((await import(job)) as Record<string, JobFunction | undefined>)[exportName]
    : await jobRegistry[job]?.();
  if (typeof run !== 'function')
    throw new Error(`no job named "${job}"${byUrl ? ` (export ${exportName})` : ''}`);
  return run;
}

// No top-level await: the Electron build bundles this file as CommonJS.
async function main(): Promise<void> {
  try {
    const run = await loadJob();
    const value = await run(input, context);
    post(controller.signal.aborted ? { type: 'cancelled' } : { type: 'done', value });
  } catch (error) {
    if (controller.signal.aborted) post({ type: 'cancelled' });
    else if (error instanceof AutobotError) {
      post({
        type: 'error',
        message: error.message,
        code: error.code,
        ...(error.issues ? { issues: error.issues } : {}),
        ...(error.detail ? { detail: error.detail } : {}),
      });
    } else
      post({
        type: 'error',
        message: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
  } finally {
    port.close();
  }
}

void main();
