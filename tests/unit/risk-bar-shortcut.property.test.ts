// A backtest with breakers skips the governor on bars where it would change nothing
// (core/backtest/quiet-bars.ts). Whatever the bars (calm or wild, with gaps across trading days),
// the breaker settings and the strategy, the run with the shortcut must be the run without it to
// the bit: the same trips at the same bars with the same values, the same trades, refusals and
// equity curve.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStrategyWithBreakers } from '../../core/backtest/breaker-run.ts';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import {
  simulationConfig,
  type EngineOutput,
  type SimulationConfig,
  type SimulationInput,
} from '../../core/backtest/engine.ts';
import type { OrderRequest } from '../../core/execution/order.ts';
import { breakerSettings, type BreakerSettings } from '../../core/risk/breaker-settings.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { rsiStrategy } from '../../core/strategies/rsi.ts';
import { defineStrategy, type Strategy, type StrategyParams } from '../../core/strategies/strategy.ts';
import { specArb } from '../support/backtest-arbitraries.ts';

/** Bars a minute to two days apart: cooldowns end, trading days turn, some mid-stretch. */
const gapArb = fc.oneof(
  { weight: 40, arbitrary: fc.constant(60) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 240 }).map((minutes) => minutes * 60) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 * 86_400 }) },
);

/**
 * A random walk in cents from a price high enough that a cent is a small move: calm series (most
 * bars skippable, equity drifting to new peaks and back) and wild ones (the volatility breaker trips).
 */
const barsArb = fc
  .record({
    start: fc.integer({ min: 50, max: 5_000 }),
    scale: fc.constantFrom(0.0002, 0.001, 0.004, 0.03),
    bars: fc.array(
      fc.record({
        change: fc.double({ min: -1, max: 1, noNaN: true }),
        // Now and then a jump in a calm series: the volatility breaker trips between quiet bars.
        jump: fc.oneof({ weight: 15, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(25) }),
        up: fc.double({ min: 0, max: 1, noNaN: true }),
        down: fc.double({ min: 0, max: 1, noNaN: true }),
        gap: gapArb,
      }),
      { minLength: 40, maxLength: 160 },
    ),
    offset: fc.integer({ min: 0, max: 86_400 }),
  })
  .map(({ start, scale, bars, offset }): CandleColumns => {
    const candles = allocateCandleColumns(bars.length);
    const cents = (value: number) => Math.max(0.01, Math.round(value * 100) / 100);
    let price = start;
    let time = 1_600_000_000 + offset;
    bars.forEach(({ change, jump, up, down, gap }, i) => {
      const open = cents(price);
      const close = cents(open * (1 + change * jump * scale));
      candles.time[i] = time;
      candles.open[i] = open;
      candles.close[i] = close;
      candles.high[i] = cents(Math.max(open, close) * (1 + up * scale));
      candles.low[i] = Math.min(open, close, cents(Math.min(open, close) * (1 - down * scale)));
      price = close;
      time += gap;
    });
    return candles;
  });

const percent = (min: number, max: number) => fc.double({ min, max, noNaN: true });
/** Limits a calm series reaches within a few bars as well as ones it never reaches. */
const limit = (max: number) => fc.oneof(percent(0.02, 0.5), percent(0.5, max));

const breakersArb: fc.Arbitrary<BreakerSettings> = fc
  .record({
    dailyLoss: fc.record({
      enabled: fc.boolean(),
      limitPct: limit(10),
      dayStart: fc.constantFrom('00:00', '09:30', '22:00'),
    }),
    lossStreak: fc.record({
      enabled: fc.boolean(),
      losses: fc.integer({ min: 1, max: 4 }),
      cooldownMinutes: fc.constantFrom(1, 30, 60, 600),
      scope: fc.constantFrom('account' as const, 'bot' as const, 'symbol' as const),
    }),
    volatility: fc.record({
      enabled: fc.boolean(),
      movePct: limit(5),
      calmBars: fc.integer({ min: 1, max: 6 }),
      measure: fc.constantFrom('close-to-close' as const, 'range' as const),
    }),
    maxDrawdown: fc.record({ enabled: fc.boolean(), limitPct: limit(30) }),
  })
  .map((settings) => breakerSettings(settings));

