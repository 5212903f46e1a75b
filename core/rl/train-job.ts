// Training as a worker job (core/jobs): the run's settings in, progress out as JSON in the job's
// progress message (steps, the last episode's return, the latest losses and the curve points
// since the last report, so a live chart misses none), cancellation read at each report.
import type { JobContext } from '../jobs/job-protocol.ts';
import { environments, type EnvironmentName } from './environments.ts';
import { train, type CurvePoint, type TrainConfig, type TrainResult } from './train.ts';

export interface TrainJobInput {
  environment: EnvironmentName;
  config: TrainConfig;
  totalSteps: number;
  seed: number;
  evalEvery: number;
  evalEpisodes: number;
  stopWhenSolved: boolean;
}

export interface TrainJobProgress {
  steps: number;
  totalSteps: number;
  episodes: number;
  lastEpisodeReturn: number | null;
  losses: Record<string, number>;
  points: CurvePoint[];
}

/** Reports at most this often: the worker drops reports closer than 50 ms, which would lose points. */
const reportEveryMs = 80;

export function run(input: TrainJobInput, context: JobContext): TrainResult {
  const env = environments[input.environment];
  let pending: CurvePoint[] = [];
  let lastReport = -Infinity;
  let last: Omit<TrainJobProgress, 'points'> | null = null;
  const report = (progress: Omit<TrainJobProgress, 'points'>, final: boolean) => {
    const now = performance.now();
    if (!final && now - lastReport < reportEveryMs) return;
    lastReport = now;
    const message: TrainJobProgress = { ...progress, points: pending };
    pending = [];
    context.progress(Math.min(1, progress.steps / progress.totalSteps), JSON.stringify(message));
  };
  const result = train({
    makeEnv: env.make,
    config: input.config,
    totalSteps: input.totalSteps,
    seed: input.seed,
    evalEvery: input.evalEvery,
    evalEpisodes: input.evalEpisodes,
    target: env.target,
    stopWhenSolved: input.stopWhenSolved,
    onProgress: (progress) => {
      if (progress.point) pending.push(progress.point);
      last = progress;
      report(progress, false);
      return !context.signal.aborted;
    },
  });
  // The points since the last throttled report (the final evaluation among them) go out before the
  // result, so a live curve ends where the saved one does.
  if (last && pending.length > 0) report(last, true);
  return result;
}
