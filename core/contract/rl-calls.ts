// rl.* calls (issue #15): train a policy in a worker thread (progress events `rl.progress`,
// cancellable by runId), list / reopen / remove saved models, and ask a model for an action. All
// behind the licence feature `rl`, like the RL page. `autobot serve` answers them at
// /api/call/rl.train etc., and at the short /api/train and /api/predict.
import { z } from 'zod';
import { timeframeSchema } from '../domain/timeframe.ts';
import type { CallDeclaration } from './calls.ts';

function declare<I extends z.ZodType, O extends z.ZodType>(declaration: CallDeclaration<I, O>) {
  return declaration;
}

const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'runId may hold 1 to 64 letters, digits, _ and - only');

const modelIdSchema = z.number().int().positive('modelId must be a saved model id');

export const rlAlgorithmSchema = z.enum(['ppo', 'dqn'], { error: 'algorithm must be ppo or dqn' });
export const rlEnvironmentSchema = z.enum(['cartpole', 'trading'], {
  error: 'environment must be cartpole or trading',
});

const positive = (name: string) =>
  z.number({ error: `${name} must be a number` }).positive(`${name} must be > 0`);
const whole = (name: string, min: number, max: number) =>
  z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max.toLocaleString('en-US')}`);
const fraction = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .min(0, `${name} must be ≥ 0`)
    .max(1, `${name} must be ≤ 1`);

/** Overrides of the preset's hyperparameters; those of the other algorithm are refused. */
export const ppoHyperparametersSchema = z
  .object({
    hidden: z
      .array(whole('hidden layer width', 1, 512))
      .min(1)
      .max(4),
    activation: z.enum(['tanh', 'relu']),
    learningRate: positive('learningRate').max(1),
    linearSchedule: z.boolean(),
    nEnvs: whole('nEnvs', 1, 64),
    nSteps: whole('nSteps', 1, 8192),
    batchSize: whole('batchSize', 1, 65_536),
    epochs: whole('epochs', 1, 100),
    gamma: fraction('gamma'),
    gaeLambda: fraction('gaeLambda'),
    clipRange: positive('clipRange').max(1),
    entCoef: z.number().min(0).max(1),
    vfCoef: z.number().min(0).max(10),
    maxGradNorm: positive('maxGradNorm'),
    normalizeAdvantage: z.boolean(),
  })
  .partial()
  .strict();

export const dqnHyperparametersSchema = z
  .object({
    hidden: z
      .array(whole('hidden layer width', 1, 512))
      .min(1)
      .max(4),
    activation: z.enum(['tanh', 'relu']),
    learningRate: positive('learningRate').max(1),
    bufferSize: whole('bufferSize', 100, 1_000_000),
    learningStarts: whole('learningStarts', 0, 1_000_000),
    batchSize: whole('batchSize', 1, 4096),
    gamma: fraction('gamma'),
    trainFreq: whole('trainFreq', 1, 10_000),
    gradientSteps: whole('gradientSteps', 1, 10_000),
    targetUpdateInterval: whole('targetUpdateInterval', 1, 1_000_000),
    explorationFraction: fraction('explorationFraction'),
    finalEpsilon: fraction('finalEpsilon'),
    maxGradNorm: positive('maxGradNorm'),
    double: z.boolean(),
  })
  .partial()
  .strict();

const money = (name: string, max: number) =>
  z
    .number({ error: `${name} must be a number` })
    .min(0, `${name} must be ≥ 0`)
    .max(max, `${name} must be at most ${max}`);

/** The trading environment (core/rl/trading-env.ts) on a stored series: what to train on, and how. */
export const rlTradingSettingsSchema = z
  .object({
    symbol: z.string().trim().min(1, 'symbol is empty'),
    timeframe: timeframeSchema,
    /** Time-ordered split: the oldest `train` share, then `validation`, the rest is the test split. */
    split: z
      .object({
        train: z
          .number({ error: 'train must be a number' })
          .gt(0, 'train must be above 0')
          .lt(1, 'train must be below 1'),
        validation: z
          .number({ error: 'validation must be a number' })
          .min(0, 'validation must be ≥ 0')
          .lt(1, 'validation must be below 1'),
      })
      .strict()
      .refine((split) => split.train + split.validation < 1, {
        path: ['validation'],
        message: 'train + validation must leave bars for the test split (sum below 1)',
      })
      .default({ train: 0.6, validation: 0.2 }),
    /** Returns in the observation window. */
    window: whole('window', 2, 128).default(16),
    /** Three actions (flat, long, short) instead of two (flat, long). */
    allowShort: z.boolean().default(false),
    /** Bars per training episode (0: from a random start to the train split's end). */
    episodeBars: whole('episodeBars', 0, 1_000_000).default(256),
    /** Reward −= this × each step's growth of drawdown (in %). */
    drawdownPenalty: money('drawdownPenalty', 100).default(0),
    cash: positive('cash').max(1e12).optional(),
    commission: money('commission', 0.1).optional(),
    slippage: money('slippage', 0.1).optional(),
  })
  .strict();

const segmentSchema = z.object({ from: z.number(), to: z.number(), bars: z.number().int() });
const splitEvaluationSchema = z.object({
  policyReturnPct: z.number(),
  buyHoldReturnPct: z.number(),
  trades: z.number().int(),
  policyMaxDrawdownPct: z.number(),
  buyHoldMaxDrawdownPct: z.number(),
});

/** A trading model's settings and its out-of-sample judgement beside buy & hold. */
export const rlTradingEvaluationSchema = z.object({
  symbol: z.string(),
  timeframe: timeframeSchema,
  observation: z.object({ window: z.number().int(), allowShort: z.boolean() }),
  split: z.object({ train: z.number(), validation: z.number() }),
  segments: z.object({ train: segmentSchema, validation: segmentSchema, test: segmentSchema }),
  episodeBars: z.number().int(),
  drawdownPenalty: z.number(),
  money: z.object({ cash: z.number(), commission: z.number(), slippage: z.number() }),
  validation: splitEvaluationSchema,
  test: splitEvaluationSchema.extend({
    equity: z.array(z.object({ time: z.number(), policy: z.number(), buyHold: z.number() })),
  }),
});
export type RlTradingEvaluation = z.infer<typeof rlTradingEvaluationSchema>;

const curvePointSchema = z.object({
  step: z.number(),
  episodeReturn: z.number().nullable(),
  evalReturn: z.number().optional(),
});

export const rlModelSummarySchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  name: z.string(),
  environment: z.string(),
  algorithm: rlAlgorithmSchema,
  seed: z.number().int(),
  steps: z.number().int(),
  solvedAtStep: z.number().int().nullable(),
  finalMeanReturn: z.number(),
});
export type RlModelSummary = z.infer<typeof rlModelSummarySchema>;

export const rlEvaluationSchema = z.object({
  episodes: z.number().int(),
  finalMeanReturn: z.number(),
  solvedAtStep: z.number().int().nullable(),
  solvedReturn: z.number(),
  stepsPerSecond: z.number(),
  seconds: z.number(),
  cancelled: z.boolean(),
  /** Trading models: settings, splits and the test split against buy & hold. */
  trading: rlTradingEvaluationSchema.optional(),
});

export const rlModelSchema = rlModelSummarySchema.extend({
  hyperparameters: z.record(z.string(), z.unknown()),
  curve: z.array(curvePointSchema),
  evaluation: rlEvaluationSchema,
  network: z.object({ sizes: z.array(z.number().int()), activation: z.enum(['tanh', 'relu']) }),
});
export type RlModel = z.infer<typeof rlModelSchema>;

export const rlTrainInputSchema = z
  .object({
    runId: runIdSchema.optional(),
    environment: rlEnvironmentSchema.default('cartpole'),
    algorithm: rlAlgorithmSchema,
    /** Overrides of the environment's preset for the algorithm. */
    hyperparameters: z.union([ppoHyperparametersSchema, dqnHyperparametersSchema]).default({}),
    steps: whole('steps', 100, 5_000_000),
    seed: whole('seed', 0, 2_147_483_647).default(1),
    /** Steps between greedy evaluations (default: 1,024 for PPO, 2,000 for DQN). */
    evalEvery: whole('evalEvery', 0, 5_000_000).optional(),
    evalEpisodes: whole('evalEpisodes', 1, 100).default(20),
    /** Stop at the first evaluation that meets the environment's solved return (default true). */
    stopWhenSolved: z.boolean().default(true),
    name: z.string().trim().min(1).max(120, 'name is at most 120 characters').optional(),
    /** Required for environment "trading": the stored series and the environment's settings. */
    trading: rlTradingSettingsSchema.optional(),
  })
  .strict()
  .superRefine((input, context) => {
    if (input.environment === 'trading' && input.trading === undefined)
      context.addIssue({
        code: 'custom',
        path: ['trading'],
        message: 'the trading environment needs trading: { symbol, timeframe } of a stored series',
      });
  });

export const rlProgressSchema = z.object({
  runId: z.string(),
  steps: z.number(),
  totalSteps: z.number(),
  episodes: z.number(),
  lastEpisodeReturn: z.number().nullable(),
  losses: z.record(z.string(), z.number()),
  points: z.array(curvePointSchema),
});

export const rlCalls = {
  'rl.train': declare({
    summary:
      'Train a PPO or DQN policy (CartPole-v1 self-test, or trading on a stored series split train / validation / test, judged on the test split beside buy & hold) on a worker thread after waiting its turn in the run queue; rl.progress events carry steps, returns, losses and the curve; the model is saved with its hyperparameters, seed, curve and evaluation.',
    input: rlTrainInputSchema,
    output: z.object({ model: rlModelSchema }),
    access: { feature: 'rl' },
  }),
  'rl.cancel': declare({
    summary:
      'Cancel a training run by its runId: a queued one leaves the queue, a running one stops; nothing is saved.',
    input: z.object({ runId: runIdSchema }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    access: { feature: 'rl' },
  }),
  'rl.predict': declare({
    summary:
      'The action a saved model takes for one observation, with its action probabilities (PPO) or Q-values (DQN).',
    input: z
      .object({
        modelId: modelIdSchema,
        observation: z
          .array(
            z
              .number({ error: 'observation must hold numbers' })
              .finite('observation must hold finite numbers'),
          )
          .min(1, 'observation is empty')
          .max(4096),
      })
      .strict(),
    output: z.object({
      modelId: z.number().int(),
      action: z.number().int(),
      probabilities: z.array(z.number()).optional(),
      qValues: z.array(z.number()).optional(),
    }),
    access: { feature: 'rl' },
  }),
  'rl.models.list': declare({
    summary: 'Saved RL models, newest first, with their solve step and final evaluation.',
    input: z.object({}).strict(),
    output: z.object({ models: z.array(rlModelSummarySchema) }),
    access: { feature: 'rl' },
  }),
  'rl.models.get': declare({
    summary: 'One saved RL model: hyperparameters, seed, training curve, evaluation and network shape.',
    input: z.object({ id: modelIdSchema }).strict(),
    output: z.object({ model: rlModelSchema }),
    access: { feature: 'rl' },
  }),
  'rl.models.remove': declare({
    summary: 'Delete a saved RL model.',
    input: z.object({ id: modelIdSchema }).strict(),
    output: z.object({ removed: z.boolean() }),
    access: { feature: 'rl' },
  }),
} as const;

export const rlEvents = {
  'rl.progress': rlProgressSchema,
} as const;
