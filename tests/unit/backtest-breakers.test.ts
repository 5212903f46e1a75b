// Backtests with circuit breakers (issue #12): the same governor the order path consults, on the
// bars' clock. Breakers that never trip change nothing (the run is the kernel's, trade for trade);
// a trip is listed with its bar, breaker and values, and no entry opens while it holds; the kernels
// refuse breakers rather than ignore them, and a run asking for the kernel hands over to the engine.
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { simulationConfig } from '../../core/backtest/engine.ts';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { AutobotError } from '../../core/contract/errors.ts';
import { breakerSettings } from '../../core/risk/breaker-settings.ts';
import { getStrategy } from '../../core/strategies/registry.ts';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';

const candles = syntheticMinuteCandles(20_000, 7);
const base = {
  strategy: 'rsi',
  params: { period: 14, lower: 30, upper: 70, takeProfitPct: 0.3, stopLossPct: 0.2 },
  commission: 0.001,
};
/** Every breaker on, none able to trip on this series. */
const never = {
  dailyLoss: { limitPct: 100 },
  lossStreak: { losses: 100_000 },
  volatility: { movePct: 100 },
  maxDrawdown: { limitPct: 100 },
};

describe('backtest with circuit breakers', () => {
  it('breakers that never trip leave the run exactly as the kernel makes it', () => {
    const off = runBacktest(candles, base);
    const on = runBacktest(candles, { ...base, breakers: never });
    expect(off.trades.length).toBeGreaterThan(100);
    expect(on.trades).toEqual(off.trades);
    expect(on.equity.equity).toEqual(off.equity.equity);
    expect(on.breakerTrips).toEqual([]);
    expect(off.breakerTrips).toEqual([]);
    expect(off.spec.breakers).toBeUndefined();
  });

  it('lists each trip with its bar, breaker and values, and opens nothing while it holds', () => {
    const breakers = { lossStreak: { losses: 2, cooldownMinutes: 120 }, volatility: { enabled: false } };
    const result = runBacktest(candles, { ...base, breakers });
    const trips = result.breakerTrips!;
    expect(trips.length).toBeGreaterThan(0);
    const first = trips[0]!;
    expect(first).toMatchObject({
      breaker: 'loss-streak',
      state: 'reducing',
      values: { losses: 2, limit: 2 },
    });
    expect(first.time).toBe(candles.time[first.bar]);
    // The cooldown: 120 minutes of bar time, during which no entry fills.
    expect(first.until).toBe(first.time + 120 * 60);
    for (const trip of trips.filter((t) => t.breaker === 'loss-streak')) {
      const held = result.trades.filter(
        (trade) => trade.entryTime > trip.time && trade.entryTime < trip.until!,
      );
      expect(held).toEqual([]);
    }
    expect(result.rejections).toContainEqual(expect.objectContaining({ code: 'trading-halted' }));
    // Fewer trades than without the breaker: the cooldowns kept the strategy out.
    expect(result.trades.length).toBeLessThan(runBacktest(candles, base).trades.length);
  });

  it('a maximum drawdown halts the rest of the run: nothing enters after the trip', () => {
    const result = runBacktest(candles, {
      ...base,
      commission: 0.01,
      breakers: {
        maxDrawdown: { limitPct: 10 },
        lossStreak: { enabled: false },
        volatility: { enabled: false },
      },
    });
    const trip = result.breakerTrips!.find((t) => t.breaker === 'max-drawdown');
    expect(trip).toMatchObject({ state: 'halted', until: null });
    expect(trip!.values.drawdownPct).toBeGreaterThanOrEqual(10);
    expect(result.trades.filter((trade) => trade.entryBar > trip!.bar)).toEqual([]);
  });

  it('the fast kernel refuses breakers instead of ignoring them; a kernel-mode run hands over to the engine', () => {
    const spec = backtestSpecSchema.parse({ ...base, breakers: {} });
    const prepared = getStrategy('rsi').prepare(spec.params);
    const input = {
      candles,
      series: {},
      config: simulationConfig(spec),
      ticker: null,
      breakers: breakerSettings({}),
    };
    expect(() => prepared.kernel!(input)).toThrow(AutobotError);
    expect(() => prepared.kernel!(input)).toThrow(/kernel cannot apply circuit breakers/);
    const handedOver = runBacktest(
      candles,
      { ...base, breakers: { lossStreak: { losses: 2 } } },
      { mode: 'kernel' },
    );
    expect(handedOver.breakerTrips!.length).toBeGreaterThan(0);
  });

  it('refuses a bad breaker setting naming the field', () => {
    expect(() => runBacktest(candles, { ...base, breakers: { volatility: { calmBars: 0 } } })).toThrow(
      'breakers.volatility.calmBars: must be at least 1',
    );
  });
});
