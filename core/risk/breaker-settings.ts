// Every breaker's settings with the original design's defaults, validated in one place: bad input
// is an invalid_input error naming the field and the reason. `governorFromSettings` builds the
// account's governor with every enabled breaker.
import { invalidInputError } from '../domain/autobot-error.ts';
import {
  breakerSettingsSchema,
  type BreakerSettings,
  type BreakerSettingsInput,
} from './breaker-settings-schema.ts';
import type { Breaker } from './breaker.ts';
import { DailyLossBreaker } from './daily-loss-breaker.ts';
import { KillSwitch } from './kill-switch.ts';
import { LossStreakBreaker } from './loss-streak-breaker.ts';
import { MaxDrawdownBreaker } from './max-drawdown-breaker.ts';
import { OrderRateThrottle } from './order-rate-breaker.ts';
import { VolatilityBreaker } from './volatility-breaker.ts';
import { RiskGovernor } from './risk-governor.ts';
import { parseDayStart } from './trading-day.ts';

export { breakerSettingsSchema, type BreakerSettings, type BreakerSettingsInput };

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
