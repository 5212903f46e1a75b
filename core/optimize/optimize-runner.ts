// One optimisation from request to result: check the request, plan the in-sample / out-of-sample
// windows, start the worker pool (threads kept warm from an earlier run when there are some),
// search each in-sample window (grid or genetic), measure the chosen set out of sample, and assemble
// the leaderboard, the IS/OOS table, every evaluation and — for the rsi strategy — the threshold
// heatmap and the RSI-at-entry scatter. docs/optimisation.md describes each step; the contract
// call, the CLI and the bench all come through here.
import { availableParallelism } from 'node:os';
import { AutobotError, invalidInputError } from '../domain/autobot-error.ts';
import { detectCandleDecimals } from '../domain/detect-precision.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import { getStrategy } from '../strategies/registry.ts';
import { geneticSearch } from './genetic-search.ts';
import { gridSearch, maxGridPoints } from './grid-search.ts';
import { scoreMetrics, type Score } from './objective.ts';
import { ParameterSpace, type ParamSet } from './parameter-space.ts';
import { thresholdHeatmap } from './rsi-analysis.ts';
import { compareScored, type Candidate, type EvaluateBatch, type Scored } from './search-candidate.ts';
import type { EvaluationPath } from './set-evaluator.ts';
import {
  optimizeRequestSchema,
  type BarWindow,
  type Evaluation,
  type KeyMetrics,
  type LeaderboardEntry,
  type OptimizeProgress,
  type OptimizeRequest,
  type OptimizeRequestInput,
  type OptimizeResult,
  type RsiAtEntry,
  type ValidationRow,
} from './spec.ts';
import { isCollapsed, outOfSampleMinTrades, planFolds, type BarRange, type FoldPlan } from './validation.ts';
import { cancelledError, WorkerPool } from './worker-pool.ts';

export interface OptimizeOptions {
  /** Evaluations done, total, best so far and ETA; at most every `progressIntervalMs`, and once at the end. */
  onProgress?: (progress: OptimizeProgress) => void;
  progressIntervalMs?: number;
  /** Aborting stops the workers within 100 ms; the run then rejects with AutobotError('cancelled'). */
  signal?: AbortSignal;
  /**
   * Worker threads; default and at most os.availableParallelism() (more are clamped), never more
   * than there are sets to evaluate.
   */
  workers?: number;
  /** How long cancelled workers may take to stop by themselves before they are terminated. */
  graceMs?: number;
  /**
   * FAST-PATH SWITCH. `kernel` (default): summary-mode kernels fed shared indicators.
   * `backtest`: one full engine run per set — the reference, and what strategies without a
   * summary kernel always use.
   */
  evaluationPath?: EvaluationPath;
  /** Decimals of the prices (a stored series records them); detected from the candles when left out. */
  priceDecimals?: number;
}

/** The most worker threads a run uses: one per core (docs/optimisation.md, "Parallelism"). */
export function workerLimit(): number {
  return availableParallelism();
}

/** Constrained spaces above this many raw points are not counted up front (a genetic search does not need it). */
const countLimit = 1_000_000;

interface Outcome extends Score {
  metrics: KeyMetrics;
}

function refuse(path: string, message: string): never {
  throw new AutobotError('invalid_input', message, { issues: [{ path, message }] });
}

/** Parses a request; failures are AutobotError('invalid_input') whose issues name each field. */
export function parseOptimizeRequest(input: OptimizeRequestInput): OptimizeRequest {
  const parsed = optimizeRequestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw invalidInputError(parsed.error.issues);
}

interface PreparedRun {
  request: OptimizeRequest;
  space: ParameterSpace;
  /** Points of the constrained space; null when too large to count. */
  spaceSize: number | null;
  folds: FoldPlan[];
  /** Evaluations planned per fold (grid: every point; genetic: the budget, or the space if smaller). */
  perFold: number;
}

/** Everything that can be refused before a thread starts. */
export function prepareOptimization(candles: CandleColumns, input: OptimizeRequestInput): PreparedRun {
  const request = parseOptimizeRequest(input);
  const strategy = getStrategy(request.strategy);
  const fixed = request.baseSpec.params;
  request.ranges.forEach((range, i) => {
    if (range.name in fixed)
      refuse(`ranges.${i}.name`, `"${range.name}" is both searched and fixed in baseSpec.params`);
  });
  const space = new ParameterSpace(request.ranges, request.constraints, fixed);
  if (request.method === 'grid' && space.rawSize > maxGridPoints) {
    refuse(
      'ranges',
      `the grid has ${space.rawSize} points, more than ${maxGridPoints}: use larger steps or the genetic method`,
    );
  }
  const spaceSize =
    request.constraints.length === 0
      ? space.rawSize
      : space.rawSize <= countLimit
        ? space.countValid()
        : null;
  const first = space.validIndices().next();
  if (spaceSize === 0 || first.done) refuse('constraints', 'no parameter set satisfies the constraints');
  checkSetsWithStrategy(space, fixed, (params) => strategy.prepare(params), first.value);
  if (candles.time.length === 0) refuse('data', 'there are no candles to optimise on');
  const folds = planFolds(candles.time.length, request.validation);
  // A constrained grid above countLimit is not counted (spaceSize null): plan on its raw size, an
  // upper bound, so the pool still gets every worker and the progress a total.
  const perFold =
    request.method === 'grid'
      ? (spaceSize ?? space.rawSize)
      : Math.min(request.budget, spaceSize ?? Number.POSITIVE_INFINITY);
  return { request, space, spaceSize, folds, perFold };
}

