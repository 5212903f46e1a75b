// The optimiser's side of a pooled thread: core/jobs/thread-worker.ts hands it the optimiser's
// messages, core/jobs/warm-threads.ts keeps the thread warm. The thread outlives a run: 'load' maps
// one run's candles from their SharedArrayBuffer, takes that run's cancel flag and builds its
// SetEvaluator; the thread then answers batches of parameter sets one message at a time
// until 'unload' drops all three, so the memory can be freed while the thread waits for the next
// run. Between two evaluations it reads the run's cancel flag, so a cancelled run stops at the next
// set boundary without waiting for a message this busy thread could not read.
import { AutobotError } from '../domain/autobot-error.ts';
import { cancelFlagView, isRaised } from '../jobs/cancel-flag.ts';
import type { ParamSet } from './parameter-space.ts';
import type { PoolReply, PoolRequest } from './pool-protocol.ts';
import { SetEvaluator } from './set-evaluator.ts';
import { sharedCandleColumns } from './shared-candles.ts';
import type { BarRange } from './validation.ts';

type Post = (reply: PoolReply) => void;

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

function load(request: Extract<PoolRequest, { type: 'load' }>, post: Post): void {
  run = null;
  try {
    run = {
      evaluator: new SetEvaluator(sharedCandleColumns(request.candles), request.setup),
      cancelled: cancelFlagView(request.cancelFlag),
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
  post: Post,
): void {
  const metrics = [];
  for (const params of sets) {
    if (isRaised(cancelled)) return post({ type: 'cancelled', id });
    try {
      metrics.push(evaluator.evaluate(window, params));
    } catch (error) {
      return post(failure(id, error, params));
    }
  }
  post({ type: 'evaluated', id, metrics });
}

/** Answers one of the optimiser's messages through `post`. */
export function onPoolRequest(request: PoolRequest, post: Post): void {
  if (request.type === 'load') return load(request, post);
  if (request.type === 'unload') {
    run = null;
    return;
  }
  if (run === null) return post(failure(request.id, new Error('no optimisation is loaded'), null));
  if (isRaised(run.cancelled)) return post({ type: 'cancelled', id: request.id });
  if (request.type === 'evaluate') return evaluate(run, request.id, request.window, request.sets, post);
  try {
    post({
      type: 'detail',
      id: request.id,
      detail: run.evaluator.detail(request.window, request.params, request.rsiAtEntry),
    });
  } catch (error) {
    post(failure(request.id, error, request.params));
  }
}
