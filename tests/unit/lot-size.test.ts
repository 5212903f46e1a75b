// The one place quantities meet the lot size: whole lots, never more than asked, never more than affordable.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { costToOpen, feeFor, paysFor } from '../../core/execution/fees.ts';
import { cashAfterFill } from '../../core/portfolio/portfolio.ts';
import { affordableLots, lotsIn, quantityOf } from '../../core/execution/lot-size.ts';

const noFees = { commission: 0, fixedFee: 0 };

describe('lotsIn', () => {
  it('rounds a quantity down to whole lots', () => {
    expect(lotsIn(10.9, 1)).toBe(10);
    expect(lotsIn(0.0379, 0.001)).toBe(37);
    expect(lotsIn(0.5, 1)).toBe(0);
  });

  it('reads 0.3 as three lots of 0.1 although 0.3 / 0.1 is 2.9999999999999996 in floating point', () => {
    expect(0.3 / 0.1).toBeLessThan(3);
    expect(lotsIn(0.3, 0.1)).toBe(3);
    expect(lotsIn(0.07, 0.01)).toBe(7);
  });

  it('gives nothing for zero, negative or non-numeric quantities', () => {
    expect(lotsIn(0, 1)).toBe(0);
    expect(lotsIn(-5, 1)).toBe(0);
    expect(lotsIn(Number.NaN, 1)).toBe(0);
    expect(lotsIn(5, 0)).toBe(0);
  });

  it('turns lots back into a quantity', () => {
    expect(quantityOf(37, 0.001)).toBeCloseTo(0.037, 12);
    expect(quantityOf(-3, 1)).toBe(-3);
  });
});

describe('affordableLots', () => {
  it('is floor(budget / (price × (1 + commission))) for whole shares', () => {
    const fees = { commission: 0.002, fixedFee: 0 };
    expect(affordableLots(10_000, 100, 1, fees)).toBe(99); // 99 × 100.2 = 9,919.80; 100 × 100.2 > 10,000
    expect(affordableLots(10_000, 100, 1, noFees)).toBe(100);
  });

  it('keeps the fixed fee out of the budget', () => {
    expect(affordableLots(1_005, 100, 1, { commission: 0, fixedFee: 5 })).toBe(10);
    expect(affordableLots(1_004.99, 100, 1, { commission: 0, fixedFee: 5 })).toBe(9);
  });

  it('counts decimal lots for crypto', () => {
    // 1,000 / (30,000 × 0.001 × 1.001) = 33.3 → 33 lots = 0.033 BTC
    expect(affordableLots(1_000, 30_000, 0.001, { commission: 0.001, fixedFee: 0 })).toBe(33);
  });

  it('gives nothing without a budget or a price', () => {
    expect(affordableLots(0, 100, 1, noFees)).toBe(0);
    expect(affordableLots(-10, 100, 1, noFees)).toBe(0);
    expect(affordableLots(100, 0, 1, noFees)).toBe(0);
    expect(affordableLots(4, 1, 1, { commission: 0, fixedFee: 5 })).toBe(0);
  });

  it('is a whole number of lots whose cost fits the budget, and one more lot would not', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 0.0001, max: 1e5, noNaN: true }),
        fc.constantFrom(1, 0.1, 0.01, 0.001, 0.00001, 5, 100),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (budget, price, lotSize, commission, fixedFee) => {
          const fees = { commission, fixedFee };
          const lots = affordableLots(budget, price, lotSize, fees);
          expect(Number.isInteger(lots)).toBe(true);
          expect(lots).toBeGreaterThanOrEqual(0);
          // Paid as the portfolio books it: the cash left after the fill is never below zero.
          const quantity = quantityOf(lots, lotSize);
          if (lots > 0)
            expect(
              cashAfterFill(budget, 1, quantity, price, feeFor(quantity * price, fees)),
            ).toBeGreaterThanOrEqual(0);
          if (lots < 1e12) expect(paysFor(budget, quantityOf(lots + 1, lotSize), price, fees)).toBe(false);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('fees', () => {
  it('charge the commission on traded value plus the fixed fee', () => {
    expect(feeFor(1_000, { commission: 0.001, fixedFee: 1 })).toBeCloseTo(2, 12);
    expect(costToOpen(10, 100, { commission: 0.001, fixedFee: 1 })).toBeCloseTo(1_002, 12);
  });
});
