// An account too small for one lot: every rsi entry signal is refused, and the kernel (which skips
// such stretches in one step) must report exactly what the strategy-object path reports.
import { describe, expect, it } from 'vitest';
import { simulationConfig } from '../../core/backtest/engine.ts';
import { openBlockMinima, rsiKernel } from '../../core/backtest/kernels/rsi-kernel.ts';
import { metricsFromStats } from '../../core/backtest/metrics.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { rsi } from '../../core/indicators/rsi.ts';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';

const candles = syntheticMinuteCandles(20_000, 7);

describe('rsi kernel with an account too small for one lot', () => {
  it('refuses every entry signal, counts each, and matches the strategy-object path', () => {
    const spec = {
      strategy: 'rsi',
      params: { period: 14, lower: 45, upper: 55 },
      cash: 50,
      commission: 0.001,
    };
    const kernel = runBacktest(candles, spec, { mode: 'kernel' });
    const api = runBacktest(candles, spec, { mode: 'api' });
    const series = rsi(candles.close, 14);
    let signals = 0;
    // A signal on bar i fills on bar i + 1, so the last bar's signal never reaches the venue.
    for (let i = 0; i < series.length - 1; i++) if (series[i]! < 45) signals++;
    expect(signals).toBeGreaterThan(1000);
    expect(kernel.metrics.trades).toBe(0);
    expect(kernel.rejections).toEqual([expect.objectContaining({ code: 'zero-quantity', count: signals })]);
    expect(kernel.rejections).toEqual(api.rejections);
    expect(kernel.metrics).toEqual(api.metrics);
  });

  it('starts trading where the price falls low enough to afford a lot, like the strategy-object path', () => {
    // Cash for about one share at the series' lowest prices: some entries fill, the rest are refused.
    let lowest = Infinity;
    for (const price of candles.open) lowest = Math.min(lowest, price);
    const spec = {
      strategy: 'rsi',
      params: { period: 14, lower: 40, upper: 60 },
      cash: lowest * 1.02,
      commission: 0.001,
    };
    const kernel = runBacktest(candles, spec, { mode: 'kernel' });
    const api = runBacktest(candles, spec, { mode: 'api' });
    expect(kernel.trades).toEqual(api.trades);
    expect(kernel.rejections).toEqual(api.rejections);
    expect(kernel.metrics).toEqual(api.metrics);
  });

  it('in summary mode skips blocks no open of which is cheap enough, with the same metrics as a full run', () => {
    // 100 k bars: accounts that shrink below one lot early and refuse entries for most of the run.
    // (Sized to stay well inside the test timeout on a loaded 2-core machine: 48 full runs.)
    const long = syntheticMinuteCandles(100_000, 5);
    const series = rsi(long.close, 14);
    const openBlockMin = openBlockMinima(long.open);
    let refusing = 0;
    for (const slippage of [0, 0.001]) {
      for (const cash of [10_000, 500, 150]) {
        const spec = backtestSpecSchema.parse({ strategy: 'rsi', commission: 0.001, cash, slippage });
        const config = simulationConfig(spec);
        for (let lower = 10; lower < 50; lower += 12) {
          for (let upper = 51; upper <= 90; upper += 13) {
            const inputs = {
              rsi: series,
              lower,
              upper,
              bracket: {},
              sentiment: null,
              minSentiment: -Infinity,
            };
            const full = runBacktest(long, { ...spec, params: { period: 14, lower, upper } });
            const summary = rsiKernel(long, { ...inputs, openBlockMin }, config, 'summary');
            const metrics = metricsFromStats(
              { time: long.time, close: long.close, startEquity: cash, commissions: summary.commissions },
              summary.equity,
              summary.trades,
            );
            expect(metrics).toEqual(full.metrics);
            if (full.rejections.some((r) => r.code === 'zero-quantity' && r.count > 5_000)) refusing++;
          }
        }
      }
    }
    // The case the skip is for must be well represented.
    expect(refusing).toBeGreaterThanOrEqual(8);
  });
});
