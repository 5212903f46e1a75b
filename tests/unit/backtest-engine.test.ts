// The default fill rules and the money arithmetic, each on a few hand-made bars worked out by hand.
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { runStrategy, simulationConfig, type EngineOutput } from '../../core/backtest/engine.ts';
import { computeMetrics } from '../../core/backtest/metrics.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { backtestSpecSchema, type BacktestSpecInput } from '../../core/backtest/spec.ts';
import { AutobotError } from '../../core/contract/errors.ts';
import type { OrderRequest } from '../../core/execution/order.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { defineStrategy, type StrategyContext } from '../../core/strategies/strategy.ts';

type Bar = [open: number, high: number, low: number, close: number];
const day = 86_400;

function candles(bars: Bar[]): CandleColumns {
  const columns = allocateCandleColumns(bars.length);
  bars.forEach(([open, high, low, close], i) => {
    columns.time[i] = 1_700_006_400 + i * day;
    columns.open[i] = open;
    columns.high[i] = high;
    columns.low[i] = low;
    columns.close[i] = close;
  });
  return columns;
}

/** Flat bars at `price`, for padding. */
const flat = (price: number): Bar => [price, price, price, price];

type Action = (ctx: StrategyContext<Record<string, never>, null>) => void;

/** A strategy that does what the script says on the close of the given bars. */
function scripted(script: Record<number, Action>) {
  return defineStrategy({
    name: 'scripted',
    summary: 'test script',
    paramsSchema: z.object({}) as unknown as z.ZodType<Record<string, never>>,
    init: () => null,
    onBar(i, ctx) {
      script[i]?.(ctx);
    },
  });
}

function run(
  bars: Bar[],
  script: Record<number, Action>,
  spec: Partial<BacktestSpecInput> = {},
): EngineOutput {
  // Cost-free unless a test names a cost, so the hand-worked figures stay readable.
  const config = simulationConfig(backtestSpecSchema.parse({ strategy: 'scripted', commission: 0, ...spec }));
  return runStrategy(scripted(script), {}, { candles: candles(bars), series: {}, config, ticker: null });
}

const buy =
  (order?: OrderRequest): Action =>
  (ctx) =>
    ctx.buy(order);
const sell =
  (order?: OrderRequest): Action =>
  (ctx) =>
    ctx.sell(order);
const close: Action = (ctx) => ctx.close();

