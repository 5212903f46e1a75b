// The live path's strategy context: the same strategy objects as backtests, fed one bar at a time,
// with streaming indicators equal to the batch ones, and no way to read a bar that has not closed.
import { describe, expect, it } from 'vitest';
import { sma } from '../../core/indicators/sma.ts';
import { rsi } from '../../core/indicators/rsi.ts';
import { LiveStrategy } from '../../core/runtime/live-strategy.ts';
import { LiveContext } from '../../core/runtime/live-context.ts';
import { LiveSeries, LookAheadError } from '../../core/strategies/live-series.ts';
import { rsiStrategy } from '../../core/strategies/rsi.ts';
import { smaCross } from '../../core/strategies/sma-cross.ts';
import { defineStrategy } from '../../core/strategies/strategy.ts';
import { z } from 'zod';

function bars(n: number) {
  const out = [];
  let price = 100;
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(1, price + Math.sin(i / 7) * 2 + Math.cos(i / 3));
    out.push({
      time: 1_700_000_000 + i * 3600,
      open,
      high: Math.max(open, price) + 0.5,
      low: Math.min(open, price) - 0.5,
      close: price,
      volume: 1,
    });
  }
  return out;
}

const noParams = z.strictObject({});

describe('live series', () => {
  it('reads what has arrived and throws LookAheadError one bar further, naming the series', () => {
    const series = new LiveSeries('candles.close');
    series.push(1);
    series.push(2);
    expect(series.view[1]).toBe(2);
    expect(series.view.length).toBe(2);
    expect(() => series.view[2]).toThrow(LookAheadError);
    expect(() => series.view[2]).toThrow(/candles\.close\[2\] was read on bar 1/);
    expect(Array.from(series.view.subarray(0))).toEqual([1, 2]);
  });
});

describe('a strategy on the live path', () => {
  it('streams the built-in indicators bit for bit equal to the batch ones', () => {
    const data = bars(400);
    const close = Float64Array.from(data, (b) => b.close);
    const cross = new LiveStrategy(smaCross, { fast: 10, slow: 20 });
    const osc = new LiveStrategy(rsiStrategy, { period: 14, lower: 30, upper: 70 });
    const fast = sma(close, 10);
    const slow = sma(close, 20);
    const batchRsi = rsi(close, 14);
    for (const bar of data) {
      const i = cross.push(bar);
      osc.push(bar);
      expect(Object.is(cross.indicators.fast[i], fast[i])).toBe(true);
      expect(Object.is(cross.indicators.slow[i], slow[i])).toBe(true);
      expect(Object.is(osc.indicators.rsi[i], batchRsi[i])).toBe(true);
    }
  });

  it('fails with LookAheadError when onBar reads the next bar, which a backtest would have let through', () => {
    const peeker = defineStrategy({
      name: 'peeker',
      summary: 'buys when tomorrow closes higher',
      paramsSchema: noParams,
      init: () => null,
      onBar(i, ctx) {
        if (ctx.candles.close[i + 1]! > ctx.candles.close[i]!) ctx.buy();
      },
    });
    const live = new LiveStrategy(peeker, {});
    const ctx = new LiveContext(live.candles, {}, live.indicators);
    const i = live.push(bars(1)[0]!);
    expect(() => live.onBar(i, ctx)).toThrow(LookAheadError);
  });

  it('fails with LookAheadError when an indicator of a strategy without stream() is read ahead', () => {
    const ahead = defineStrategy({
      name: 'ahead',
      summary: 'reads its own indicator one bar ahead',
      paramsSchema: noParams,
      init: ({ candles }) => ({ mean: sma(candles.close, 3) }),
      onBar(i, ctx) {
        if (ctx.indicators.mean[i + 1]! > 0) ctx.buy();
      },
    });
    const live = new LiveStrategy(ahead, {});
    const data = bars(5);
    for (let k = 0; k < 4; k++) live.push(data[k]!);
    const ctx = new LiveContext(live.candles, {}, live.indicators);
    // The fallback recomputes init() over the bars so far: the value of bar 3 is there, bar 4's is not.
    expect(live.indicators.mean[3]).toBeCloseTo((data[1]!.close + data[2]!.close + data[3]!.close) / 3, 10);
    expect(() => live.onBar(3, ctx)).toThrow(/indicators\.mean\[4\]/);
  });
});
