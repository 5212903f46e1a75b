// A reinvestment policy as the contract, the CLI and a bot's definition accept it: the fields of
// reinvestment-policy.ts with a zod schema whose refusals name the field (`reinvestment.cap`), so
// the Backtest form, `autobot backtest --reinvest` and `bots.setReinvestment` say the same thing.
// Shares are fractions (0.5 = 50 %), as the policy computes with them; the pages show percentages.
import { z } from 'zod';
import type { ReinvestmentPolicy } from './reinvestment-policy.ts';

/** The largest budget or cap: the backtest's largest cash (backtestBounds.cashMax). */
const moneyMax = 1e12;

const moneyField = (field: string) =>
  z
    .number({ error: `${field} must be an amount of money` })
    .min(0, `${field} must be 0 or more`)
    .max(moneyMax, `${field} must be at most 1,000,000,000,000`);

const share = (field: string) =>
  z
    .number({ error: `${field} must be a number from 0 to 1` })
    .min(0, `${field} must be at least 0 (0 %)`)
    .max(1, `${field} must be at most 1 (100 %)`);

export const reinvestmentDefaults = {
  reinvestShare: 0.5,
  drawdownThreshold: 0.2,
  derisk: 0.5,
} as const;

export const reinvestmentFields = z
  .object({
    /** The position budget before any profit, in the account currency. */
    baseBudget: moneyField('baseBudget'),
    /** Share of realised profit added to the budget (losses take the same share off). */
    reinvestShare: share('reinvestShare').default(reinvestmentDefaults.reinvestShare),
    /** The budget never exceeds it. */
    cap: moneyField('cap'),
    /** Drawdown of closed-trade equity from its peak above which the budget is cut. */
    drawdownThreshold: share('drawdownThreshold').default(reinvestmentDefaults.drawdownThreshold),
    /** Fraction the budget is cut by while that drawdown exceeds the threshold. */
    derisk: share('derisk').default(reinvestmentDefaults.derisk),
  })
  .strict();

export const reinvestmentSchema = reinvestmentFields.superRefine((policy, context) => {
  if (policy.cap < policy.baseBudget)
    context.addIssue({
      code: 'custom',
      path: ['cap'],
      message: `cap must be at least baseBudget (${policy.baseBudget}), got ${policy.cap}`,
    });
});

export type ReinvestmentSettings = z.output<typeof reinvestmentSchema> & ReinvestmentPolicy;
export type ReinvestmentSettingsInput = z.input<typeof reinvestmentSchema>;
