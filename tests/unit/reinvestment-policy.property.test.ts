// The reinvestment policy's promises, for any policy and account state: the budget never exceeds
// the cap, grows with realised profit by exactly the share, and is cut by exactly the de-risk
// fraction while the drawdown exceeds the threshold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkReinvestmentPolicy,
  positionBudget,
  type ReinvestmentPolicy,
} from '../../core/reinvestment/reinvestment-policy.ts';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const policies = fc
  .record({
    baseBudget: fc.double({ min: 0, max: 1e6, noNaN: true }),
    extra: fc.double({ min: 0, max: 1e6, noNaN: true }),
    reinvestShare: unit,
    drawdownThreshold: fc.double({ min: 0, max: 0.9, noNaN: true }),
    derisk: unit,
  })
  .map(({ extra, ...rest }): ReinvestmentPolicy => ({ ...rest, cap: rest.baseBudget + extra }));
const states = fc.record({
  realisedProfit: fc.double({ min: -1e6, max: 1e7, noNaN: true }),
  peakEquity: fc.double({ min: 1, max: 1e7, noNaN: true }),
  drop: unit,
});

describe('positionBudget', () => {
  it('never exceeds the cap, nor goes below zero', () => {
    fc.assert(
      fc.property(policies, states, (policy, { drop, ...state }) => {
        const budget = positionBudget(policy, { ...state, equity: state.peakEquity * (1 - drop) });
        expect(budget).toBeLessThanOrEqual(policy.cap);
        expect(budget).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('shrinks by the de-risk fraction exactly while the drawdown exceeds the threshold', () => {
    fc.assert(
      fc.property(policies, states, (policy, { realisedProfit, peakEquity }) => {
        const calm = positionBudget(policy, { realisedProfit, peakEquity, equity: peakEquity });
        const deep = positionBudget(policy, {
          realisedProfit,
          peakEquity,
          // Just past the threshold: (threshold + 5 %) below the peak.
          equity: peakEquity * (1 - policy.drawdownThreshold - 0.05),
        });
        expect(deep).toBeCloseTo(calm * (1 - policy.derisk), 6);
        // (A strict cut shows above float resolution: not on denormal budgets.)
        if (policy.derisk > 1e-9 && calm > 1e-6) expect(deep).toBeLessThan(calm);
      }),
    );
  });

  it('compounds the share of realised profit until the cap (a hand-checked case)', () => {
    const policy = { baseBudget: 1000, reinvestShare: 0.5, cap: 2000, drawdownThreshold: 0.2, derisk: 0.5 };
    const at = (realisedProfit: number, equity = 10_000) =>
      positionBudget(policy, { realisedProfit, equity, peakEquity: 10_000 });
    expect(at(0)).toBe(1000);
    expect(at(600)).toBe(1300); // 1000 + 0.5 × 600
    expect(at(-400)).toBe(800); // losses take the same share off
    expect(at(5000)).toBe(2000); // 3500 capped
    expect(at(600, 7_900)).toBe(650); // 21 % drawdown > 20 %: 1300 cut by half
    expect(at(600, 8_000)).toBe(1300); // exactly 20 % is not above the threshold
  });

  it('refuses a policy that cannot mean anything, naming the field', () => {
    const good = { baseBudget: 1000, reinvestShare: 0.5, cap: 2000, drawdownThreshold: 0.2, derisk: 0.5 };
    expect(() => checkReinvestmentPolicy(good)).not.toThrow();
    expect(() => checkReinvestmentPolicy({ ...good, cap: 500 })).toThrow(
      'cap must be at least baseBudget (1000), got 500',
    );
    expect(() => checkReinvestmentPolicy({ ...good, derisk: 1.5 })).toThrow(
      'derisk must be between 0 and 1, got 1.5',
    );
  });
});
