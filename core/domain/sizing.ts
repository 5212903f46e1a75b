// How much an entry buys or sells, in the domain module: backtests, the optimiser, the CLI and bots
// size their orders by the same rule (core/execution/sizing.ts applies it). backtest/spec.ts
// re-exports the schema where the spec uses it.
import { z } from 'zod';

/** The largest fixed order quantity: a trillion units (backtestBounds.quantityMax). */
export const fixedQuantityMax = 1e12;

const fraction = (field: string) =>
  z
    .number({ error: `${field} must be a number` })
    .gt(0, `${field} must be above 0`)
    .max(1, `${field} must be at most 1`);

/** How much an entry buys or sells; resolved at the fill price, then rounded down to whole lots. */
export const sizingSchema = z.discriminatedUnion(
  'mode',
  [
    z.object({ mode: z.literal('all-in') }),
    z.object({ mode: z.literal('fraction'), fraction: fraction('sizing.fraction') }),
    z.object({
      mode: z.literal('fixed'),
      quantity: z
        .number({ error: 'sizing.quantity must be a number' })
        .positive('sizing.quantity must be positive')
        .max(fixedQuantityMax, `sizing.quantity must be at most ${fixedQuantityMax.toLocaleString('en-US')}`),
    }),
    z.object({ mode: z.literal('risk'), riskFraction: fraction('sizing.riskFraction') }),
  ],
  { error: 'sizing.mode must be one of all-in, fraction, fixed, risk' },
);
export type Sizing = z.infer<typeof sizingSchema>;
