// `--reinvest` as typed on the command line: names map to the policy's fields, shares as percent or
// fraction, and a malformed part is refused naming the field and quoting the flag.
import { describe, expect, it } from 'vitest';
import { parseReinvestFlag } from '../../core/cli/reinvest-flag.ts';

describe('--reinvest', () => {
  it('reads every field, shares as percentages or fractions', () => {
    expect(parseReinvestFlag(undefined)).toBeUndefined();
    expect(parseReinvestFlag('base=2000,share=25%,cap=3000,drawdown=0.1,derisk=75%')).toEqual({
      baseBudget: 2000,
      reinvestShare: 0.25,
      cap: 3000,
      drawdownThreshold: 0.1,
      derisk: 0.75,
    });
    expect(parseReinvestFlag('base=200, cap=230')).toEqual({ baseBudget: 200, cap: 230 });
  });

  it('refuses what it cannot read, naming the field', () => {
    expect(() => parseReinvestFlag('budget=200')).toThrow(
      'reinvestment: expected base=MONEY,cap=MONEY[,share=PCT%][,drawdown=PCT%][,derisk=PCT%], got "budget=200" (in --reinvest budget=200)',
    );
    expect(() => parseReinvestFlag('base=200,cap=lots')).toThrow(
      'reinvestment.cap: must be a number, got "lots" (in --reinvest base=200,cap=lots)',
    );
    expect(() => parseReinvestFlag('base=20%,cap=300')).toThrow(
      'reinvestment.baseBudget: is money, not a percentage: "20%"',
    );
  });
});