/**
 * Sets the strategy's own checks would refuse (e.g. rsi lower ≥ upper where the ranges cross) are
 * refused now, naming the first such set, rather than failing the run halfway in a worker. Up to
 * `strategyCheckLimit` sets are checked (~2 µs each); larger spaces check their first set only.
 */
const strategyCheckLimit = 200_000;

function checkSetsWithStrategy(
  space: ParameterSpace,
  fixed: ParamSet,
  prepare: (params: ParamSet) => unknown,
  firstIndex: number,
): void {
  const indices = space.rawSize <= strategyCheckLimit ? space.validIndices() : [firstIndex];
  for (const index of indices) {
    const params = { ...fixed, ...space.paramsAt(index) };
    try {
      prepare(params);
    } catch (error) {
      if (!(error instanceof AutobotError) || error.code !== 'invalid_input') throw error;
      const reason = error.issues?.[0]?.message ?? error.message;
      const set = Object.entries(params)
        .map(([name, value]) => `${name}=${value}`)
        .join(', ');
      const names = Object.keys(space.paramsAt(index));
      const hint =
        names.length >= 2
          ? `narrow the ranges or add a constraint such as ${names[0]} < ${names[1]}`
          : 'narrow the range';
      refuse('ranges', `the strategy refuses the set ${set} (${reason}): ${hint}`);
    }
  }
}

class ProgressTracker {
  done = 0;
  fold = 0;
  best: Scored<Outcome> | null = null;
  readonly #total: number;
  readonly #folds: number;
  readonly #started = performance.now();
  readonly #interval: number;
  readonly #listener: ((progress: OptimizeProgress) => void) | undefined;
  readonly #fixed: ParamSet;
  #lastAt = -Infinity;

  constructor(total: number, folds: number, options: OptimizeOptions, fixed: ParamSet) {
    this.#total = total;
    this.#folds = folds;
    this.#interval = options.progressIntervalMs ?? 100;
    this.#listener = options.onProgress;
    this.#fixed = fixed;
  }

  startFold(fold: number): void {
    this.fold = fold;
    this.best = null;
  }

  add(scored: Scored<Outcome>[]): void {
    this.done += scored.length;
    for (const item of scored) if (this.best === null || compareScored(item, this.best) < 0) this.best = item;
    this.emit('searching');
  }

  emit(phase: OptimizeProgress['phase'], force = false): void {
    if (this.#listener === undefined) return;
    const now = performance.now();
    if (!force && now - this.#lastAt < this.#interval) return;
    this.#lastAt = now;
    const elapsedMs = now - this.#started;
    const total = phase === 'done' ? this.done : Math.max(this.#total, this.done);
    const best = this.best;
    this.#listener({
      phase,
      fold: this.fold,
      folds: this.#folds,
      done: this.done,
      total,
      best:
        best === null
          ? null
          : {
              params: { ...this.#fixed, ...best.candidate.params },
              score: best.outcome.score,
              qualified: best.outcome.qualified,
            },
      elapsedMs,
      etaMs: this.done > 0 ? (elapsedMs / this.done) * (total - this.done) : null,
    });
  }
}

function barWindow(candles: CandleColumns, range: BarRange): BarWindow {
  return {
    start: range.start,
    end: range.end,
    startTime: candles.time[range.start]!,
    endTime: candles.time[range.end - 1]!,
  };
}

/** Runs an optimisation on the worker pool. Rejects with AutobotError('cancelled') when aborted. */
export async function runOptimization(
  candles: CandleColumns,
  input: OptimizeRequestInput,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const started = performance.now();
  const { request, space, spaceSize, folds, perFold } = prepareOptimization(candles, input);
  const { objective, minTrades } = request;
  const fixed = request.baseSpec.params;
  const full = (params: ParamSet): ParamSet => ({ ...fixed, ...params });
  const tracker = new ProgressTracker(perFold * folds.length, folds.length, options, fixed);
  const signal = options.signal;
  const requested = options.workers ?? workerLimit();
  if (!Number.isInteger(requested) || requested < 1) refuse('workers', 'workers must be a whole number ≥ 1');
  // More threads than cores only share the cores: clamped, and the result's `workers` says so.
  const workers = Math.min(requested, workerLimit());
  if (signal?.aborted) throw cancelledError();
  tracker.emit('starting', true);

  const pool = await WorkerPool.start(
    candles,
    { strategy: request.strategy, baseSpec: request.baseSpec, path: options.evaluationPath ?? 'kernel' },
    {
      workers: Math.min(workers, perFold),
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
    },
  );
  const onAbort = () => void pool.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });

