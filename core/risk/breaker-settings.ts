// Every breaker's settings with the original design's defaults, validated in one place: bad input
// is an invalid_input error naming the field and the reason. `governorFromSettings` builds the
// account's governor with every enabled breaker.
import { z } from 'zod';
import { invalidInputError } from '../domain/autobot-error.ts';
import type { Breaker } from './breaker.ts';
import { DailyLossBreaker } from './daily-loss-breaker.ts';
import { KillSwitch } from './kill-switch.ts';
import { LossStreakBreaker } from './loss-streak-breaker.ts';
import { MaxDrawdownBreaker } from './max-drawdown-breaker.ts';
import { OrderRateThrottle } from './order-rate-breaker.ts';
import { VolatilityBreaker } from './volatility-breaker.ts';
import { RiskGovernor } from './risk-governor.ts';
import { parseDayStart } from './trading-day.ts';

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

/** Settings with every default filled in; throws AutobotError('invalid_input') naming the field. */
export function breakerSettings(input: unknown = {}): BreakerSettings {
  const parsed = breakerSettingsSchema.safeParse(input);
  if (!parsed.success) throw invalidInputError(parsed.error.issues);
  return parsed.data;
}

export const defaultBreakerSettings: BreakerSettings = breakerSettings();

/** The breakers the settings enable (the kill switch is always there). */
export function breakersFrom(settings: BreakerSettings): Breaker[] {
  const breakers: Breaker[] = [new KillSwitch()];
  const { dailyLoss, lossStreak, volatility, maxDrawdown } = settings;
  if (dailyLoss.enabled) {
    breakers.push(
      new DailyLossBreaker({
        limitPct: dailyLoss.limitPct,
        dayStartMinutes: parseDayStart(dailyLoss.dayStart),
      }),
    );
  }
  if (lossStreak.enabled) breakers.push(new LossStreakBreaker(lossStreak));
  if (volatility.enabled) breakers.push(new VolatilityBreaker(volatility));
  if (maxDrawdown.enabled) breakers.push(new MaxDrawdownBreaker(maxDrawdown));
  return breakers;
}

/** The account's governor with every breaker the settings enable. */
export function governorFromSettings(input: unknown = {}, clock: () => number = Date.now): RiskGovernor {
  const settings = breakerSettings(input);
  return new RiskGovernor({
    breakers: breakersFrom(settings),
    throttle: settings.orderRate.enabled ? new OrderRateThrottle(settings.orderRate) : undefined,
    clock,
  });
}
