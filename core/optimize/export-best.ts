// What leaves an optimisation: the best set as a JSON config a backtest (or a bot) loads as it is,
// and every evaluation as CSV for a spreadsheet.
import { z } from 'zod';
import { backtestSpecSchema } from '../backtest/spec.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import {
  objectiveNameSchema,
  searchMethodSchema,
  validationSchema,
  type Evaluation,
  type OptimizeResult,
} from './spec.ts';

/**
 * `spec` is a complete backtest spec (backtestSpecSchema accepts it as it is); strategy and params
 * are repeated at the top for people reading the file, and `optimisation` says where they came from.
 */
export const backtestConfigSchema = z.object({
  format: z.literal('autobot.backtest-config'),
  version: z.literal(1),
  strategy: z.string(),
  params: z.record(z.string(), z.number()),
  spec: backtestSpecSchema,
  optimisation: z.object({
    method: searchMethodSchema,
    objective: objectiveNameSchema,
    validation: validationSchema,
    score: z.number(),
    oosScore: z.number().nullable(),
    collapsed: z.boolean().nullable(),
    evaluations: z.number().int(),
  }),
});
export type BacktestConfig = z.infer<typeof backtestConfigSchema>;

export function bestConfig(result: OptimizeResult): BacktestConfig {
  const best = result.best;
  if (best === null) {
    throw new AutobotError(
      'not_found',
      `No parameter set reached ${result.minTrades} trades: there is no best set to export.`,
    );
  }
  const spec = backtestSpecSchema.parse({
    ...result.baseSpec,
    strategy: result.strategy,
    params: best.params,
  });
  return {
    format: 'autobot.backtest-config',
    version: 1,
    strategy: result.strategy,
    params: best.params,
    spec,
    optimisation: {
      method: result.method,
      objective: result.objective,
      validation: result.validation,
      score: best.score,
      oosScore: best.oosScore,
      collapsed: best.collapsed,
      evaluations: result.evaluationCount,
    },
  };
}

const metricColumns = [
  ['score', (e: Evaluation) => e.score],
  ['qualified', (e: Evaluation) => (e.qualified ? 1 : 0)],
  ['trades', (e: Evaluation) => e.metrics.trades],
  ['return_pct', (e: Evaluation) => e.metrics.returnPct],
  ['profit_factor', (e: Evaluation) => e.metrics.profitFactor],
  ['win_rate_pct', (e: Evaluation) => e.metrics.winRatePct],
  ['max_drawdown_pct', (e: Evaluation) => e.metrics.maxDrawdownPct],
  ['sharpe', (e: Evaluation) => e.metrics.sharpe],
  ['calmar', (e: Evaluation) => e.metrics.calmar],
] as const;

/** One row per evaluation: fold, each parameter, then the figures; an undefined figure is an empty cell. */
export function evaluationsCsv(evaluations: readonly Evaluation[]): string {
  const params: string[] = [];
  for (const evaluation of evaluations)
    for (const name of Object.keys(evaluation.params)) if (!params.includes(name)) params.push(name);
  const cell = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value);
  const lines = [['fold', ...params, ...metricColumns.map(([name]) => name)].join(',')];
  for (const evaluation of evaluations) {
    lines.push(
      [
        String(evaluation.fold),
        ...params.map((name) => cell(evaluation.params[name])),
        ...metricColumns.map(([, read]) => cell(read(evaluation))),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
