// What the Backtest and Optimizer forms are told about a strategy (describe.ts builds it), here
// beside the strategies so they do not import the contract; the contract re-exports it.
import { z } from 'zod';

const strategyParamSchema = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string(),
  default: z.number().nullable(),
  min: z.number().optional(),
  max: z.number().optional(),
  step: z.number().optional(),
  integer: z.boolean(),
  optional: z.boolean(),
});

export const strategyInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  params: z.array(strategyParamSchema),
});
export type StrategyInfoJson = z.infer<typeof strategyInfoSchema>;
