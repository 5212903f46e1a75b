// From what a caller asks (algorithm, preset overrides, steps, seed) to the job's exact settings:
// one place, shared by the rl.train handler and the CLI, so both train the same run for the same ask.
import { AutobotError } from '../contract/errors.ts';
import {
  dqnHyperparametersSchema,
  ppoHyperparametersSchema,
  type rlTrainInputSchema,
} from '../contract/rl-calls.ts';
import type { z } from 'zod';
import { dqnPresets, ppoPresets } from '../rl/presets.ts';
import type { TrainJobInput } from '../rl/train-job.ts';
import type { TrainConfig } from '../rl/train.ts';
import { tradingDqnPreset, tradingPpoPreset } from '../rl/trading-presets.ts';

export type TrainRequest = z.output<typeof rlTrainInputSchema>;

export function trainJobInput(request: TrainRequest): TrainJobInput {
  return {
    environment: 'cartpole',
    totalSteps: request.steps,
    seed: request.seed,
    evalEvery: evalEveryOf(request),
    evalEpisodes: request.evalEpisodes,
    stopWhenSolved: request.stopWhenSolved,
    config: trainConfigOf(request),
  };
}

export function evalEveryOf(request: TrainRequest): number {
  return request.evalEvery ?? (request.algorithm === 'ppo' ? 1024 : 2000);
}

/** The environment's preset for the algorithm with the request's overrides. */
export function trainConfigOf(request: TrainRequest): TrainConfig {
  const trading = request.environment === 'trading';
  const schema = request.algorithm === 'ppo' ? ppoHyperparametersSchema : dqnHyperparametersSchema;
  const parsed = schema.safeParse(request.hyperparameters);
  if (!parsed.success) {
    throw new AutobotError(
      'invalid_input',
      `These hyperparameters are not ${request.algorithm.toUpperCase()}'s.`,
      {
        issues: parsed.error.issues.map((issue) => ({
          path: ['hyperparameters', ...issue.path.map(String)].join('.'),
          message:
            issue.code === 'unrecognized_keys' ? `${issue.message} for ${request.algorithm}` : issue.message,
        })),
      },
    );
  }
  return request.algorithm === 'ppo'
    ? { algorithm: 'ppo', ppo: { ...(trading ? tradingPpoPreset : ppoPresets.cartpole), ...parsed.data } }
    : { algorithm: 'dqn', dqn: { ...(trading ? tradingDqnPreset : dqnPresets.cartpole), ...parsed.data } };
}
