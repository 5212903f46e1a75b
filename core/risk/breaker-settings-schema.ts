// The breakers' settings as a zod schema with the original design's defaults: its own file so the
// contract (and through it the renderer's Risk page) can validate settings without importing the
// breakers themselves. breaker-settings.ts turns settings into breakers.
import { z } from 'zod';

const percent = z.number().gt(0, 'must be above 0 %').max(100, 'must be at most 100 %');
const count = z.number().int('must be a whole number').min(1, 'must be at least 1');

export const breakerSettingsSchema = z
  .object({
    dailyLoss: z
      .object({
        enabled: z.boolean().default(true),
        limitPct: percent.default(5),
        dayStart: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM in UTC, 00:00 to 23:59')
          .default('00:00'),
      })
      .strict()
      .prefault({}),
    lossStreak: z
      .object({
        enabled: z.boolean().default(true),
        losses: count.default(3),
        cooldownMinutes: z.number().gt(0, 'must be above 0 minutes').default(60),
        scope: z.enum(['account', 'bot', 'symbol']).default('bot'),
      })
      .strict()
      .prefault({}),
    volatility: z
      .object({
        enabled: z.boolean().default(true),
        movePct: percent.default(3),
        calmBars: count.default(5),
        measure: z.enum(['close-to-close', 'range']).default('close-to-close'),
      })
      .strict()
      .prefault({}),
    maxDrawdown: z
      .object({ enabled: z.boolean().default(true), limitPct: percent.default(20) })
      .strict()
      .prefault({}),
    orderRate: z
      .object({
        enabled: z.boolean().default(true),
        perBot: count.default(10),
        perVenue: count.default(50),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type BreakerSettings = z.output<typeof breakerSettingsSchema>;
export type BreakerSettingsInput = z.input<typeof breakerSettingsSchema>;

/** Every breaker by name, in the order the Risk page lists them (breaker.ts's BreakerName). */
export const breakerNames = [
  'daily-loss',
  'loss-streak',
  'volatility',
  'max-drawdown',
  'order-rate',
  'kill-switch',
  // Tripped by reconciliation when a venue holds orders or balances the journal cannot explain.
  'reconcile',
] as const;