/** A script of market entries (some bracketed), closes and nothing, one step per bar. */
type Step = { kind: 'buy' | 'sell'; order: OrderRequest | undefined } | { kind: 'close' } | null;

/** Sparse scripts hold positions for long; dense ones keep asking while a trip refuses entries. */
const stepArb = (idle: number): fc.Arbitrary<Step> =>
  fc.oneof(
    { weight: idle, arbitrary: fc.constant(null) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constantFrom('buy' as const, 'sell' as const),
        // Unbracketed positions half the time: their equity moves on every bar they are held.
        order: fc.option(fc.record({ takeProfitPct: percent(0.05, 3), stopLossPct: percent(0.05, 3) }), {
          nil: undefined,
          freq: 2,
        }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'close' as const }) },
  );

function scripted(script: Step[]) {
  return defineStrategy({
    name: 'script',
    summary: 'random script',
    paramsSchema: undefined as never,
    init: () => null,
    onBar(i, ctx) {
      const step = script[i];
      if (step === null || step === undefined) return;
      if (step.kind === 'close') ctx.close();
      else if (step.kind === 'buy') ctx.buy(step.order);
      else ctx.sell(step.order);
    },
  });
}

/**
 * The engine tests' money settings, with costs small half the time: a fee of a few percent trips a
 * tight drawdown or daily-loss limit at the first entry, and the breakers' later life goes untested.
 */
const configArb = fc
  .tuple(specArb, fc.boolean(), fc.constantFrom(0, 0.00005, 0.0005), fc.constantFrom(0, 0.00002))
  .map(([spec, small, commission, slippage]): SimulationConfig => {
    const config = simulationConfig(spec);
    return small ? { ...config, fees: { commission, fixedFee: 0 }, slippage } : config;
  });

const strategyArb = fc.oneof(
  fc
    .constantFrom(1, 30)
    .chain((idle) => fc.array(stepArb(idle), { minLength: 160, maxLength: 160 }))
    .map((script) => ({
      strategy: scripted(script) as Strategy<StrategyParams, unknown>,
      params: {} as StrategyParams,
    })),
  fc
    .record({
      period: fc.integer({ min: 2, max: 14 }),
      lower: fc.integer({ min: 20, max: 45 }),
      upper: fc.integer({ min: 55, max: 80 }),
      takeProfitPct: percent(0.1, 3),
      stopLossPct: percent(0.1, 3),
    })
    .map((params) => ({
      strategy: rsiStrategy as unknown as Strategy<StrategyParams, unknown>,
      params: rsiStrategy.paramsSchema.parse(params) as StrategyParams,
    })),
);

function run(
  { strategy, params }: { strategy: Strategy<StrategyParams, unknown>; params: StrategyParams },
  input: SimulationInput,
  breakers: BreakerSettings,
  shortcut: boolean,
): EngineOutput {
  const output = runStrategyWithBreakers(strategy, params, input, breakers, { shortcut });
  // The equity buffer is the run's own: copy it before the next run could reuse anything.
  return { ...output, equity: Float64Array.from(output.equity) };
}

/** One-minute bars that open at the previous close and close at each of `closes`. */
function barsOf(closes: number[]): CandleColumns {
  const candles = allocateCandleColumns(closes.length);
  closes.forEach((price, i) => {
    const open = closes[i - 1] ?? price;
    candles.time[i] = 1_600_000_000 + i * 60;
    candles.open[i] = open;
    candles.close[i] = price;
    candles.high[i] = Math.max(open, price);
    candles.low[i] = Math.min(open, price);
  });
  return candles;
}

