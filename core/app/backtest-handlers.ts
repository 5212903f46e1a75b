// backtest.* calls: where a run executes (inline when small, a worker thread when long — after
// waiting its turn in the host's run queue), its progress events and cancellation, and saving it
// before the answer goes back (rule 4).
import type { CallInput } from '../contract/calls.ts';
import { AutobotError } from '../contract/errors.ts';
import type { Handlers } from '../contract/dispatch.ts';
import {
  backtestCandles,
  noCandlesError,
  type BacktestData,
  type BacktestJobInput,
  type SentimentInput,
} from '../backtest/backtest-job.ts';
import type { BacktestResult } from '../backtest/spec.ts';
import { describeStrategies } from '../strategies/describe.ts';
import { runWorkerJob } from '../jobs/worker-job.ts';
import type { RunQueue } from '../jobs/run-queue.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { RunRepository } from '../storage/run-repository.ts';
import { thinEquityCurve } from '../backtest/thin-equity-curve.ts';
import { inlineCsvBytes, loadRunCandles, runPriceDecimals } from './run-candles.ts';
import { runSource } from './run-source.ts';
import { CancellableRuns } from './cancellable-runs.ts';
import type { CoreEvents } from './events.ts';
import type { Database } from '../storage/database.ts';
import { HeadlineRepository } from '../storage/headline-repository.ts';
import { timeframeSeconds } from '../contract/timeframe-seconds.ts';

/**
 * Bars below which a run stays on the calling thread: ~50k bars take a few milliseconds, less than
 * starting a worker. Above it, a worker keeps the host's event loop free and reports progress.
 * Only worker runs go through the run queue: a run of a few milliseconds holds no thread, and
 * should not wait a minute behind an optimisation.
 */
export const inlineBarLimit = 50_000;

/** Equity-curve points a saved run keeps: the Backtest page's default. */
const savedCurvePoints = 2000;

type BacktestHandlers = Pick<
  Handlers,
  | 'backtest.strategies'
  | 'backtest.run'
  | 'backtest.cancel'
  | 'backtest.list'
  | 'backtest.get'
  | 'backtest.remove'
>;

export function backtestHandlers(deps: {
  db: Database;
  databaseFile: string;
  candles: CandleRepository;
  events: CoreEvents;
  queue: RunQueue;
}): BacktestHandlers {
  const runs = new RunRepository(deps.db);
  const running = new CancellableRuns('A backtest');
  const headlines = new HeadlineRepository(deps.db);

  /**
   * The stored headlines of the run's symbol, scored, when the strategy filters on sentiment
   * (rsi's minSentiment). A CSV run has no symbol to look them up by, so it is refused by the
   * strategy naming the missing series, as before.
   */
  const sentimentFor = (data: BacktestData, minSentiment: number | undefined): SentimentInput | undefined => {
    if (minSentiment === undefined || data.source !== 'stored') return undefined;
    const stored = headlines.list(data.symbol);
    if (stored.length === 0) {
      const message = `no headlines are stored for ${data.symbol}: import some (autobot sentiment import, or the Sentiment page) to build its sentiment series`;
      throw new AutobotError('invalid_input', `spec.params.minSentiment: ${message}`, {
        issues: [{ path: 'spec.params.minSentiment', message }],
      });
    }
    return {
      headlines: stored.map((headline) => ({ time: headline.publishedAt, score: headline.score })),
      barSeconds: timeframeSeconds(data.timeframe),
    };
  };

  const execute = async (input: CallInput<'backtest.run'> & { curvePoints: number }, signal: AbortSignal) => {
    const runId = input.runId;
    const onProgress = runId
      ? (fraction: number) => deps.events.emit('backtest.progress', { runId, fraction })
      : undefined;
    const data = input.data as BacktestData;
    const spec = input.spec;
    const sentiment = sentimentFor(data, spec.params?.minSentiment);

    let small: boolean;
    if (data.source === 'stored') {
      const bars = deps.candles.count(data.symbol, data.timeframe, data.from, data.to);
      if (bars === 0) throw noCandlesError();
      small = bars <= inlineBarLimit;
    } else {
      small = data.csv.length <= inlineCsvBytes;
    }
    if (small) {
      // Small enough for this thread: loadRunCandles reads or parses them here.
      const candles = await loadRunCandles(data, deps.candles, signal);
      const result = backtestCandles(candles, spec, input.curvePoints, {
        signal,
        priceDecimals: runPriceDecimals(data, deps.candles, candles),
        ...(input.mode ? { mode: input.mode } : {}),
        sentiment,
      });
      onProgress?.(1);
      return result;
    }
    const jobInput: BacktestJobInput = {
      data,
      spec,
      databaseFile: deps.databaseFile,
      curvePoints: input.curvePoints,
      mode: input.mode,
      sentiment,
    };
    return deps.queue.run({ id: runId, kind: 'backtest', signal }, () =>
      runWorkerJob<BacktestResult>('backtest', jobInput, {
        signal,
        ...(onProgress ? { onProgress } : {}),
      }),
    );
  };

  return {
    'backtest.strategies': () => ({ strategies: describeStrategies() }),

    'backtest.run': (input) =>
      running.run(input.runId, async (signal) => {
        const result = await execute({ ...input, curvePoints: input.curvePoints ?? 2000 }, signal);
        // The history keeps the curve the page draws, however many points this caller asked for.
        const run =
          input.save === false
            ? null
            : runs.saveBacktest(runSource(input.data as BacktestData, input.label, result.strategy), {
                ...result,
                equity: thinEquityCurve(result.equity, savedCurvePoints),
              });
        return { run, result };
      }),

    'backtest.cancel': (input) => ({ cancelled: running.cancel(input.runId) }),

    'backtest.list': () => ({ runs: runs.listBacktests() }),

    'backtest.get': (input) => {
      const found = runs.getBacktest(input.id);
      if (!found) throw new AutobotError('not_found', `There is no saved backtest run ${input.id}.`);
      return { run: found.summary, result: found.result };
    },

    'backtest.remove': (input) => ({ removed: runs.remove('backtest', input.id) }),
  };
}
