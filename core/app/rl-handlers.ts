// rl.* calls: training waits for a slot in the host's run queue (kind "train"), runs as a worker
// job with rl.progress events and cancellation by runId, and is saved before the answer goes back
// (rule 4). Predictions load a model's policy once and keep it: one observation is a few µs.
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../contract/errors.ts';
import { rlTrainInputSchema } from '../contract/rl-calls.ts';
import type { RunQueue } from '../jobs/run-queue.ts';
import { runWorkerJob } from '../jobs/worker-job.ts';
import { environments } from '../rl/environments.ts';
import { Policy } from '../rl/policy.ts';
import { trainJobInput } from './rl-train-settings.ts';
import type { TrainJobProgress } from '../rl/train-job.ts';
import type { TrainResult } from '../rl/train.ts';
import type { Database } from '../storage/database.ts';
import { RlModelRepository } from '../storage/rl-model-repository.ts';
import { CancellableRuns } from './cancellable-runs.ts';
import type { CoreEvents } from './events.ts';

type RlHandlers = Pick<
  Handlers,
  'rl.train' | 'rl.cancel' | 'rl.predict' | 'rl.models.list' | 'rl.models.get' | 'rl.models.remove'
>;

export function rlHandlers(deps: { db: Database; events: CoreEvents; queue: RunQueue }): RlHandlers {
  const models = new RlModelRepository(deps.db);
  const running = new CancellableRuns('A training run');
  const policies = new Map<number, Policy>();

  const policyOf = (id: number) => {
    let policy = policies.get(id);
    if (!policy) {
      const weights = models.weights(id);
      if (!weights)
        throw new AutobotError('not_found', `There is no saved RL model ${id}.`, {
          issues: [{ path: 'modelId', message: `no saved model ${id}` }],
        });
      policy = Policy.fromWeights(weights);
      policies.set(id, policy);
    }
    return policy;
  };

  return {
    'rl.train': (input) =>
      running.run(input.runId, async (signal) => {
        const request = rlTrainInputSchema.parse(input);
        const job = trainJobInput(request);
        const runId = input.runId;
        const result = await deps.queue.run({ id: runId, kind: 'train', signal }, () =>
          runWorkerJob<TrainResult>('rl-train', job, {
            signal,
            // A PPO update can take longer than a backtest's slice: let it finish and keep its thread warm.
            graceMs: 2000,
            ...(runId
              ? {
                  onProgress: (_fraction: number, message?: string) => {
                    if (!message) return;
                    const progress = JSON.parse(message) as TrainJobProgress;
                    deps.events.emit('rl.progress', { ...progress, runId });
                  },
                }
              : {}),
          }),
        );
        const hyperparameters = job.config.algorithm === 'ppo' ? job.config.ppo : job.config.dqn;
        const model = models.save({
          name:
            request.name ?? `${request.algorithm.toUpperCase()} ${request.environment} seed ${request.seed}`,
          environment: request.environment,
          algorithm: request.algorithm,
          seed: request.seed,
          steps: result.steps,
          solvedAtStep: result.solvedAtStep,
          finalMeanReturn: result.finalMeanReturn,
          hyperparameters: { ...hyperparameters },
          curve: result.curve,
          evaluation: {
            episodes: job.evalEpisodes,
            finalMeanReturn: result.finalMeanReturn,
            solvedAtStep: result.solvedAtStep,
            solvedReturn: environments[request.environment].target.solvedReturn,
            stepsPerSecond: result.stepsPerSecond,
            seconds: result.seconds,
            cancelled: result.cancelled,
          },
          network: { sizes: result.weights.sizes, activation: result.weights.activation },
          weights: result.weights,
        });
        return { model };
      }),

    'rl.cancel': (input) => ({ cancelled: running.cancel(input.runId) }),

    'rl.predict': (input) => {
      const policy = policyOf(input.modelId);
      if (input.observation.length !== policy.observationSize)
        throw new AutobotError(
          'invalid_input',
          `Model ${input.modelId} takes ${policy.observationSize} numbers per observation, not ${input.observation.length}.`,
          { issues: [{ path: 'observation', message: `must hold ${policy.observationSize} numbers` }] },
        );
      return { modelId: input.modelId, ...policy.decide(input.observation) };
    },

    'rl.models.list': () => ({ models: models.list() }),

    'rl.models.get': (input) => {
      const model = models.get(input.id);
      if (!model) throw new AutobotError('not_found', `There is no saved RL model ${input.id}.`);
      return { model };
    },

    'rl.models.remove': (input) => {
      policies.delete(input.id);
      return { removed: models.remove(input.id) };
    },
  };
}