  try {
    if (signal?.aborted) throw cancelledError();
    const evaluations: Evaluation[] = [];
    const rows: ValidationRow[] = [];
    let leaderboard: LeaderboardEntry[] = [];
    let lastFoldEvaluations: Evaluation[] = [];
    let rsiAtEntry: RsiAtEntry | null = null;
    let best: OptimizeResult['best'] = null;

    for (const plan of folds) {
      const last = plan === folds.at(-1);
      tracker.startFold(plan.fold);
      const evaluate: EvaluateBatch<Outcome> = async (candidates: readonly Candidate[]) => {
        const scoredChunk = (offset: number, metrics: KeyMetrics[]) =>
          metrics.map((m, i) => ({
            candidate: candidates[offset + i]!,
            outcome: { ...scoreMetrics(m, objective, minTrades), metrics: m },
          }));
        const metrics = await pool.evaluate(
          plan.train,
          candidates.map((candidate) => candidate.params),
          (offset, chunk) => tracker.add(scoredChunk(offset, chunk)),
        );
        return scoredChunk(0, metrics).map((scored) => scored.outcome);
      };
      const searchOptions = signal ? { signal } : {};
      const records =
        request.method === 'grid'
          ? await gridSearch(space, evaluate, searchOptions)
          : await geneticSearch(space, evaluate, {
              ...request.genetic,
              ...searchOptions,
              budget: request.budget,
              seed: request.seed,
              ...(spaceSize !== null ? { spaceSize } : {}),
            });
      const foldEvaluations = records.map((record): Evaluation => ({
        fold: plan.fold,
        params: full(record.candidate.params),
        score: record.outcome.score,
        qualified: record.outcome.qualified,
        metrics: record.outcome.metrics,
      }));
      evaluations.push(...foldEvaluations);
      tracker.emit('validating', true);

      const ranked = [...records].sort(compareScored);
      const chosen = ranked[0]!;
      const test = plan.test;
      const oosMin = test === null ? 0 : outOfSampleMinTrades(minTrades, plan.train, test);
      const top = last ? ranked.slice(0, request.leaderboardSize) : [];
      const [inSample, outOfSample, topOutOfSample] = await Promise.all([
        pool.detail(plan.train, chosen.candidate.params, last && request.strategy === 'rsi'),
        test === null ? null : pool.detail(test, chosen.candidate.params),
        test === null || top.length === 0
          ? null
          : pool.evaluate(
              test,
              top.map((record) => record.candidate.params),
            ),
      ]);
      const isScore = scoreMetrics(inSample.metrics, objective, minTrades);
      const oosScore = outOfSample === null ? null : scoreMetrics(outOfSample.metrics, objective, oosMin);
      const collapsed = oosScore === null ? null : isCollapsed(isScore, oosScore);
      rows.push({
        fold: plan.fold,
        params: full(chosen.candidate.params),
        train: barWindow(candles, plan.train),
        test: test === null ? null : barWindow(candles, test),
        inSample: { ...isScore, metrics: inSample.metrics },
        outOfSample: oosScore === null ? null : { ...oosScore, metrics: outOfSample!.metrics },
        collapsed,
      });

      if (last) {
        lastFoldEvaluations = foldEvaluations;
        rsiAtEntry = inSample.rsiAtEntry;
        leaderboard = top.map((record, i): LeaderboardEntry => {
          const oosMetrics = topOutOfSample?.[i] ?? null;
          const oos = oosMetrics === null ? null : scoreMetrics(oosMetrics, objective, oosMin);
          return {
            rank: i + 1,
            params: full(record.candidate.params),
            score: record.outcome.score,
            qualified: record.outcome.qualified,
            metrics: record.outcome.metrics,
            oosScore: oos?.score ?? null,
            oosMetrics,
            collapsed: oos === null ? null : isCollapsed(record.outcome, oos),
          };
        });
        if (chosen.outcome.qualified) {
          best = {
            params: full(chosen.candidate.params),
            score: isScore.score,
            qualified: isScore.qualified,
            oosScore: oosScore?.score ?? null,
            collapsed,
          };
        }
      }
    }
    tracker.emit('done', true);

    return {
      strategy: request.strategy,
      method: request.method,
      objective,
      minTrades,
      validation: request.validation,
      baseSpec: request.baseSpec,
      ranges: request.ranges,
      constraints: request.constraints,
      seed: request.method === 'genetic' ? request.seed : null,
      spaceSize,
      evaluationCount: evaluations.length,
      workers: pool.size,
      elapsedMs: performance.now() - started,
      best,
      leaderboard,
      validationRows: rows,
      evaluations,
      heatmap: request.strategy === 'rsi' ? thresholdHeatmap(space, lastFoldEvaluations) : null,
      rsiAtEntry,
      priceDecimals: options.priceDecimals ?? detectCandleDecimals(candles),
    };
  } catch (error) {
    if (signal?.aborted) throw cancelledError();
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
}
