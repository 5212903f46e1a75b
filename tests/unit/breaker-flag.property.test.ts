// `--breaker NAME=VALUE` (autobot backtest, autobot paper): the issue's examples, refusals that name
// the field, and two properties — any settings written as flags read back as the same settings, and
// no text makes the parser fail any other way than invalid_input naming a breakers.* field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatBreakerFlags, parseBreakerFlags } from '../../core/cli/breaker-flag.ts';
import { AutobotError } from '../../core/contract/errors.ts';
import { breakerSettings } from '../../core/risk/breaker-settings.ts';

function refusal(flags: string[]): { path: string; message: string } {
  try {
    parseBreakerFlags(flags);
  } catch (error) {
    expect(error).toBeInstanceOf(AutobotError);
    return (error as AutobotError).issues![0]!;
  }
  throw new Error(`accepted ${flags.join(' ')}`);
}

describe('--breaker', () => {
  it('reads the issue’s examples; breakers not named are off', () => {
    const settings = parseBreakerFlags([
      'daily-loss=5%',
      'loss-streak=3:60m',
      'volatility=3%:5',
      'max-drawdown=20%',
    ])!;
    expect(settings.dailyLoss).toEqual({ enabled: true, limitPct: 5, dayStart: '00:00' });
    expect(settings.lossStreak).toEqual({ enabled: true, losses: 3, cooldownMinutes: 60, scope: 'bot' });
    expect(settings.volatility).toEqual({
      enabled: true,
      movePct: 3,
      calmBars: 5,
      measure: 'close-to-close',
    });
    expect(settings.maxDrawdown).toEqual({ enabled: true, limitPct: 20 });
    expect(settings.orderRate.enabled).toBe(false);
    expect(parseBreakerFlags(['loss-streak=2:2h:account'])!.lossStreak).toMatchObject({
      cooldownMinutes: 120,
      scope: 'account',
    });
    expect(parseBreakerFlags(['daily-loss=4.5%@22:00'])!.dailyLoss).toMatchObject({
      limitPct: 4.5,
      dayStart: '22:00',
    });
    expect(parseBreakerFlags(['volatility'])!.volatility).toEqual({
      enabled: true,
      movePct: 3,
      calmBars: 5,
      measure: 'close-to-close',
    });
    expect(parseBreakerFlags([])).toBeUndefined();
  });

  it('refuses bad values naming the field and the reason', () => {
    expect(refusal(['loss-streak=3:60x'])).toEqual({
      path: 'breakers.lossStreak.cooldownMinutes',
      message: 'must be minutes (60m) or hours (2h), got "60x"',
    });
    expect(refusal(['daily-loss=5'])).toMatchObject({ path: 'breakers.dailyLoss.limitPct' });
    expect(refusal(['daily-loss=0%'])).toEqual({
      path: 'breakers.dailyLoss.limitPct',
      message: 'must be above 0 %',
    });
    expect(refusal(['volatility=3%:0'])).toEqual({
      path: 'breakers.volatility.calmBars',
      message: 'must be at least 1',
    });
    expect(refusal(['daily-loss=5%@25:00'])).toMatchObject({ path: 'breakers.dailyLoss.dayStart' });
    expect(refusal(['loss-streak=3:60m:desk'])).toMatchObject({ path: 'breakers.lossStreak.scope' });
    expect(refusal(['panic=1%'])).toMatchObject({
      path: 'breakers',
      message: expect.stringContaining('unknown breaker "panic"'),
    });
    expect(refusal(['max-drawdown=20%', 'max-drawdown=10%'])).toMatchObject({ path: 'breakers.maxDrawdown' });
  });

  it('reads back any settings written as flags', () => {
    const pct = fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100);
    const whole = fc.integer({ min: 1, max: 1000 });
    const settings = fc.record({
      dailyLoss: fc.record({
        enabled: fc.boolean(),
        limitPct: pct,
        dayStart: fc
          .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
          .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
      }),
      lossStreak: fc.record({
        enabled: fc.boolean(),
        losses: whole,
        cooldownMinutes: whole,
        scope: fc.constantFrom('account' as const, 'bot' as const, 'symbol' as const),
      }),
      volatility: fc.record({
        enabled: fc.boolean(),
        movePct: pct,
        calmBars: whole,
        measure: fc.constantFrom('close-to-close' as const, 'range' as const),
      }),
      maxDrawdown: fc.record({ enabled: fc.boolean(), limitPct: pct }),
      orderRate: fc.record({ enabled: fc.boolean(), perBot: whole, perVenue: whole }),
    });
    fc.assert(
      fc.property(settings, (written) => {
        const flags = formatBreakerFlags(breakerSettings(written));
        const read = parseBreakerFlags(flags);
        if (flags.length === 0) return read === undefined;
        // A breaker that is off reads back off; its other settings are not written, so they are the defaults.
        for (const group of Object.keys(written) as (keyof typeof written)[]) {
          if (written[group].enabled) expect(read![group]).toEqual(written[group]);
          else expect(read![group].enabled).toBe(false);
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('fails on any text only with invalid_input naming a breakers field', () => {
    const name = fc.constantFrom(
      'daily-loss',
      'loss-streak',
      'volatility',
      'max-drawdown',
      'order-rate',
      'x',
    );
    const flag = fc.oneof(
      fc.string(),
      fc.tuple(name, fc.string()).map(([n, v]) => `${n}=${v}`),
      fc.tuple(name, fc.stringMatching(/^[0-9.%:@mh]{0,10}$/)).map(([n, v]) => `${n}=${v}`),
    );
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 4 }), (flags) => {
        try {
          parseBreakerFlags(flags);
        } catch (error) {
          expect(error).toBeInstanceOf(AutobotError);
          const { code, issues } = error as AutobotError;
          expect(code).toBe('invalid_input');
          expect(issues![0]!.path).toMatch(/^breakers(\.|$)/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
