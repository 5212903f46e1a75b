// `--breaker NAME=VALUE`, repeatable, for `autobot backtest` and `autobot paper` (issue #12):
//
//   --breaker daily-loss=5%            (optionally @HH:MM, the trading day's start in UTC: 5%@22:00)
//   --breaker loss-streak=3:60m        (losses in a row : cooldown in m or h, optionally :account|bot|symbol)
//   --breaker volatility=3%:5          (move per bar : calm bars, optionally :range|close-to-close)
//   --breaker max-drawdown=20%
//   --breaker order-rate=10:50         (orders per second per bot : per venue)
//   --breaker NAME                     (that breaker with its defaults)
//
// Only the breakers named apply; the others are off. One parser for every command, so the flag
// reads the same everywhere; the settings schema (breaker-settings-schema.ts) then checks ranges,
// and every refusal is invalid_input naming the field (`breakers.lossStreak.cooldownMinutes`) and
// the flag as typed.
import { AutobotError, type FieldIssue } from '../contract/errors.ts';
import { breakerSettingsSchema, type BreakerSettings } from '../risk/breaker-settings-schema.ts';
import type { BreakerTrip } from '../backtest/spec.ts';

export const breakerFlagNames = [
  'daily-loss',
  'loss-streak',
  'volatility',
  'max-drawdown',
  'order-rate',
] as const;
type FlagName = (typeof breakerFlagNames)[number];

const groups: Record<FlagName, keyof BreakerSettings> = {
  'daily-loss': 'dailyLoss',
  'loss-streak': 'lossStreak',
  volatility: 'volatility',
  'max-drawdown': 'maxDrawdown',
  'order-rate': 'orderRate',
};

const usage: Record<FlagName, string> = {
  'daily-loss': 'daily-loss=PCT% or daily-loss=PCT%@HH:MM',
  'loss-streak': 'loss-streak=LOSSES:COOLDOWN (e.g. 3:60m or 3:2h, optionally :account, :bot or :symbol)',
  volatility: 'volatility=PCT%:CALM_BARS (e.g. 3%:5, optionally :range or :close-to-close)',
  'max-drawdown': 'max-drawdown=PCT%',
  'order-rate': 'order-rate=PER_BOT:PER_VENUE (orders per second, e.g. 10:50)',
};

/** Thrown for one flag: the field it names and why, with the flag as typed. */
function refuse(path: string, message: string, flag: string): never {
  throw new AutobotError('invalid_input', `${path}: ${message} (in --breaker ${flag})`, {
    issues: [{ path, message }],
  });
}

/** A number as typed: digits with an optional fraction; anything else is not a number here. */
function number(text: string, path: string, what: string, flag: string): number {
  if (!/^\d+(\.\d+)?$/.test(text)) refuse(path, `${what} must be a number, got "${text}"`, flag);
  return Number(text);
}

function percent(text: string, path: string, flag: string): number {
  if (!text.endsWith('%')) refuse(path, `must be a percentage like 5%, got "${text}"`, flag);
  return number(text.slice(0, -1), path, 'the percentage', flag);
}

function minutes(text: string, path: string, flag: string): number {
  const match = /^(.*?)(m|h)$/.exec(text);
  if (match === null) refuse(path, `must be minutes (60m) or hours (2h), got "${text}"`, flag);
  const value = number(match[1]!, path, 'the duration', flag);
  return match[2] === 'h' ? value * 60 : value;
}

