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

export type TrainRequest = z.output<typeof rlTrainInputSchema>;

export function trainJobInput(request: TrainRequest): TrainJobInput {
  const evalEvery = request.evalEvery ?? (request.algorithm === 'ppo' ? 1024 : 2000);
  const base = {
    environment: request.environment,
    totalSteps: request.steps,
    seed: request.seed,
    evalEvery,
    evalEpisodes: request.evalEpisodes,
    stopWhenSolved: request.stopWhenSolved,
  };
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
    ? { ...base, config: { algorithm: 'ppo', ppo: { ...ppoPresets[request.environment], ...parsed.data } } }
    : { ...base, config: { algorithm: 'dqn', dqn: { ...dqnPresets[request.environment], ...parsed.data } } };
}
