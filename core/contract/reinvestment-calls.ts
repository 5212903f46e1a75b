// shopify.recordBudget and shopify.budgetLedger (issue #16): the month's "set aside for
// reinvestment" amount from the Shopify page, recorded once a month in a ledger (no money moves).
// Spread into `calls` in calls.ts; this file imports no value from calls.ts.
import { z } from 'zod';

const monthSchema = z
  .string({ error: 'month must be YYYY-MM' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM, e.g. 2024-05');

export const budgetEntrySchema = z.object({
  month: z.string(),
  revenue: z.number(),
  orders: z.number().int(),
  currency: z.string(),
  reinvestPct: z.number(),
  amount: z.number(),
  recordedAt: z.string(),
});
export type BudgetEntryJson = z.infer<typeof budgetEntrySchema>;

export const reinvestmentCalls = {
  'shopify.recordBudget': {
    summary:
      'Record a finished month’s reinvestment budget: the Shopify store’s revenue that month and the share set aside, rounded down to the cent, as a ledger entry (no money moves). Real revenue only, never demo data; a month already recorded needs replace: true.',
    input: z
      .object({
        month: monthSchema,
        reinvestPct: z
          .number({ error: 'reinvestPct must be a number' })
          .min(0, 'reinvestPct must be 0–100')
          .max(100, 'reinvestPct must be 0–100'),
        replace: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ entry: budgetEntrySchema }),
    access: 'licensed',
  },
  'shopify.budgetLedger': {
    summary: 'The recorded monthly reinvestment budgets, newest month first.',
    input: z.object({}).strict(),
    output: z.object({ entries: z.array(budgetEntrySchema) }),
    access: 'licensed',
  },
} as const;
