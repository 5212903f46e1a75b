// What an optimisation is asked to do (the request) and what it answers (the result), as zod
// schemas shared by the contract (optimize.run / optimize.cancel), the CLI and the runner. Results
// are JSON-friendly: null wherever a figure is undefined, never NaN or Infinity.
// How each part works: docs/optimisation.md.
import { z } from 'zod';
import {
  backtestMetricsSchema,
  backtestSpecFields,
  checkLotCount,
  savedRunSchema,
} from '../backtest/spec.ts';
import { priceDecimalsSchema } from '../domain/price-format.ts';
import { optimizeBounds, optimizeDefaults } from './defaults.ts';
import { objectiveNames } from './objective.ts';

const paramName = z
  .string({ error: 'a parameter name is required' })
  .regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a parameter name holds letters, digits, _ and - only');

const limit = optimizeBounds.rangeLimit;
const bounded = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .finite(`${field} must be a finite number`)
    .min(-limit, `${field} must be at least -${limit.toLocaleString('en-US')}`)
    .max(limit, `${field} must be at most ${limit.toLocaleString('en-US')}`);

/** A whole number within [min, max], refused with the field's name. */
const wholeNumber = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min.toLocaleString('en-US')}`)
    .max(max, `${field} must be at most ${max.toLocaleString('en-US')}`);

const unitFraction = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .min(0, `${field} must be 0 or more`)
    .max(1, `${field} must be at most 1`);

/** One searched parameter: every value from `from` to `to` (inclusive) in steps of `step`. */
export const parameterRangeSchema = z
  .object({
    name: paramName,
    from: bounded('from'),
    to: bounded('to'),
    step: bounded('step')
      .gt(0, 'step must be above 0')
      .min(optimizeBounds.stepMin, `step must be at least ${optimizeBounds.stepMin}`),
  })
  .strict()
  .refine((range) => range.to >= range.from, { path: ['to'], message: 'to must not be below from' });
export type ParameterRangeJson = z.infer<typeof parameterRangeSchema>;

/** `{ less: ['fast', 'slow'] }`: only sets with fast < slow are searched (lessOrEqual: ≤). */
export const parameterConstraintSchema = z.union(
  [
    z.object({ less: z.tuple([paramName, paramName]) }).strict(),
    z.object({ lessOrEqual: z.tuple([paramName, paramName]) }).strict(),
  ],
  { error: 'a constraint is { less: [a, b] } or { lessOrEqual: [a, b] }' },
);
export type ParameterConstraintJson = z.infer<typeof parameterConstraintSchema>;

export const objectiveNameSchema = z.enum(objectiveNames, {
  error: `objective must be one of ${objectiveNames.join(', ')}`,
});

export const searchMethodSchema = z.enum(['grid', 'genetic'], {
  error: 'method must be grid or genetic',
});
export type SearchMethod = z.infer<typeof searchMethodSchema>;

/**
 * none: optimise on all bars, no out-of-sample check. split: optimise on the first `train` fraction,
 * test on the rest. walk-forward: the bars are cut into folds + 1 equal blocks; fold k tests on
 * block k and trains on block k − 1 (rolling) or blocks 0 … k − 1 (anchored).
 */
export const validationSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('none') }).strict(),
    z
      .object({
        kind: z.literal('split'),
        train: z
          .number({ error: 'validation.train must be a number' })
          .min(0.1, 'validation.train must be at least 0.1')
          .max(0.95, 'validation.train must be at most 0.95')
          .default(optimizeDefaults.validation.train),
      })
      .strict(),
    z
      .object({
        kind: z.literal('walk-forward'),
        folds: z
          .number({ error: 'validation.folds must be a number' })
          .int('validation.folds must be a whole number')
          .min(1, 'validation.folds must be at least 1')
          .max(50, 'validation.folds must be at most 50'),
        anchored: z.boolean({ error: 'validation.anchored must be true or false' }).default(false),
      })
      .strict(),
  ],
  { error: 'validation.kind must be none, split or walk-forward' },
);
export type Validation = z.output<typeof validationSchema>;

/** Genetic search settings; `budget` and `seed` sit on the request itself. */
export const geneticSettingsSchema = z
  .object({
    population: wholeNumber('genetic.population', 4, 10_000).default(optimizeDefaults.population),
    /** Best sets copied unchanged into the next generation. */
    elite: wholeNumber('genetic.elite', 0, 1000).default(4),
    tournamentSize: wholeNumber('genetic.tournamentSize', 2, 64).default(3),
    crossoverRate: unitFraction('genetic.crossoverRate').default(0.9),
    /** Chance each gene mutates; null = 1 / number of parameters. */
    mutationRate: unitFraction('genetic.mutationRate').nullable().default(null),
  })
  .strict()
  .refine((settings) => settings.elite < settings.population, {
    path: ['elite'],
    message: 'genetic.elite must be below genetic.population',
  });
export type GeneticSettings = z.output<typeof geneticSettingsSchema>;

/** The money side of every backtest in the run (cash, costs, sizing, fixed params). */
export const baseSpecSchema = backtestSpecFields.omit({ strategy: true }).superRefine(checkLotCount);
export type BaseSpec = z.output<typeof baseSpecSchema>;

export const optimizeRequestSchema = z
  .object({
    strategy: z.string({ error: 'strategy must be a name' }).trim().min(1, 'strategy is required').max(64),
    /** Costs, sizing, cash; `params` holds the parameters that stay fixed. */
    baseSpec: baseSpecSchema.prefault({}),
    ranges: z
      .array(parameterRangeSchema)
      .min(1, 'at least one parameter range is needed')
      .max(8, 'at most 8 parameters can be searched at once'),
    constraints: z
      .array(parameterConstraintSchema)
      .max(32, 'at most 32 constraints can be given')
      .default([]),
    method: searchMethodSchema.default(optimizeDefaults.method),
    /** Genetic search: evaluations at most (already evaluated sets are not counted twice). */
    budget: wholeNumber('budget', 1, 1_000_000).default(optimizeDefaults.budget),
    seed: wholeNumber('seed', 0, 2 ** 32 - 1).default(optimizeDefaults.seed),
    genetic: geneticSettingsSchema.prefault({}),
    objective: objectiveNameSchema.default(optimizeDefaults.objective),
    /** Sets with fewer closed trades score 0 and rank last. */
    minTrades: wholeNumber('minTrades', 0, optimizeBounds.minTradesMax).default(optimizeDefaults.minTrades),
    validation: validationSchema.prefault({ kind: 'split' }),
    leaderboardSize: wholeNumber('leaderboardSize', 1, 500).default(optimizeDefaults.leaderboardSize),
  })
  .strict();
export type OptimizeRequest = z.output<typeof optimizeRequestSchema>;
export type OptimizeRequestInput = z.input<typeof optimizeRequestSchema>;

const maybe = z.number().nullable();
const paramsSchema = z.record(z.string(), z.number());

/** The figures kept for every evaluation (the CSV export's columns). */
export const keyMetricsSchema = z.object({
  trades: z.number().int(),
  returnPct: z.number(),
  profitFactor: maybe,
  winRatePct: maybe,
  maxDrawdownPct: z.number(),
  sharpe: maybe,
  calmar: maybe,
});
export type KeyMetrics = z.infer<typeof keyMetricsSchema>;

export const evaluationSchema = z.object({
  /** 0 for none/split; 1 … folds for walk-forward. */
  fold: z.number().int(),
  params: paramsSchema,
  score: z.number(),
  qualified: z.boolean(),
  metrics: keyMetricsSchema,
});
export type Evaluation = z.infer<typeof evaluationSchema>;

export const leaderboardEntrySchema = z.object({
  rank: z.number().int(),
  params: paramsSchema,
  score: z.number(),
  qualified: z.boolean(),
  metrics: keyMetricsSchema,
  /** The same set on the out-of-sample bars (null without validation). */
  oosScore: maybe,
  oosMetrics: keyMetricsSchema.nullable(),
  collapsed: z.boolean().nullable(),
});
export type LeaderboardEntry = z.infer<typeof leaderboardEntrySchema>;

export const barWindowSchema = z.object({
  /** Bar indices [start, end) into the candles given. */
  start: z.number().int(),
  end: z.number().int(),
  startTime: z.number(),
  endTime: z.number(),
});
export type BarWindow = z.infer<typeof barWindowSchema>;

export const scoredMetricsSchema = z.object({
  score: z.number(),
  qualified: z.boolean(),
  metrics: backtestMetricsSchema,
});

/** One row of the in-sample / out-of-sample table: the set chosen in sample, and how it fared after. */
export const validationRowSchema = z.object({
  fold: z.number().int(),
  params: paramsSchema,
  train: barWindowSchema,
  test: barWindowSchema.nullable(),
  inSample: scoredMetricsSchema,
  outOfSample: scoredMetricsSchema.nullable(),
  /** OOS score below collapseRetention × IS score (null without out-of-sample bars). */
  collapsed: z.boolean().nullable(),
});
export type ValidationRow = z.infer<typeof validationRowSchema>;

export const heatmapSchema = z.object({
  x: z.object({ param: z.string(), values: z.array(z.number()) }),
  y: z.object({ param: z.string(), values: z.array(z.number()) }),
  /** [y][x]: the best value over the other searched parameters; null where nothing was evaluated. */
  score: z.array(z.array(maybe)),
  profitFactor: z.array(z.array(maybe)),
});
export type Heatmap = z.infer<typeof heatmapSchema>;

export const rsiAtEntrySchema = z.object({
  /** RSI on the signal bar (the close before the entry fill) against the trade's net PnL. */
  points: z.array(z.object({ time: z.number(), rsi: z.number(), pnl: z.number(), returnPct: z.number() })),
  /** Pearson correlation of rsi and pnl; null with fewer than two points or no spread. */
  correlation: maybe,
  /** Trades left out to keep the scatter light (the correlation uses them all). */
  omitted: z.number().int(),
});
export type RsiAtEntry = z.infer<typeof rsiAtEntrySchema>;

export const optimizeResultSchema = z.object({
  strategy: z.string(),
  method: searchMethodSchema,
  objective: objectiveNameSchema,
  minTrades: z.number().int(),
  validation: validationSchema,
  /** The money side and fixed params every backtest used. */
  baseSpec: baseSpecSchema,
  ranges: z.array(parameterRangeSchema),
  constraints: z.array(parameterConstraintSchema),
  seed: z.number().int().nullable(),
  /** Points of the constrained space (also for a genetic search); null when too large to count. */
  spaceSize: z.number().int().nullable(),
  evaluationCount: z.number().int(),
  workers: z.number().int(),
  elapsedMs: z.number(),
  /** The set to trade: chosen on the last in-sample window. Null when no set qualified. */
  best: z
    .object({
      params: paramsSchema,
      score: z.number(),
      qualified: z.boolean(),
      oosScore: maybe,
      collapsed: z.boolean().nullable(),
    })
    .nullable(),
  leaderboard: z.array(leaderboardEntrySchema),
  validationRows: z.array(validationRowSchema),
  evaluations: z.array(evaluationSchema),
  heatmap: heatmapSchema.nullable(),
  rsiAtEntry: rsiAtEntrySchema.nullable(),
  /** Decimals the prices carry (EURUSD 5, shares 2), for the tables and a backtest made from the result. */
  priceDecimals: priceDecimalsSchema,
});
export type OptimizeResult = z.infer<typeof optimizeResultSchema>;

export const optimizeProgressSchema = z.object({
  phase: z.enum(['starting', 'searching', 'validating', 'done']),
  /** 1 … folds for walk-forward, else 0. */
  fold: z.number().int(),
  folds: z.number().int(),
  done: z.number().int(),
  total: z.number().int(),
  best: z.object({ params: paramsSchema, score: z.number(), qualified: z.boolean() }).nullable(),
  elapsedMs: z.number(),
  /** Time left at the current pace; null before the first evaluations finish. */
  etaMs: maybe,
});
export type OptimizeProgress = z.infer<typeof optimizeProgressSchema>;

/** A saved optimisation as listed: what ran, on what, and its headline. */
export const optimizeRunSummarySchema = savedRunSchema.extend({
  method: searchMethodSchema,
  objective: objectiveNameSchema,
  validation: validationSchema,
  bestParams: paramsSchema.nullable(),
  bestScore: maybe,
  oosScore: maybe,
  collapsed: z.boolean().nullable(),
  evaluationCount: z.number().int(),
  elapsedMs: z.number(),
});
export type OptimizeRunSummary = z.infer<typeof optimizeRunSummarySchema>;
