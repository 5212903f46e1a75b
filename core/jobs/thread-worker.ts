// The body of every pooled thread (warm-threads.ts starts it): it runs jobs (a backtest, a CSV
// parse, an import — job-registry.ts) one at a time, and answers an optimisation's messages
// (core/optimize/optimize-worker.ts). Backtests, imports and optimisations therefore share one set
// of warm threads, and a thread that served one kind of run serves the next of any kind.
//
// A job's answers are tagged with its jobId, and once the job has answered, anything it still tries
// to post (a late progress report from a stray timer) is dropped here: the next run leasing this
// thread never hears from an earlier one.
import { parentPort } from 'node:worker_threads';
import { AutobotError } from '../domain/autobot-error.ts';
import { onPoolRequest } from '../optimize/optimize-worker.ts';
import { cancelFlagView, isRaised } from './cancel-flag.ts';
import type { JobContext, JobMessage, JobRequest } from './job-protocol.ts';
import { jobRegistry, type JobFunction } from './job-registry.ts';
import type { ThreadReply, ThreadRequest } from './thread-protocol.ts';

const port = parentPort!;
const post = (reply: ThreadReply) => port.postMessage(reply);

/** The job running on this thread: its id and the controller its signal comes from. */
let current: { jobId: number; controller: AbortController } | null = null;

async function loadJob(request: Extract<JobRequest, { type: 'job' }>): Promise<JobFunction> {
  const { job, byUrl, exportName } = request;
  const run = byUrl
    ? ((await import(job)) as Record<string, JobFunction | undefined>)[exportName]
    : await jobRegistry[job]?.();
  if (typeof run !== 'function')
    throw new Error(`no job named "${job}"${byUrl ? ` (export ${exportName})` : ''}`);
  return run;
}

function errorMessage(jobId: number, error: unknown): JobMessage {
  if (error instanceof AutobotError) {
    return {
      jobId,
      type: 'error',
      message: error.message,
      code: error.code,
      ...(error.issues ? { issues: error.issues } : {}),
      ...(error.detail ? { detail: error.detail } : {}),
    };
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { jobId, type: 'error', message };
}

async function runJob(request: Extract<JobRequest, { type: 'job' }>): Promise<void> {
  const { jobId } = request;
  const controller = new AbortController();
  const flag = cancelFlagView(request.cancelFlag);
  const job = { jobId, controller };
  current = job;
  let answered = false;
  const answer = (message: JobMessage) => {
    if (answered) return;
    if (message.type !== 'progress') answered = true;
    post(message);
  };
  // Progress is throttled: a tight loop may report every bar, the UI needs a few updates a second.
  // Each report first reads the cancel flag, so a synchronous job (which cannot read the host's
  // 'cancel-job' message) sees its signal aborted at its next report.
  let lastProgressAt = 0;
  const context: JobContext = {
    signal: controller.signal,
    progress(fraction, message) {
      if (isRaised(flag)) controller.abort();
      const now = performance.now();
      if (now - lastProgressAt < 50 && fraction < 1) return;
      lastProgressAt = now;
      answer(
        message === undefined
          ? { jobId, type: 'progress', fraction }
          : { jobId, type: 'progress', fraction, message },
      );
    },
  };
  try {
    const run = await loadJob(request);
    const value = await run(request.input, context);
    if (isRaised(flag)) controller.abort();
    answer(controller.signal.aborted ? { jobId, type: 'cancelled' } : { jobId, type: 'done', value });
  } catch (error) {
    if (isRaised(flag)) controller.abort();
    answer(controller.signal.aborted ? { jobId, type: 'cancelled' } : errorMessage(jobId, error));
  } finally {
    if (current === job) current = null;
  }
}

port.on('message', (request: ThreadRequest) => {
  if (request.type === 'job') return void runJob(request);
  if (request.type === 'cancel-job') {
    if (current?.jobId === request.jobId) current.controller.abort();
    return;
  }
  onPoolRequest(request, post);
});