describe('default fill rules', () => {
  it('fills a signal from bar i’s close at bar i + 1’s open', () => {
    const out = run(
      [flat(100), [101, 103, 100, 102], [104, 106, 103, 105], [107, 108, 106, 107], flat(107)],
      { 0: buy({ quantity: 10 }), 2: close },
      { cash: 10_000 },
    );
    expect(out.trades).toHaveLength(1);
    expect(out.trades[0]).toMatchObject({
      direction: 1,
      lots: 10,
      entryBar: 1,
      entryPrice: 101,
      exitBar: 3,
      exitPrice: 107,
      pnl: 60,
      exitReason: 'signal',
    });
    // Marked at each close: 10,000 until the fill, then cash 8,990 + 10 × close.
    expect(Array.from(out.equity)).toEqual([10_000, 10_010, 10_040, 10_060, 10_060]);
  });

  it('shows the strategy its position, cash and equity after each bar’s fills', () => {
    const seen: [number, number, number][] = [];
    const look: Action = (ctx) => void seen.push([ctx.position, ctx.cash, ctx.equity]);
    const out = run(
      [flat(100), [101, 103, 100, 102], [104, 106, 103, 105], [107, 108, 106, 107], flat(107)],
      {
        0: (ctx) => (look(ctx), ctx.buy({ quantity: 10 })),
        1: look,
        2: (ctx) => (look(ctx), ctx.close()),
        3: look,
        4: look,
      },
      { cash: 10_000 },
    );
    expect(seen).toEqual([
      [0, 10_000, 10_000],
      [10, 8_990, 10_010],
      [10, 8_990, 10_040],
      [0, 10_060, 10_060],
      [0, 10_060, 10_060],
    ]);
    expect(seen.map(([, , equity]) => equity)).toEqual(Array.from(out.equity));
  });

  it('fills a signal exit on the next bar although the bar cannot touch the bracket', () => {
    // Narrow bars far from the bracket: the engine may skip them for the bracket, never for an order.
    const quiet = (price: number): Bar => [price, price + 0.5, price - 0.5, price];
    const out = run(
      [flat(100), quiet(100), quiet(101), quiet(102), quiet(103)],
      { 0: buy({ quantity: 10, stopLossPct: 50, takeProfitPct: 50 }), 2: close },
      { cash: 10_000 },
    );
    expect(out.trades).toEqual([
      expect.objectContaining({ entryBar: 1, exitBar: 3, exitPrice: 102, exitReason: 'signal' }),
    ]);
  });

  it('a reversal closes the position and opens the opposite one at the same open', () => {
    const out = run([flat(100), flat(100), flat(110), [120, 121, 119, 120], flat(100)], {
      0: buy(),
      2: sell(),
    });
    // All-in long: 100 shares at 100. At bar 3's open (120) it is sold, then 10,000 + 2,000 buys 100 short.
    expect(out.trades).toEqual([
      expect.objectContaining({
        direction: 1,
        lots: 100,
        entryBar: 1,
        exitBar: 3,
        exitPrice: 120,
        pnl: 2_000,
      }),
    ]);
    expect(out.openPosition).toMatchObject({ direction: -1, lots: 100, entryBar: 3, entryPrice: 120 });
    expect(out.equity[4]).toBe(12_000 + 100 * 20); // the short gained 20 a share by bar 4's close
  });

  it('assumes the stop-loss first when one bar reaches both stop-loss and take-profit', () => {
    const out = run(
      [flat(100), flat(100), [100, 106, 94, 100], flat(100)],
      { 0: buy({ quantity: 1, stopLoss: 95, takeProfit: 105 }) },
      { cash: 1_000 },
    );
    expect(out.trades[0]).toMatchObject({ exitBar: 2, exitPrice: 95, exitReason: 'stop-loss', pnl: -5 });
  });

  it('takes profit at the take-profit price when only it is reached', () => {
    const out = run([flat(100), flat(100), [100, 106, 99, 100]], {
      0: buy({ quantity: 1, stopLoss: 95, takeProfit: 105 }),
    });
    expect(out.trades[0]).toMatchObject({ exitPrice: 105, exitReason: 'take-profit' });
  });

  it('checks the bracket of a market entry on its own entry bar', () => {
    const out = run([flat(100), [100, 100, 90, 95]], { 0: buy({ quantity: 1, stopLossPct: 5 }) });
    expect(out.trades[0]).toMatchObject({ entryBar: 1, exitBar: 1, exitPrice: 95, exitReason: 'stop-loss' });
  });

  it('fills a stop-loss at the open when the bar gaps through it', () => {
    const out = run([flat(100), flat(100), [90, 92, 88, 91]], { 0: buy({ quantity: 1, stopLoss: 95 }) });
    expect(out.trades[0]).toMatchObject({ exitPrice: 90, exitReason: 'stop-loss' });
  });

  it('fills limit orders at their price, or at the open when the bar gaps through', () => {
    const touched = run([flat(100), [100, 101, 89, 95], flat(95)], {
      0: buy({ type: 'limit', price: 90, quantity: 1 }),
    });
    expect(touched.openPosition).toMatchObject({ entryBar: 1, entryPrice: 90 });
    const gapped = run([flat(100), [85, 87, 84, 86], flat(86)], {
      0: buy({ type: 'limit', price: 90, quantity: 1 }),
    });
    expect(gapped.openPosition).toMatchObject({ entryBar: 1, entryPrice: 85 });
    const waiting = run([flat(100), flat(95), [94, 94, 89, 92]], {
      0: buy({ type: 'limit', price: 90, quantity: 1 }),
    });
    expect(waiting.openPosition).toMatchObject({ entryBar: 2, entryPrice: 90 });
  });

  it('fills stop orders at their price, or at the open when the bar gaps through', () => {
    const touched = run([flat(100), [105, 111, 104, 108], flat(108)], {
      0: buy({ type: 'stop', price: 110, quantity: 1 }),
    });
    expect(touched.openPosition).toMatchObject({ entryBar: 1, entryPrice: 110 });
    const gapped = run([flat(100), [112, 115, 111, 114], flat(114)], {
      0: buy({ type: 'stop', price: 110, quantity: 1 }),
    });
    expect(gapped.openPosition).toMatchObject({ entryBar: 1, entryPrice: 112 });
    const sellStop = run([flat(100), [96, 97, 93, 94], flat(94)], {
      0: sell({ type: 'stop', price: 95, quantity: 1 }),
    });
    expect(sellStop.openPosition).toMatchObject({ direction: -1, entryPrice: 95 });
  });

  it('makes money on a short when the price falls', () => {
    const out = run(
      [flat(100), flat(100), flat(90), flat(90)],
      { 0: sell({ quantity: 10 }), 1: close },
      { cash: 5_000 },
    );
    expect(out.trades[0]).toMatchObject({ direction: -1, entryPrice: 100, exitPrice: 90, pnl: 100 });
    expect(out.cash).toBe(5_100);
    // While short: cash 6,000 (5,000 + proceeds), equity = 6,000 − 10 × close.
    expect(Array.from(out.equity)).toEqual([5_000, 5_000, 5_100, 5_100]);
  });

  it('keeps a position open at the end out of the trades, marked to the last close', () => {
    const bars: Bar[] = [flat(100), flat(100), flat(120)];
    const out = run(bars, { 0: buy({ quantity: 10 }) }, { cash: 2_000, commission: 0.01 });
    expect(out.trades).toEqual([]);
    expect(out.openPosition).toMatchObject({ lots: 10, entryPrice: 100, commission: 10 });
    expect(out.equity[2]).toBeCloseTo(2_000 - 1_000 - 10 + 1_200, 9);

    const closed = run(
      bars,
      { 0: buy({ quantity: 10 }) },
      { cash: 2_000, commission: 0.01, closeAtEnd: true },
    );
    expect(closed.openPosition).toBeNull();
    expect(closed.trades[0]).toMatchObject({ exitBar: 2, exitPrice: 120, exitReason: 'end' });
    expect(closed.trades[0]!.pnl).toBeCloseTo(200 - 10 - 12, 9);
    expect(closed.equity[2]).toBeCloseTo(2_000 + 200 - 22, 9);
  });
});

