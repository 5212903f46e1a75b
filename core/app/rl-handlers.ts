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
import { evalEveryOf, trainConfigOf, trainJobInput, type TrainRequest } from './rl-train-settings.ts';
import { backtestDefaults } from '../backtest/defaults.ts';
import type { SimulationConfig } from '../backtest/engine.ts';
import { warmupBars } from '../rl/trading-features.ts';
import { splitSeries } from '../rl/trading-split.ts';
import type { TradingTrainInput, TradingTrainResult } from '../rl/trading-train.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { forgetRlPolicy, rlModelsDbVariable, setRlPolicySource } from '../strategies/rl-policy.ts';
import { rlPolicySourceOf } from '../strategies/rl-policy-store.ts';
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

export function rlHandlers(deps: {
  db: Database;
  events: CoreEvents;
  queue: RunQueue;
  candles?: CandleRepository;
  databaseFile?: string;
}): RlHandlers {
  const models = new RlModelRepository(deps.db);
  const running = new CancellableRuns('A training run');
  const policies = new Map<number, Policy>();
  // The rl-policy strategy finds models here; worker threads (large backtests, the optimiser) open
  // the file read-only (core/strategies/rl-policy.ts).
  setRlPolicySource(rlPolicySourceOf(models));
  if (deps.databaseFile) process.env[rlModelsDbVariable] = deps.databaseFile;

  const progressOf = (runId: string | undefined) =>
    runId
      ? {
          onProgress: (_fraction: number, message?: string) => {
            if (!message) return;
            const progress = JSON.parse(message) as TrainJobProgress;
            deps.events.emit('rl.progress', { ...progress, runId });
          },
        }
      : {};

  /** The trading environment: the stored series is read here and travels with the job. */
  const trainTrading = async (request: TrainRequest, signal: AbortSignal) => {
    const settings = request.trading!;
    const stored = deps.candles;
    if (!stored) throw new AutobotError('not_found', 'This host has no stored series to train on.');
    const candles = stored.read(settings.symbol, settings.timeframe);
    if (candles.time.length === 0) {
      const message = `no ${settings.symbol} ${settings.timeframe} candles are stored: import or download the series first`;
      throw new AutobotError('invalid_input', `trading.symbol: ${message}`, {
        issues: [{ path: 'trading.symbol', message }],
      });
    }
    const money: SimulationConfig = {
      cash: settings.cash ?? backtestDefaults.cash,
      fees: { commission: settings.commission ?? backtestDefaults.commission, fixedFee: 0 },
      slippage: settings.slippage ?? backtestDefaults.slippage,
      lotSize: backtestDefaults.lotSize,
      sizing: { mode: 'all-in' },
      closeAtEnd: false,
    };
    const config = trainConfigOf(request);
    const observation = { window: settings.window, allowShort: settings.allowShort };
    // Checked here, before the queue, so a series too short is refused at once, naming the field.
    splitSeries(candles.time.length, settings.split, warmupBars(observation), 'trading.split');
    const job: TradingTrainInput = {
      candles,
      split: settings.split,
      observation,
      money,
      episodeBars: settings.episodeBars,
      drawdownPenalty: settings.drawdownPenalty,
      config,
      totalSteps: request.steps,
      seed: request.seed,
      evalEvery: evalEveryOf(request),
    };
    const runId = request.runId;
    const { train: result, trading } = await deps.queue.run({ id: runId, kind: 'train', signal }, () =>
      runWorkerJob<TradingTrainResult>('rl-train-trading', job, {
        signal,
        graceMs: 2000,
        ...progressOf(runId),
      }),
    );
    const hyperparameters = config.algorithm === 'ppo' ? config.ppo : config.dqn;
    return models.save({
      name:
        request.name ??
        `${request.algorithm.toUpperCase()} trading ${settings.symbol} ${settings.timeframe} seed ${request.seed}`,
      environment: 'trading',
      algorithm: request.algorithm,
      seed: request.seed,
      steps: result.steps,
      solvedAtStep: null,
      // The greedy policy's return over the validation split, % of the starting cash.
      finalMeanReturn: result.finalMeanReturn,
      hyperparameters: { ...hyperparameters },
      curve: result.curve,
      evaluation: {
        episodes: 1,
        finalMeanReturn: result.finalMeanReturn,
        solvedAtStep: null,
        // No "solved" in a market: the line drawn is buy & hold's return on the validation split.
        solvedReturn: trading.validation.buyHoldReturnPct,
        stepsPerSecond: result.stepsPerSecond,
        seconds: result.seconds,
        cancelled: result.cancelled,
        trading: {
          symbol: settings.symbol,
          timeframe: settings.timeframe,
          money: { cash: money.cash, commission: money.fees.commission, slippage: money.slippage },
          ...trading,
        },
      } as Parameters<typeof models.save>[0]['evaluation'],
      network: { sizes: result.weights.sizes, activation: result.weights.activation },
      weights: result.weights,
    });
  };

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
        if (request.environment === 'trading') return { model: await trainTrading(request, signal) };
        const job = trainJobInput(request);
        const runId = input.runId;
        const result = await deps.queue.run({ id: runId, kind: 'train', signal }, () =>
          runWorkerJob<TrainResult>('rl-train', job, {
            signal,
            // A PPO update can take longer than a backtest's slice: let it finish and keep its thread warm.
            graceMs: 2000,
            ...progressOf(runId),
          }),
        );
        const hyperparameters = job.config.algorithm === 'ppo' ? job.config.ppo : job.config.dqn;
        const model = models.save({
          name:
            request.name ?? `${request.algorithm.toUpperCase()} ${request.environment} seed ${request.seed}`,
          environment: 'cartpole',
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
            solvedReturn: environments.cartpole.target.solvedReturn,
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
      forgetRlPolicy(input.id);
      return { removed: models.remove(input.id) };
    },
  };
}
