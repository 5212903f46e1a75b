// The body of each optimisation pool thread (warm-threads.ts starts it). The thread outlives a run:
// 'load' maps one run's candles from their SharedArrayBuffer, takes that run's cancel flag and
// builds its SetEvaluator; the thread then answers batches of parameter sets one message at a time
// until 'unload' drops all three, so the memory can be freed while the thread waits for the next
// run. Between two evaluations it reads the run's cancel flag, so a cancelled run stops at the next
// set boundary without waiting for a message this busy thread could not read.
import { parentPort } from 'node:worker_threads';
import { AutobotError } from '../contract/errors.ts';
import type { ParamSet } from './parameter-space.ts';
import type { PoolReply, PoolRequest } from './pool-protocol.ts';
import { SetEvaluator } from './set-evaluator.ts';
import { sharedCandleColumns } from './shared-candles.ts';
import type { BarRange } from './validation.ts';

const port = parentPort!;
const post = (reply: PoolReply) => port.postMessage(reply);

/** The run this thread works for; null between runs. */
let run: { evaluator: SetEvaluator; cancelled: Int32Array } | null = null;

function describe(params: ParamSet): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

function failure(id: number, error: unknown, params: ParamSet | null): PoolReply {
  const at = params === null ? '' : `parameter set ${describe(params)}: `;
  if (error instanceof AutobotError) {
    return {
      type: 'failed',
      id,
      error: {
        code: error.code,
        message: `${at}${error.message}`,
        ...(error.issues ? { issues: error.issues } : {}),
      },
    };
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { type: 'failed', id, error: { code: null, message: `${at}${message}` } };
}

function load(request: Extract<PoolRequest, { type: 'load' }>): void {
  run = null;
  try {
    run = {
      evaluator: new SetEvaluator(sharedCandleColumns(request.candles), request.setup),
      cancelled: new Int32Array(request.cancelFlag),
    };
    post({ type: 'ready' });
  } catch (error) {
    post(failure(-1, error, null));
  }
}

function evaluate(
  { evaluator, cancelled }: NonNullable<typeof run>,
  id: number,
  window: BarRange,
  sets: ParamSet[],
): void {
  const metrics = [];
  for (const params of sets) {
    if (Atomics.load(cancelled, 0) !== 0) return post({ type: 'cancelled', id });
    try {
      metrics.push(evaluator.evaluate(window, params));
    } catch (error) {
      return post(failure(id, error, params));
    }
  }
  post({ type: 'evaluated', id, metrics });
}

port.on('message', (request: PoolRequest) => {
  if (request.type === 'load') return load(request);
  if (request.type === 'unload') {
    run = null;
    return;
  }
  if (run === null) return post(failure(request.id, new Error('no optimisation is loaded'), null));
  if (Atomics.load(run.cancelled, 0) !== 0) return post({ type: 'cancelled', id: request.id });
  if (request.type === 'evaluate') return evaluate(run, request.id, request.window, request.sets);
  try {
    post({
      type: 'detail',
      id: request.id,
      detail: run.evaluator.detail(request.window, request.params, request.rsiAtEntry),
    });
  } catch (error) {
    post(failure(request.id, error, request.params));
  }
});