/** A script run all-in without costs, with the shortcut and without. */
function both(candles: CandleColumns, script: Step[], breakers: BreakerSettings) {
  const spec = backtestSpecSchema.parse({ strategy: 'script', commission: 0 });
  const input: SimulationInput = { candles, series: {}, config: simulationConfig(spec), ticker: null };
  const strategy = { strategy: scripted(script) as Strategy<StrategyParams, unknown>, params: {} };
  return { skipping: run(strategy, input, breakers, true), plain: run(strategy, input, breakers, false) };
}

describe('backtest breakers: skipping quiet bars', () => {
  it('gives the same trips, trades, refusals and equity as showing the governor every bar', () => {
    fc.assert(
      fc.property(barsArb, configArb, breakersArb, strategyArb, (candles, config, breakers, strategy) => {
        const input: SimulationInput = { candles, series: {}, config, ticker: null };
        const skipping = run(strategy, input, breakers, true);
        const plain = run(strategy, input, breakers, false);
        expect(skipping.breakerTrips).toEqual(plain.breakerTrips);
        for (let i = 0; i < candles.close.length; i++)
          expect(Object.is(skipping.equity[i], plain.equity[i]), `equity at bar ${i}`).toBe(true);
        expect(skipping.trades).toEqual(plain.trades);
        expect(skipping.rejections).toEqual(plain.rejections);
        expect(skipping.openPosition).toEqual(plain.openPosition);
        expect(skipping.cash).toBe(plain.cash);
      }),
      { numRuns: 500 },
    );
  });

  it('measures a spike from the bar before it while a halt refuses an entry on every bar', () => {
    // Long at 100, down 2 % (the 1 % drawdown limit halts the account), out, then an entry asked for
    // on every bar (each refused) while the price drifts up 0.5 % a bar, and a 5 % spike at bar 30.
    const closes = [100, 100, 100, 99.4, 98.8, 98, 98, 98];
    while (closes.length < 30) closes.push(Math.round(closes.at(-1)! * 1.005 * 100) / 100);
    closes.push(Math.round(closes.at(-1)! * 1.05 * 100) / 100);
    while (closes.length < 40) closes.push(closes.at(-1)!);
    const candles = barsOf(closes);
    const script: Step[] = closes.map((_, i) =>
      i === 1
        ? { kind: 'buy', order: undefined }
        : i === 6
          ? { kind: 'close' }
          : i > 7
            ? { kind: 'buy', order: undefined }
            : null,
    );
    const breakers = breakerSettings({ maxDrawdown: { limitPct: 1 }, lossStreak: { enabled: false } });
    const { skipping, plain } = both(candles, script, breakers);
    const spike = plain.breakerTrips!.find((t) => t.breaker === 'volatility');
    expect(plain.breakerTrips![0]!.breaker).toBe('max-drawdown');
    expect(spike!.bar).toBe(30);
    expect(spike!.values.movePct).toBeCloseTo(5, 1);
    expect(plain.rejections['trading-halted']).toBeGreaterThan(20);
    expect(skipping.breakerTrips).toEqual(plain.breakerTrips);
    expect(skipping.rejections).toEqual(plain.rejections);
  });

  it('measures a drawdown from the top of a climb held between trades', () => {
    // Flat for 5 bars, long from bar 6 as the price climbs 0.1 % a bar to bar 30, then falls.
    const closes = [100];
    for (let i = 1; i < 80; i++)
      closes.push(i <= 5 ? 100 : Math.round(closes.at(-1)! * (i <= 30 ? 1.001 : 0.999) * 100) / 100);
    const script: Step[] = closes.map((_, i) => (i === 5 ? { kind: 'buy', order: undefined } : null));
    const { skipping, plain } = both(
      barsOf(closes),
      script,
      breakerSettings({ maxDrawdown: { limitPct: 1 } }),
    );
    const trip = plain.breakerTrips!.find((t) => t.breaker === 'max-drawdown');
    // The peak is the top of the climb (bar 30), not the equity when the position opened.
    expect(trip!.values.peak).toBe(plain.equity[30]);
    expect(trip!.bar).toBeGreaterThan(30);
    expect(skipping.breakerTrips).toEqual(plain.breakerTrips);
  });
});