/** One flag's settings for its breaker (enabled, with what it sets). */
function parseOne(flag: string): [keyof BreakerSettings, Record<string, unknown>] {
  const equals = flag.indexOf('=');
  const name = (equals < 0 ? flag : flag.slice(0, equals)).trim();
  if (!(breakerFlagNames as readonly string[]).includes(name)) {
    refuse('breakers', `unknown breaker "${name}": one of ${breakerFlagNames.join(', ')}`, flag);
  }
  const group = groups[name as FlagName];
  const at = (field: string) => `breakers.${group}.${field}`;
  const value = equals < 0 ? '' : flag.slice(equals + 1).trim();
  if (equals >= 0 && value === '')
    refuse(`breakers.${group}`, `needs a value: ${usage[name as FlagName]}`, flag);
  const settings: Record<string, unknown> = { enabled: true };
  if (value === '') return [group, settings];
  const parts = value.split(':');
  const most = (count: number) => {
    if (parts.length > count)
      refuse(`breakers.${group}`, `too many parts in "${value}": ${usage[name as FlagName]}`, flag);
  };
  switch (name as FlagName) {
    case 'daily-loss': {
      // HH:MM holds a colon itself: this one splits at '@'.
      const pieces = value.split('@');
      if (pieces.length > 2)
        refuse(`breakers.${group}`, `too many parts in "${value}": ${usage['daily-loss']}`, flag);
      const [limit, dayStart] = pieces;
      settings.limitPct = percent(limit!, at('limitPct'), flag);
      if (dayStart !== undefined) settings.dayStart = dayStart;
      break;
    }
    case 'loss-streak':
      most(3);
      settings.losses = number(parts[0]!, at('losses'), 'the number of losses', flag);
      if (parts[1] !== undefined) settings.cooldownMinutes = minutes(parts[1], at('cooldownMinutes'), flag);
      if (parts[2] !== undefined) settings.scope = parts[2];
      break;
    case 'volatility':
      most(3);
      settings.movePct = percent(parts[0]!, at('movePct'), flag);
      if (parts[1] !== undefined) settings.calmBars = number(parts[1], at('calmBars'), 'calm bars', flag);
      if (parts[2] !== undefined) settings.measure = parts[2];
      break;
    case 'max-drawdown':
      most(1);
      settings.limitPct = percent(value, at('limitPct'), flag);
      break;
    case 'order-rate':
      most(2);
      settings.perBot = number(parts[0]!, at('perBot'), 'orders per second per bot', flag);
      if (parts[1] !== undefined)
        settings.perVenue = number(parts[1], at('perVenue'), 'orders per second per venue', flag);
      break;
  }
  return [group, settings];
}

/**
 * The breaker settings the flags ask for, every other breaker off; undefined when no flag was given
 * (no breakers: the backtest stays comparable with other engines). Throws invalid_input naming the
 * field.
 */
export function parseBreakerFlags(flags: readonly string[]): BreakerSettings | undefined {
  if (flags.length === 0) return undefined;
  const input: Record<string, Record<string, unknown>> = {};
  for (const group of Object.values(groups)) input[group] = { enabled: false };
  const seen = new Set<string>();
  for (const flag of flags) {
    const [group, settings] = parseOne(flag);
    if (seen.has(group)) refuse(`breakers.${group}`, 'given twice: name each breaker once', flag);
    seen.add(group);
    input[group] = settings;
  }
  const parsed = breakerSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((issue) => ({
    path: ['breakers', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0]!;
  throw new AutobotError('invalid_input', `${first.path}: ${first.message}`, { issues });
}

/** The flags that ask for these settings (the enabled breakers): parseBreakerFlags's inverse. */
export function formatBreakerFlags(settings: BreakerSettings): string[] {
  const flags: string[] = [];
  const { dailyLoss, lossStreak, volatility, maxDrawdown, orderRate } = settings;
  if (dailyLoss.enabled) flags.push(`daily-loss=${dailyLoss.limitPct}%@${dailyLoss.dayStart}`);
  if (lossStreak.enabled)
    flags.push(`loss-streak=${lossStreak.losses}:${lossStreak.cooldownMinutes}m:${lossStreak.scope}`);
  if (volatility.enabled)
    flags.push(`volatility=${volatility.movePct}%:${volatility.calmBars}:${volatility.measure}`);
  if (maxDrawdown.enabled) flags.push(`max-drawdown=${maxDrawdown.limitPct}%`);
  if (orderRate.enabled) flags.push(`order-rate=${orderRate.perBot}:${orderRate.perVenue}`);
  return flags;
}

/** Commander's collector for a repeatable --breaker. */
export function collectBreaker(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--json`'s breakerTrips: each trip's breaker, time (epoch seconds) and the values that tripped it. */
export function breakerTripsJson(
  trips: readonly Pick<BreakerTrip, 'breaker' | 'time' | 'values'>[],
): { breaker: string; time: number; values: Record<string, number> }[] {
  return trips.map((trip) => ({ breaker: trip.breaker, time: trip.time, values: { ...trip.values } }));
}
