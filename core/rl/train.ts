// One training run, whatever the algorithm and environment: build the learner from the seed, learn
// for `totalSteps`, evaluate the greedy policy every `evalEvery` steps (CartPole's solved test:
// mean return over `evalEpisodes` episodes ≥ the environment's target), report progress, and stop
// early once solved if asked. Plain synchronous code: the job (train-job.ts) runs it on a worker
// thread and the CLI on its own; the same seed gives the same run everywhere.
import { Dqn, type DqnConfig } from './dqn.ts';
import type { EnvironmentFactory } from './environment.ts';
import { evaluatePolicy } from './evaluate.ts';
import type { Learner } from './learner.ts';
import type { Algorithm, PolicyWeights } from './policy.ts';
import { Ppo, type PpoConfig } from './ppo.ts';
import { Random } from './random.ts';

export type TrainConfig = { algorithm: 'ppo'; ppo: PpoConfig } | { algorithm: 'dqn'; dqn: DqnConfig };

export interface TrainTarget {
  /** Mean evaluation return that counts as solved (CartPole-v1: 475). */
  solvedReturn: number;
  /** Largest return of one episode (CartPole-v1: 500), for stopping a hopeless evaluation early. */
  maxReturn: number;
}

export interface TrainOptions {
  makeEnv: EnvironmentFactory;
  /** The environment evaluations run on (default: makeEnv's; trading evaluates on the validation split). */
  makeEvalEnv?: EnvironmentFactory;
  config: TrainConfig;
  totalSteps: number;
  seed: number;
  /** Steps between evaluations; 0: only once at the end. */
  evalEvery: number;
  evalEpisodes: number;
  target?: TrainTarget;
  stopWhenSolved: boolean;
  /** Called after each batch of steps; returning false cancels (the run ends with what it has). */
  onProgress?: (progress: TrainProgress) => boolean | void;
}

export interface CurvePoint {
  step: number;
  /** Mean return of the training episodes finished since the last point (null: none finished). */
  episodeReturn: number | null;
  /** Mean greedy evaluation return when an evaluation ran at this point. */
  evalReturn?: number;
}

export interface TrainProgress {
  steps: number;
  totalSteps: number;
  episodes: number;
  lastEpisodeReturn: number | null;
  losses: Record<string, number>;
  point: CurvePoint | null;
}

export interface TrainResult {
  algorithm: Algorithm;
  steps: number;
  episodes: number;
  solvedAtStep: number | null;
  finalMeanReturn: number;
  curve: CurvePoint[];
  seconds: number;
  stepsPerSecond: number;
  cancelled: boolean;
  weights: PolicyWeights;
}

/** Most curve points kept: a long run's curve is thinned so a saved model stays small. */
const maxCurvePoints = 1000;

export function train(options: TrainOptions): TrainResult {
  const started = performance.now();
  const random = new Random(options.seed);
  const { config } = options;
  const learner: Learner =
    config.algorithm === 'ppo'
      ? new Ppo(options.makeEnv, config.ppo, random)
      : new Dqn(options.makeEnv, config.dqn, random);
  const evalEnv = (options.makeEvalEnv ?? options.makeEnv)();
  const curve: CurvePoint[] = [];
  let episodes = 0;
  let lastEpisodeReturn: number | null = null;
  let sinceSum = 0;
  let sinceCount = 0;
  let losses: Record<string, number> = {};
  let solvedAtStep: number | null = null;
  let lastEval = { step: -1, meanReturn: Number.NaN };
  let nextEval = options.evalEvery > 0 ? options.evalEvery : Infinity;
  let cancelled = false;
  let nextPointAt = 0;
  const pointEvery = Math.max(1, Math.floor(options.totalSteps / maxCurvePoints));
  let evalSeed = options.seed * 7919 + 1;

  const evaluate = (step: number, complete: boolean) => {
    const evaluation = evaluatePolicy(learner.policy(), evalEnv, {
      episodes: options.evalEpisodes,
      // Fresh start states for each evaluation, still fixed by the run's seed.
      seed: evalSeed++,
      ...(options.target && !complete
        ? { target: options.target.solvedReturn, maxReturn: options.target.maxReturn }
        : {}),
    });
    lastEval = { step, meanReturn: evaluation.meanReturn };
    if (solvedAtStep === null && options.target && evaluation.complete)
      if (evaluation.meanReturn >= options.target.solvedReturn) solvedAtStep = step;
    return evaluation.meanReturn;
  };

  learner.learn(options.totalSteps, {
    onEpisode(episodeReturn) {
      episodes++;
      lastEpisodeReturn = episodeReturn;
      sinceSum += episodeReturn;
      sinceCount++;
    },
    onUpdate(update) {
      losses = update;
    },
    onSteps(steps) {
      let point: CurvePoint | null = null;
      let evalReturn: number | undefined;
      if (steps >= nextEval) {
        evalReturn = evaluate(steps, false);
        while (nextEval <= steps) nextEval += options.evalEvery;
      }
      if (steps >= nextPointAt || evalReturn !== undefined) {
        point = {
          step: steps,
          episodeReturn: sinceCount > 0 ? sinceSum / sinceCount : null,
          ...(evalReturn !== undefined ? { evalReturn } : {}),
        };
        curve.push(point);
        sinceSum = 0;
        sinceCount = 0;
        nextPointAt = steps + pointEvery;
      }
      const keepGoing =
        options.onProgress?.({
          steps,
          totalSteps: options.totalSteps,
          episodes,
          lastEpisodeReturn,
          losses,
          point,
        }) !== false;
      if (!keepGoing) cancelled = true;
      if (options.stopWhenSolved && solvedAtStep !== null) return false;
      return keepGoing;
    },
  });
  const steps = curve.length > 0 ? curve[curve.length - 1]!.step : 0;
  // The final figure is always a full evaluation of the policy as it ends.
  // (evalEpisodes 0, the bench's pure training figure: no evaluation, NaN.)
  const finalMeanReturn =
    options.evalEpisodes === 0
      ? Number.NaN
      : lastEval.step === steps && solvedAtStep === steps
        ? lastEval.meanReturn
        : evaluate(steps, true);
  const seconds = (performance.now() - started) / 1000;
  return {
    algorithm: config.algorithm,
    steps,
    episodes,
    solvedAtStep,
    finalMeanReturn,
    curve,
    seconds,
    stepsPerSecond: steps / Math.max(seconds, 1e-9),
    cancelled,
    weights: learner.policy().weights(),
  };
}
