// The execution engine's order book: pending orders live in reused slots, so what a caller sees
// (resting orders, cancels, fills) must never show a slot being refilled.
import { describe, expect, it } from 'vitest';
import { ExecutionEngine } from '../../core/execution/execution-engine.ts';
import { Portfolio } from '../../core/portfolio/portfolio.ts';
import { defaultRiskChecks, RiskEngine } from '../../core/risk/risk-engine.ts';
import { allocateCandleColumns } from '../../core/storage/candle-columns.ts';
import { SimulatedVenue } from '../../core/venues/simulated/simulated-venue.ts';

function engineOn(bars: [open: number, high: number, low: number, close: number][]) {
  const candles = allocateCandleColumns(bars.length);
  bars.forEach(([open, high, low, close], i) => {
    candles.time[i] = 1_700_000_000 + i * 60;
    candles.open[i] = open;
    candles.high[i] = high;
    candles.low[i] = low;
    candles.close[i] = close;
  });
  const fees = { commission: 0, fixedFee: 0 };
  const portfolio = new Portfolio(10_000, 1);
  const venue = new SimulatedVenue(candles, 0);
  const risk = new RiskEngine(defaultRiskChecks(1, fees, false));
  const execution = new ExecutionEngine(venue, risk, portfolio, {
    sizing: { mode: 'all-in' },
    fees,
    lotSize: 1,
  });
  const barAt = (bar: number) => {
    venue.bar = bar;
    execution.onBar(bar);
  };
  return { execution, portfolio, barAt };
}

describe('execution engine order book', () => {
  it('keeps each resting order as placed while later orders reuse the pending slots', () => {
    const { execution, portfolio, barAt } = engineOn([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
      [100, 100, 100, 100],
    ]);
    const low = execution.place('buy', { type: 'limit', price: 80, quantity: 1 }, 0);
    const high = execution.place('sell', { type: 'stop', price: 90, quantity: 2 }, 0);
    barAt(1);
    const resting = execution.workingOrders.map((order) => ({ ...order }));
    expect(resting).toMatchObject([
      { id: low, type: 'limit', price: 80, quantity: 1, direction: 1 },
      { id: high, type: 'stop', price: 90, quantity: 2, direction: -1 },
    ]);
    // Two market orders through the same slots: the resting orders do not change.
    execution.place('buy', { quantity: 3 }, 1);
    barAt(2);
    execution.placeClose(2);
    barAt(3);
    expect(execution.workingOrders.map((order) => ({ ...order }))).toEqual(resting);
    expect(portfolio.trades).toHaveLength(1);
    expect(portfolio.trades[0]).toMatchObject({ lots: 3, entryBar: 2, exitBar: 3 });
  });

  it('cancels one pending order by id and releases the rest in the order they were placed', () => {
    const { execution, portfolio, barAt } = engineOn([
      [100, 100, 100, 100],
      [100, 100, 100, 100],
    ]);
    const first = execution.place('buy', { quantity: 1 }, 0);
    const second = execution.place('buy', { quantity: 2 }, 0);
    const third = execution.place('buy', { quantity: 4 }, 0);
    expect(execution.cancel(second)).toBe(true);
    expect(execution.cancel(second)).toBe(false);
    barAt(1);
    expect(portfolio.lots).toBe(5);
    expect(new Set([first, second, third]).size).toBe(3);
    expect(execution.idle).toBe(true);
  });
});
