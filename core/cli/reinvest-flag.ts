// `--reinvest KEY=VALUE,…` for `autobot backtest` and `autobot paper` (issue #16):
//
//   --reinvest base=2000,cap=3000                      (share 50 %, drawdown 20 %, derisk 50 % by default)
//   --reinvest base=2000,share=25%,cap=3000,drawdown=10%,derisk=75%
//
// base: the position budget before any profit; share: of realised profit added to it; cap: the
// most it grows to; drawdown: of closed-trade equity from its peak above which it is cut by derisk.
// Shares as percentages (25%) or fractions (0.25). This parser only reads the text: the spec's
// schema (core/reinvestment/reinvestment-schema.ts) checks the values and names the field.
import { AutobotError } from '../contract/errors.ts';
import type { ReinvestmentSettingsInput } from '../reinvestment/reinvestment-schema.ts';

const keys = {
  base: 'baseBudget',
  share: 'reinvestShare',
  cap: 'cap',
  drawdown: 'drawdownThreshold',
  derisk: 'derisk',
} as const;
type Key = keyof typeof keys;
const shares: readonly Key[] = ['share', 'drawdown', 'derisk'];

export const reinvestFlagUsage = 'base=MONEY,cap=MONEY[,share=PCT%][,drawdown=PCT%][,derisk=PCT%]';

function refuse(path: string, message: string, flag: string): never {
  throw new AutobotError('invalid_input', `${path}: ${message} (in --reinvest ${flag})`, {
    issues: [{ path, message }],
  });
}

/** The flag's policy, unchecked; undefined without the flag. */
export function parseReinvestFlag(flag: string | undefined): ReinvestmentSettingsInput | undefined {
  if (flag === undefined) return undefined;
  const policy: Record<string, number> = {};
  for (const part of flag.split(',')) {
    const equals = part.indexOf('=');
    const key = part.slice(0, Math.max(0, equals)).trim();
    const text = part.slice(equals + 1).trim();
    if (equals < 0 || !(key in keys))
      refuse('reinvestment', `expected ${reinvestFlagUsage}, got "${part.trim()}"`, flag);
    const field = `reinvestment.${keys[key as Key]}`;
    const percent = text.endsWith('%');
    const digits = percent ? text.slice(0, -1) : text;
    if (!/^\d+(\.\d+)?$/.test(digits)) refuse(field, `must be a number, got "${text}"`, flag);
    if (percent && !shares.includes(key as Key)) refuse(field, `is money, not a percentage: "${text}"`, flag);
    policy[keys[key as Key]] = percent ? Number(digits) / 100 : Number(digits);
  }
  return policy as ReinvestmentSettingsInput;
}
