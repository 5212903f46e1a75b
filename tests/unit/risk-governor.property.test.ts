// The governor as a state machine: whatever fills, equity, closed trades, bars, clock jumps, kill
// switches and re-arms come in any order, it never lets an entry through while the order's account,
// bot or symbol is HALTED, nor a growing order while REDUCING — and never refuses an exit or a
// cancel for a trip (only the order-rate throttle may hold an exit back).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BreakerName } from '../../core/risk/breaker.ts';
import { governorFromSettings } from '../../core/risk/breaker-settings.ts';
import { killSwitchTrip } from '../../core/risk/kill-switch.ts';
import { isExit } from '../../core/risk/risk-governor.ts';

const owners = ['bot-1', 'bot-2'] as const;
const symbols = ['EURUSD', 'BTCUSD'] as const;
const breakerNames: BreakerName[] = [
  'daily-loss',
  'loss-streak',
  'volatility',
  'max-drawdown',
  'kill-switch',
];

const order = fc.record({
  owner: fc.constantFrom(...owners),
  symbol: fc.constantFrom(...symbols),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  quantity: fc.integer({ min: 1, max: 5 }),
});

const step = fc.oneof(
  order.map((o) => ({ kind: 'fill' as const, ...o })),
  order.map((o) => ({ kind: 'check' as const, ...o, cancel: false })),
  order.map((o) => ({ kind: 'check' as const, ...o, cancel: true })),
  fc.integer({ min: 50, max: 150 }).map((equity) => ({ kind: 'equity' as const, equity })),
  fc.record({
    kind: fc.constant('trade' as const),
    owner: fc.constantFrom(...owners),
    symbol: fc.constantFrom(...symbols),
    pnl: fc.integer({ min: -10, max: 10 }),
  }),
  fc.record({
    kind: fc.constant('bar' as const),
    symbol: fc.constantFrom(...symbols),
    close: fc.double({ min: 90, max: 110, noNaN: true }),
  }),
  // Clock jumps from nothing to three days: cooldowns, trading days and throttle windows all pass.
  fc.integer({ min: 0, max: 3 * 86_400_000 }).map((ms) => ({ kind: 'clock' as const, ms })),
  fc.integer({ min: 0, max: 2_000 }).map((ms) => ({ kind: 'clock' as const, ms })),
  fc.constant({ kind: 'kill' as const }),
  fc.constantFrom(...breakerNames).map((breaker) => ({ kind: 'rearm' as const, breaker })),
  fc.constant({ kind: 'tick' as const }),
);

describe('RiskGovernor state machine', () => {
  it('never accepts an entry while HALTED or a growing order while REDUCING; exits and cancels pass', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        let now = Date.UTC(2026, 0, 5, 9);
        const governor = governorFromSettings({}, () => now);
        const positions = new Map<string, number>();
        let killed = false;
        for (const s of steps) {
          switch (s.kind) {
            case 'fill': {
              const key = `${s.owner}|${s.symbol}`;
              positions.set(key, (positions.get(key) ?? 0) + (s.side === 'buy' ? s.quantity : -s.quantity));
              break;
            }
            case 'equity':
              governor.onEquity(s.equity);
              break;
            case 'trade':
              governor.onTrade(s);
              break;
            case 'bar': {
              const close = s.close;
              governor.onBar(s.symbol, {
                time: now / 1000,
                open: 100,
                high: Math.max(100, close),
                low: Math.min(100, close),
                close,
                volume: 1,
              });
              break;
            }
            case 'clock':
              now += s.ms;
              break;
            case 'kill':
              governor.trip(killSwitchTrip());
              killed = true;
              break;
            case 'rearm':
              governor.rearm(s.breaker);
              if (s.breaker === 'kill-switch') killed = false;
              break;
            case 'tick':
              governor.tick();
              break;
            case 'check': {
              const position = positions.get(`${s.owner}|${s.symbol}`) ?? 0;
              const intent = {
                ...s,
                venue: 'sim',
                action: s.cancel ? ('cancel' as const) : ('new' as const),
              };
              const state = governor.stateFor(s.owner, s.symbol);
              const decision = governor.admit(intent, { position });
              const exit = isExit(s.side, s.quantity, position);
              if (s.cancel) {
                expect(decision.accepted).toBe(true);
              } else if (exit) {
                if (!decision.accepted) expect(decision.code).toBe('rate_limited');
              } else {
                if (killed) expect(decision).toMatchObject({ accepted: false, code: 'halted' });
                if (state === 'halted') expect(decision).toMatchObject({ accepted: false, code: 'halted' });
                if (state === 'reducing') expect(decision.accepted).toBe(false);
                if (killed) expect(governor.state).toBe('halted');
              }
              break;
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('calls an order an exit only when it shrinks the position without flipping it', () => {
    expect(isExit('sell', 2, 2)).toBe(true);
    expect(isExit('sell', 3, 2)).toBe(false);
    expect(isExit('buy', 1, 2)).toBe(false);
    expect(isExit('buy', 1, -1)).toBe(true);
    expect(isExit('sell', 1, 0)).toBe(false);
    expect(isExit('sell', 0.30000000000000004, 0.1 + 0.2)).toBe(true);
  });
});
