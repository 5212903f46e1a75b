// The body of each optimisation pool thread (worker-pool.ts starts it). It reads the candles from
// the SharedArrayBuffer it was given at start, then answers batches of parameter sets one message
// at a time. Between two evaluations it reads the shared cancel flag, so a cancelled run stops at
// the next set boundary without waiting for a message this busy thread could not read.
import { parentPort, workerData } from 'node:worker_threads';
import { AutobotError } from '../contract/errors.ts';
import type { ParamSet } from './parameter-space.ts';
import { SetEvaluator, type EvaluatorSetup } from './set-evaluator.ts';
import { sharedCandleColumns, type SharedCandles } from './shared-candles.ts';
import type { BarRange } from './validation.ts';
import type { PoolReply, PoolRequest } from './pool-protocol.ts';

const data = workerData as { candles: SharedCandles; cancelFlag: SharedArrayBuffer; setup: EvaluatorSetup };
const port = parentPort!;
const cancelled = new Int32Array(data.cancelFlag);
const post = (reply: PoolReply) => port.postMessage(reply);

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

let evaluator: SetEvaluator;
try {
  evaluator = new SetEvaluator(sharedCandleColumns(data.candles), data.setup);
  post({ type: 'ready' });
} catch (error) {
  post(failure(-1, error, null));
}

function evaluate(id: number, window: BarRange, sets: ParamSet[]): void {
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
  if (Atomics.load(cancelled, 0) !== 0) return post({ type: 'cancelled', id: request.id });
  if (request.type === 'evaluate') return evaluate(request.id, request.window, request.sets);
  try {
    post({
      type: 'detail',
      id: request.id,
      detail: evaluator.detail(request.window, request.params, request.rsiAtEntry),
    });
  } catch (error) {
    post(failure(request.id, error, request.params));
  }
});
