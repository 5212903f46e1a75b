// A backtest whose equity reaches zero stops trading, visibly, instead of going on below zero: the
// position is closed at the ruined close, nothing trades afterwards, and both paths (kernel and
// strategy-object API) agree.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';

function candlesOf(prices: number[]): CandleColumns {
  const candles = allocateCandleColumns(prices.length);
  for (let i = 0; i < prices.length; i++) {
    const open = i === 0 ? prices[0]! : prices[i - 1]!;
    candles.time[i] = 1_700_000_000 + i * 86_400;
    candles.open[i] = open;
    candles.close[i] = prices[i]!;
    candles.high[i] = Math.max(open, prices[i]!) + 0.25;
    candles.low[i] = Math.min(open, prices[i]!) - 0.25;
    candles.volume[i] = 1;
  }
  return candles;
}

// Up, down far enough for sma-cross to short with everything, a jump past twice the entry, then a
// climb and a fall that would have kept trading (and losing) had the account not been stopped.
const prices = [
  ...Array.from({ length: 20 }, (_, i) => 100 + i),
  ...Array.from({ length: 30 }, (_, i) => 118 - 2 * i),
  ...Array.from({ length: 30 }, (_, i) => 235 + i),
  ...Array.from({ length: 40 }, (_, i) => 264 - 3 * i),
];
const candles = candlesOf(prices);
const spec = { strategy: 'sma-cross', params: { fast: 5, slow: 12 } };

describe('ruin in a backtest', () => {
  it('closes the position at the first close with equity at or below zero and trades no more', () => {
    const result = runBacktest(candles, spec);
    const ruin = result.ruin!;
    expect(ruin).not.toBeNull();
    expect(ruin.equity).toBeLessThanOrEqual(0);
    expect(ruin.time).toBe(candles.time[ruin.bar]);
    const last = result.trades.at(-1)!;
    expect(last.exitReason).toBe('ruin');
    expect(last.exitBar).toBe(ruin.bar);
    expect(result.trades.every((trade) => trade.exitBar <= ruin.bar)).toBe(true);
    expect(result.openTrade).toBeNull();
    const after = result.equity.equity.slice(ruin.bar);
    expect(new Set(after).size).toBe(1);
    expect(result.metrics.finalEquity).toBe(after[0]);
  });

  it('stops at the same bar with the same figures on the kernel and the strategy-object API', () => {
    const kernel = runBacktest(candles, spec, { mode: 'kernel' });
    const api = runBacktest(candles, spec, { mode: 'api' });
    expect(api.ruin).toEqual(kernel.ruin);
    expect(api.trades).toEqual(kernel.trades);
    expect(api.metrics).toEqual(kernel.metrics);
  });

  it('leaves a run whose equity stays above zero untouched', () => {
    const calm = candlesOf(Array.from({ length: 300 }, (_, i) => 100 + 5 * Math.sin(i / 6)));
    const result = runBacktest(calm, spec);
    expect(result.ruin).toBeNull();
    expect(result.trades.length).toBeGreaterThan(5);
  });
});