// A strategy's commands reach the execution engine when its onBar returns (bar-context.ts); the
// strategy must not be able to tell.
describe('order commands', () => {
  it('acts on the commands of one bar in the order they were given', () => {
    const bars: Bar[] = [flat(100), flat(100), [100, 101, 89, 95], flat(95)];
    const limit = { type: 'limit', price: 90, quantity: 1 } as const;
    // The limit rests from bar 1; bar 1's cancelAll withdraws it before the market buy is placed.
    const cancelThenBuy = run(bars, {
      0: buy(limit),
      1: (ctx) => {
        ctx.cancelAll();
        ctx.buy({ quantity: 2 });
      },
    });
    expect(cancelThenBuy.openPosition).toMatchObject({ lots: 2, entryBar: 2, entryPrice: 100 });
    // The other way round the cancel withdraws both.
    const buyThenCancel = run(bars, {
      0: buy(limit),
      1: (ctx) => {
        ctx.buy({ quantity: 2 });
        ctx.cancelAll();
      },
    });
    expect(buyThenCancel.openPosition).toBeNull();
    expect(buyThenCancel.trades).toEqual([]);
  });

  it('answers each order with its own id at once', () => {
    const ids: number[] = [];
    run([flat(100), flat(100), flat(100)], {
      0: (ctx) => {
        ids.push(
          ctx.buy({ type: 'limit', price: 50, quantity: 1 }),
          ctx.sell({ type: 'stop', price: 40, quantity: 1 }),
        );
      },
      1: (ctx) => {
        ids.push(ctx.close());
      },
    });
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('refuses a limit order without a price inside onBar, where the strategy can catch it', () => {
    const caught: unknown[] = [];
    const out = run([flat(100), flat(100), flat(100)], {
      0: (ctx) => {
        try {
          ctx.buy({ type: 'limit', quantity: 1 });
        } catch (error) {
          caught.push(error);
        }
      },
    });
    expect(caught).toHaveLength(1);
    expect(String(caught[0])).toContain('a limit order needs a positive price');
    expect(out.openPosition).toBeNull();
  });
});

describe('costs', () => {
  it('charges commission, fixed fee and slippage as worked out by hand', () => {
    // Buy 10 at open 100 with 1 % slippage → 101; value 1,010; fee 1,010 × 0.001 + 1 = 2.01.
    // Sell at open 110 → 108.9; value 1,089; fee 1.089 + 1 = 2.089.
    const out = run(
      [flat(100), flat(100), flat(110), flat(110)],
      { 0: buy({ quantity: 10 }), 1: close },
      { cash: 10_000, commission: 0.001, fixedFee: 1, slippage: 0.01 },
    );
    const trade = out.trades[0]!;
    expect(trade.entryPrice).toBeCloseTo(101, 12);
    expect(trade.exitPrice).toBeCloseTo(108.9, 12);
    expect(trade.commission).toBeCloseTo(2.01 + 2.089, 12);
    expect(trade.pnl).toBeCloseTo((108.9 - 101) * 10 - 4.099, 9); // 74.901
    expect(out.cash).toBeCloseTo(10_000 - 1_010 - 2.01 + 1_089 - 2.089, 9); // 10,074.901
    expect(out.commissions).toBeCloseTo(4.099, 12);
    expect(out.equity[1]).toBeCloseTo(10_000 - 1_010 - 2.01 + 10 * 100, 9); // marked at close 100
  });

  it('moves stop-loss fills by the slippage but fills take-profit at its limit', () => {
    const stopped = run(
      [flat(100), flat(100), [100, 100, 90, 95]],
      { 0: buy({ quantity: 1, stopLoss: 95 }) },
      {
        slippage: 0.01,
      },
    );
    expect(stopped.trades[0]!.exitPrice).toBeCloseTo(95 * 0.99, 12);
    const took = run(
      [flat(100), flat(100), [100, 110, 99, 105]],
      { 0: buy({ quantity: 1, takeProfit: 105 }) },
      {
        slippage: 0.01,
      },
    );
    expect(took.trades[0]!.exitPrice).toBe(105);
  });
});

describe('sizing', () => {
  const bars: Bar[] = [flat(100), flat(100), flat(100)];
  const entryLots = (spec: Partial<BacktestSpecInput>, order?: OrderRequest) =>
    run(bars, { 0: buy(order) }, { cash: 10_000, commission: 0.002, ...spec }).openPosition?.lots ?? 0;

  it('all-in buys floor(equity / (price × (1 + commission))) lots', () => {
    expect(entryLots({})).toBe(99);
  });

  it('fraction spends that share of equity', () => {
    expect(entryLots({ sizing: { mode: 'fraction', fraction: 0.5 } })).toBe(49); // 5,000 / 100.2
  });

  it('fixed buys the quantity, rounded down to the lot', () => {
    expect(entryLots({ sizing: { mode: 'fixed', quantity: 7.9 } })).toBe(7);
    expect(entryLots({ sizing: { mode: 'fixed', quantity: 0.35 }, lotSize: 0.1 })).toBe(3);
  });

  it('risk-per-trade risks that fraction of equity down to the stop', () => {
    // 1 % of 10,000 = 100 at risk; stop 2 % below 100 = 2 a share → 50 shares.
    expect(entryLots({ sizing: { mode: 'risk', riskFraction: 0.01 } }, { stopLossPct: 2 })).toBe(50);
    // Never more than all-in: 10 % risk with a 1 % stop would want 1,000 shares.
    expect(entryLots({ sizing: { mode: 'risk', riskFraction: 0.1 } }, { stopLossPct: 1 })).toBe(99);
  });

  it('refuses risk-per-trade sizing without a stop-loss, and orders beyond the equity', () => {
    const noStop = run(bars, { 0: buy() }, { sizing: { mode: 'risk', riskFraction: 0.01 } });
    expect(noStop.openPosition).toBeNull();
    expect(noStop.rejections['needs-stop-loss']).toBe(1);
    const tooBig = run(bars, { 0: buy({ quantity: 1_000 }) }, { cash: 10_000 });
    expect(tooBig.openPosition).toBeNull();
    expect(tooBig.rejections['insufficient-equity']).toBe(1);
    const tooSmall = run(bars, { 0: buy() }, { cash: 50 });
    expect(tooSmall.rejections['zero-quantity']).toBe(1);
  });
});

describe('metrics', () => {
  it('computes the trade figures from closed trades in money', () => {
    const bars: Bar[] = [flat(100), flat(100), flat(110), flat(110), flat(105), flat(100), flat(100)];
    const out = run(bars, { 0: buy({ quantity: 10 }), 1: close, 2: buy({ quantity: 10 }), 4: close });
    const metrics = computeMetrics(candles(bars), out.equity, out.trades, 10_000, out.commissions);
    // Trade 1: +100 (100 → 110); trade 2: 110 → 100 = −100.
    expect(metrics).toMatchObject({ trades: 2, winRatePct: 50, profitFactor: 1, expectancy: 0 });
    expect(metrics.bestTradePct).toBeCloseTo(10, 12);
    expect(metrics.worstTradePct).toBeCloseTo((-100 / 1_100) * 100, 12);
    // Exposure: bars 1–2 and 3–5 (entry bar through exit bar) of 7.
    expect(metrics.exposurePct).toBeCloseTo((5 / 7) * 100, 12);
    expect(metrics.maxDrawdownPct).toBeCloseTo((10_000 / 10_100 - 1) * 100, 12);
  });

  it('annualises Sharpe and Sortino with the bars per year observed', () => {
    // Daily bars, returns +10 %, −10 %, +10 %, +10 %: mean 0.05, sample std 0.1, downside √(0.01 / 4) = 0.05.
    const bars: Bar[] = [flat(1), flat(1), flat(1), flat(1), flat(1)];
    const equity = Float64Array.from([100, 110, 99, 108.9, 119.79]);
    const metrics = computeMetrics(candles(bars), equity, [], 100, 0);
    expect(metrics.periodsPerYear).toBeCloseTo(365.25, 9);
    expect(metrics.sharpe).toBeCloseTo(0.5 * Math.sqrt(365.25), 9);
    expect(metrics.sortino).toBeCloseTo(1 * Math.sqrt(365.25), 9);
    expect(metrics.returnPct).toBeCloseTo(19.79, 9);
    expect(metrics.cagrPct).toBeCloseTo((1.1979 ** (365.25 / 4) - 1) * 100, 6);
  });

  it('measures the deepest drawdown from its peak to the recovery (or the end)', () => {
    const bars: Bar[] = Array.from({ length: 7 }, () => flat(1));
    // Peak 110 (bar 1) → 99 (−10 %) → back at 111 on bar 4 → 90 on bar 6: −18.9 % from bar 4, never recovered.
    const equity = Float64Array.from([100, 110, 99, 105, 111, 100, 90]);
    const metrics = computeMetrics(candles(bars), equity, [], 100, 0);
    expect(metrics.maxDrawdownPct).toBeCloseTo((90 / 111 - 1) * 100, 12);
    expect(metrics.maxDrawdownBars).toBe(2);
    expect(metrics.maxDrawdownDays).toBe(2);
    const recovered = computeMetrics(
      candles(bars),
      Float64Array.from([100, 110, 99, 105, 111, 112, 113]),
      [],
      100,
      0,
    );
    expect(recovered.maxDrawdownPct).toBeCloseTo(-10, 12);
    expect(recovered.maxDrawdownBars).toBe(3); // bar 1 (peak) → bar 4 (back above 110)
    expect(recovered.calmar).not.toBeNull();
  });

  it('has no profit factor without a losing trade (null, not Infinity)', () => {
    const bars: Bar[] = [flat(100), flat(100), flat(110), flat(110)];
    const result = runBacktest(candles(bars), { strategy: 'sma-cross', params: { fast: 1, slow: 2 } });
    expect(result.metrics.profitFactor).toBeNull();
    expect(JSON.stringify(result)).not.toMatch(/NaN|Infinity/);
  });
});

describe('runBacktest', () => {
  const many = candles(Array.from({ length: 200_000 }, (_, i) => flat(100 + 10 * Math.sin(i / 500))));

  it('reports progress and ends at 1', () => {
    const fractions: number[] = [];
    runBacktest(many, { strategy: 'sma-cross' }, { onProgress: (fraction) => fractions.push(fraction) });
    expect(fractions.length).toBeGreaterThanOrEqual(4);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  });

  it('stops with "cancelled" once the signal aborts, on either path', () => {
    for (const mode of ['api', 'kernel'] as const) {
      const controller = new AbortController();
      const run = () =>
        runBacktest(
          many,
          { strategy: 'sma-cross' },
          { mode, signal: controller.signal, onProgress: (fraction) => fraction > 0.2 && controller.abort() },
        );
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AutobotError);
      expect((thrown as AutobotError).code).toBe('cancelled');
    }
  });

  it('filters rsi entries by a sentiment series', () => {
    const bars: Bar[] = Array.from({ length: 60 }, (_, i) => flat(100 + 20 * Math.sin(i / 3)));
    const spec = { strategy: 'rsi', params: { period: 3, lower: 30, upper: 70, minSentiment: 0.5 } };
    const silent = runBacktest(candles(bars), spec, { series: { sentiment: new Float64Array(60) } });
    expect(silent.trades).toHaveLength(0);
    expect(silent.openTrade).toBeNull();
    const keen = runBacktest(candles(bars), spec, { series: { sentiment: new Float64Array(60).fill(1) } });
    expect(keen.trades.length).toBeGreaterThan(0);
    const unfiltered = runBacktest(candles(bars), { ...spec, params: { period: 3, lower: 30, upper: 70 } });
    expect(unfiltered.trades).toEqual(keen.trades);
  });

  it('throws AutobotError values, never plain errors, for bad input', () => {
    expect(() => runBacktest(candles([flat(1)]), { strategy: 'sma-cross', cash: 0 })).toThrow(AutobotError);
  });
});
