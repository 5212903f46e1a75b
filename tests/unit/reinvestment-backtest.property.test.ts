// Issue #16's property line, on whole backtests: for random candles, costs, lot sizes and policies,
// no entry ever costs more than the policy's cap, and each entry while the closed-trade drawdown
// exceeds the threshold costs at most the de-risked budget — and is otherwise as large as the
// budget (or the cash) allows, so the size is what the policy says and not merely below it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import type { BacktestResult } from '../../core/backtest/spec.ts';
import { positionBudget, type ReinvestmentPolicy } from '../../core/reinvestment/reinvestment-policy.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';

/**
 * A random walk of tens of bars from a price of 5 to 50, so a budget of hundreds buys several lots
 * and sma-cross trades often (backtest-arbitraries' prices up to 5,000 leave most budgets short of a lot).
 */
const candlesArb = fc
  .record({
    start: fc.integer({ min: 500, max: 5_000 }).map((cents) => cents / 100),
    moves: fc.array(fc.tuple(percent(-6, 6), percent(0, 1)), {
      minLength: 30,
      maxLength: 120,
    }),
  })
  .map(({ start, moves }): CandleColumns => {
    const candles = allocateCandleColumns(moves.length);
    const cents = (value: number) => Math.max(0.01, Math.round(value * 100) / 100);
    let price = start;
    moves.forEach(([change, wick], i) => {
      const open = cents(price);
      const close = cents(open * (1 + change));
      candles.time[i] = 1_600_000_000 + i * 86_400;
      candles.open[i] = open;
      candles.close[i] = close;
      candles.high[i] = cents(Math.max(open, close) * (1 + wick));
      candles.low[i] = Math.min(open, close, cents(Math.min(open, close) * (1 - wick)));
      candles.volume[i] = 1000;
      price = close;
    });
    return candles;
  });

/**
 * Whole hundredths of a percent: fast-check's doubles crowd at the bounds and at tiny values
 * (budgets of 1e-300 buy nothing, and most runs would then never trade).
 */
function percent(min: number, max: number) {
  return fc.integer({ min: min * 100, max: max * 100 }).map((bp) => bp / 10_000);
}

const unit = percent(0, 100);
const policyArb = fc
  .record({
    baseBudget: fc.integer({ min: 0, max: 300_000 }).map((cents) => cents / 100),
    extra: fc.integer({ min: 0, max: 300_000 }).map((cents) => cents / 100),
    reinvestShare: unit,
    drawdownThreshold: percent(0, 5),
    derisk: unit,
  })
  .map(({ extra, ...rest }): ReinvestmentPolicy => ({ ...rest, cap: rest.baseBudget + extra }));

const specArb = fc.record({
  cash: fc.constantFrom(1_000, 10_000),
  commission: fc.oneof(fc.constant(0), percent(0, 1)),
  fixedFee: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 200 }).map((cents) => cents / 100),
  ),
  slippage: fc.oneof(fc.constant(0), percent(0, 1)),
  lotSize: fc.constantFrom(1, 0.1, 0.001),
  fast: fc.integer({ min: 1, max: 3 }),
  slowBy: fc.integer({ min: 1, max: 4 }),
});

/** Every entry in order, with what it cost to open (value and fee). */
function entries(result: BacktestResult) {
  const { commission, fixedFee } = result.spec;
  const all = [...result.trades, ...(result.openTrade ? [result.openTrade] : [])];
  return all.map((trade) => {
    const value = trade.size * trade.entryPrice;
    return { cost: value + value * commission + fixedFee, unit: trade.entryPrice * (1 + commission) };
  });
}

const slack = 1e-9;

describe('a backtest sized by a reinvestment policy', () => {
  it('never opens a position costing more than the cap, and cuts it while drawdown exceeds the threshold', () => {
    fc.assert(
      fc.property(candlesArb, specArb, policyArb, (candles, money, policy) => {
        const { fast, slowBy, ...costs } = money;
        const result = runBacktest(candles, {
          strategy: 'sma-cross',
          params: { fast, slow: fast + slowBy },
          ...costs,
          reinvestment: policy,
        });
        // sma-cross always reverses: every entry is made flat, after the trades before it closed.
        let cash: number = costs.cash;
        let peak = cash;
        entries(result).forEach(({ cost, unit }, k) => {
          expect(cost).toBeLessThanOrEqual(policy.cap * (1 + slack) + slack);
          const state = { realisedProfit: cash - costs.cash, equity: cash, peakEquity: peak };
          const budget = positionBudget(policy, state);
          const uncut = Math.min(
            policy.cap,
            Math.max(0, policy.baseBudget + policy.reinvestShare * state.realisedProfit),
          );
          const drawdown = (peak - cash) / peak;
          if (drawdown > policy.drawdownThreshold + slack)
            expect(cost).toBeLessThanOrEqual(uncut * (1 - policy.derisk) * (1 + slack) + slack);
          // As large as allowed: one more lot would pass the budget (or the cash).
          const spend = Math.min(budget, cash);
          expect(cost).toBeLessThanOrEqual(spend * (1 + slack) + slack);
          if (Math.abs(drawdown - policy.drawdownThreshold) > slack)
            expect(cost + costs.lotSize * unit).toBeGreaterThan(spend * (1 - slack) - slack);
          if (k < result.trades.length) {
            cash += result.trades[k]!.pnl;
            peak = Math.max(peak, cash);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
