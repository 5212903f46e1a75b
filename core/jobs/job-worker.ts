// The body of every job thread: load the job module, run it, post the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { AutobotError } from '../contract/errors.ts';
import type { JobContext, JobMessage } from './job-protocol.ts';

const { moduleUrl, exportName, input } = workerData as {
  moduleUrl: string;
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

try {
  const module = (await import(moduleUrl)) as Record<
    string,
    (input: unknown, context: JobContext) => unknown
  >;
  const run = module[exportName];
  if (typeof run !== 'function') throw new Error(`${moduleUrl} has no export "${exportName}"`);
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
    });
  } else
    post({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
} finally {
  port.close();
}
