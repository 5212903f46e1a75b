// The kernels record a flat stretch in one step (EquityStats.addRepeated); it must leave exactly the
// state that marking each bar one by one leaves, or kernel and engine results would drift apart.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityStats } from '../../core/backtest/metrics.ts';

const stretch = fc.record({
  equity: fc.double({ min: 1, max: 1e7, noNaN: true }),
  repeat: fc.integer({ min: 1, max: 50 }),
});

describe('EquityStats.addRepeated', () => {
  it('equals adding the same equity bar by bar, for any sequence of stretches', () => {
    fc.assert(
      fc.property(fc.array(stretch, { minLength: 1, maxLength: 40 }), (stretches) => {
        const oneByOne = new EquityStats();
        const bulk = new EquityStats();
        for (const { equity, repeat } of stretches) {
          for (let k = 0; k < repeat; k++) oneByOne.add(equity);
          bulk.add(equity);
          bulk.addRepeated(repeat - 1);
        }
        expect({ ...bulk }).toEqual({ ...oneByOne });
        expect(bulk.returnStd).toBe(oneByOne.returnStd);
      }),
      { numRuns: 500 },
    );
  });

  it('counts a flat stretch as zero returns, which lowers the volatility a trader sees', () => {
    const stats = new EquityStats();
    stats.add(100);
    stats.add(110);
    stats.add(99);
    const before = stats.returnStd;
    stats.addRepeated(8);
    expect(stats.bars).toBe(11);
    expect(stats.returns).toBe(10);
    expect(stats.returnStd).toBeLessThan(before);
  });

  it('addMarks equals add() bar by bar over any held stretches', () => {
    const stretchArb = fc.record({
      cash: fc.double({ min: -1e5, max: 1e6, noNaN: true }),
      quantity: fc.double({ min: -100, max: 100, noNaN: true }),
      closes: fc.array(fc.double({ min: 0.01, max: 1e4, noNaN: true }), { maxLength: 30 }),
    });
    fc.assert(
      fc.property(fc.array(stretchArb, { minLength: 1, maxLength: 12 }), (stretches) => {
        const oneByOne = new EquityStats();
        const bulk = new EquityStats();
        for (const { cash, quantity, closes } of stretches) {
          const close = Float64Array.from(closes);
          for (const price of close) oneByOne.add(cash + quantity * price);
          bulk.addMarks(cash, quantity, close, 0, close.length);
        }
        expect({ ...bulk }).toEqual({ ...oneByOne });
      }),
      { numRuns: 500 },
    );
  });
});
