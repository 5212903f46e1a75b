// optimize.* calls: wait for the run's slots in the host's run queue (one per worker thread), load
// the candles once in the host (a large CSV is parsed in a worker job; the pool shares the columns
// with its threads without copying), run the search with progress events and cancellation by
// runId, and save the run with every evaluation before the answer goes back (rule 4).
import type { CallInput } from '../contract/calls.ts';
import { AutobotError, withIssuePrefix } from '../contract/errors.ts';
import type { Handlers } from '../contract/dispatch.ts';
import type { BacktestData } from '../backtest/backtest-job.ts';
import { bestConfig, evaluationsCsv } from '../optimize/export-best.ts';
import { RunRepository } from '../storage/run-repository.ts';
import { loadRunCandles, runPriceDecimals } from './run-candles.ts';
import { runSource } from './run-source.ts';
import { runOptimization } from '../optimize/optimize-runner.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import type { Database } from '../storage/database.ts';
import { CancellableRuns } from './cancellable-runs.ts';
import type { RunQueue } from '../jobs/run-queue.ts';
import { workerLimit } from '../optimize/optimize-runner.ts';
import type { CoreEvents } from './events.ts';

type OptimizeHandlers = Pick<
  Handlers,
  | 'optimize.run'
  | 'optimize.cancel'
  | 'optimize.list'
  | 'optimize.get'
  | 'optimize.remove'
  | 'optimize.export'
>;

export function optimizeHandlers(deps: {
  db: Database;
  candles: CandleRepository;
  events: CoreEvents;
  queue: RunQueue;
}): OptimizeHandlers {
  const runs = new RunRepository(deps.db);
  const running = new CancellableRuns('An optimisation');

  const execute = async (input: CallInput<'optimize.run'>, signal: AbortSignal) => {
    const runId = input.runId;
    // One slot per thread: never more threads than cores, nor than the queue's slots (`--max-runs`).
    const workers = Math.min(input.workers ?? workerLimit(), workerLimit(), deps.queue.capacity);
    return deps.queue.run({ id: runId, kind: 'optimize', slots: workers, signal }, () =>
      search(input, workers, signal),
    );
  };

  const search = async (input: CallInput<'optimize.run'>, workers: number, signal: AbortSignal) => {
    const runId = input.runId;
    try {
      const candles = await loadRunCandles(input.data as BacktestData, deps.candles, signal);
      return await runOptimization(candles, input.request, {
        signal,
        workers,
        priceDecimals: runPriceDecimals(input.data as BacktestData, deps.candles, candles),
        ...(runId
          ? { onProgress: (progress) => deps.events.emit('optimize.progress', { ...progress, runId }) }
          : {}),
      });
    } catch (error) {
      // The runner names fields within the request ("ranges.0.name"); callers see them within the call.
      throw withIssuePrefix(error, 'request', ['data', 'workers']);
    }
  };

  const saved = (id: number) => {
    const found = runs.getOptimization(id);
    if (!found) throw new AutobotError('not_found', `There is no saved optimisation ${id}.`);
    return found;
  };

  return {
    'optimize.run': (input) =>
      running.run(input.runId, async (signal) => {
        const result = await execute(input, signal);
        const run =
          input.save === false
            ? null
            : runs.saveOptimization(
                runSource(input.data as BacktestData, input.label, `${result.strategy} optimisation`),
                result,
              );
        return { run, result };
      }),

    'optimize.cancel': (input) => ({ cancelled: running.cancel(input.runId) }),

    'optimize.list': () => ({ runs: runs.listOptimizations() }),

    'optimize.get': (input) => {
      const found = saved(input.id);
      return { run: found.summary, result: found.result };
    },

    'optimize.remove': (input) => ({ removed: runs.remove('optimize', input.id) }),

    'optimize.export': (input) => {
      const found = saved(input.id);
      const config = bestConfig(found.result);
      const baseName = `autobot-optimisation-${input.id}-${found.result.strategy}`;
      return {
        config,
        configJson: `${JSON.stringify(config, null, 2)}\n`,
        evaluationsCsv: evaluationsCsv(found.result.evaluations),
        baseName,
      };
    },
  };
}
