// Properties over random candles, strategy parameters and costs: the kernel path equals the
// strategy-object path to the last bit, lots are whole and positive, a long-only strategy's entries
// never spend cash it does not have, and the books balance (final equity = cash + marked position =
// start + closed PnL + open PnL).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStrategy, simulationConfig, type EngineOutput } from '../../core/backtest/engine.ts';
import { rsiKernel } from '../../core/backtest/kernels/rsi-kernel.ts';
import { smaCrossKernel } from '../../core/backtest/kernels/sma-cross-kernel.ts';
import { computeMetrics, metricsFromStats } from '../../core/backtest/metrics.ts';
import type { BacktestSpec } from '../../core/backtest/spec.ts';
import { quantityOf } from '../../core/execution/lot-size.ts';
import { rsi } from '../../core/indicators/rsi.ts';
import { sma } from '../../core/indicators/sma.ts';
import { equityAt, tradePnl } from '../../core/portfolio/portfolio.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { getStrategy } from '../../core/strategies/registry.ts';
import { rsiStrategy } from '../../core/strategies/rsi.ts';
import { candlesArb, candlesArbScaled, specArb } from '../support/backtest-arbitraries.ts';

const smaParamsArb = fc
  .record({ fast: fc.integer({ min: 1, max: 12 }), extra: fc.integer({ min: 1, max: 25 }) })
  .map(({ fast, extra }) => ({ fast, slow: fast + extra }));

const rsiParamsArb = fc.record(
  {
    period: fc.integer({ min: 2, max: 20 }),
    lower: fc.integer({ min: 1, max: 60 }),
    upper: fc.integer({ min: 61, max: 99 }),
    takeProfitPct: fc.double({ min: 0.1, max: 20, noNaN: true }),
    stopLossPct: fc.double({ min: 0.1, max: 20, noNaN: true }),
    minSentiment: fc.double({ min: -1, max: 1, noNaN: true }),
  },
  { requiredKeys: ['period', 'lower', 'upper'] },
);

function expectIdentical(api: EngineOutput, kernel: EngineOutput): void {
  expect(kernel.equity.length).toBe(api.equity.length);
  for (let i = 0; i < api.equity.length; i++) expect(Object.is(kernel.equity[i], api.equity[i])).toBe(true);
  expect(kernel.trades).toEqual(api.trades);
  expect(kernel.openPosition).toEqual(api.openPosition);
  expect(kernel.cash).toBe(api.cash);
  expect(kernel.commissions).toBe(api.commissions);
  expect(kernel.rejections).toEqual(api.rejections);
}

function expectBalancedBooks(candles: CandleColumns, spec: BacktestSpec, out: EngineOutput): void {
  const last = candles.close.length - 1;
  const close = candles.close[last]!;
  const open = out.openPosition;
  for (const trade of out.trades) {
    expect(Number.isInteger(trade.lots)).toBe(true);
    expect(trade.lots).toBeGreaterThanOrEqual(1);
  }
  if (open) {
    expect(Number.isInteger(open.lots)).toBe(true);
    expect(open.lots).toBeGreaterThanOrEqual(1);
  }
  const held = open ? open.direction * quantityOf(open.lots, spec.lotSize) : 0;
  // Final equity is cash plus the position marked at the last close…
  expect(out.equity[last]).toBe(equityAt(out.cash, held, close));
  // …and the start plus every closed trade's PnL plus the open one's.
  const openPnl = open ? tradePnl(open.direction, open.quantity, open.entryPrice, close, open.commission) : 0;
  const booked = spec.cash + out.trades.reduce((sum, trade) => sum + trade.pnl, 0) + openPnl;
  expect(Math.abs(out.equity[last]! - booked)).toBeLessThanOrEqual(
    1e-9 * Math.max(spec.cash, Math.abs(booked)),
  );
}

describe('backtest properties', () => {
  it('sma-cross: kernel = strategy-object API, whole positive lots, balanced books', () => {
    fc.assert(
      fc.property(candlesArb, smaParamsArb, specArb, (candles, params, costs) => {
        const spec = { ...costs, strategy: 'sma-cross' };
        const prepared = getStrategy('sma-cross').prepare(params);
        const input = { candles, series: {}, config: simulationConfig(spec), ticker: null };
        const api = prepared.api(input);
        expectIdentical(api, prepared.kernel!(input));
        expectBalancedBooks(candles, spec, api);
      }),
      { numRuns: 400 },
    );
  });

  it('rsi: kernel = strategy-object API, long only, no entry spends cash it lacks, balanced books', () => {
    fc.assert(
      fc.property(candlesArb, rsiParamsArb, specArb, fc.boolean(), (candles, raw, costs, withSentiment) => {
        const spec = { ...costs, strategy: 'rsi' };
        const params = withSentiment ? raw : { ...raw, minSentiment: undefined };
        const n = candles.close.length;
        const series = { sentiment: Float64Array.from({ length: n }, (_, i) => Math.sin(i * 1.7)) };
        const parsed = rsiStrategy.paramsSchema.parse(params);
        const config = simulationConfig(spec);
        // Cash while a long is open: an entry may spend at most the cash (no margin), so it stays
        // ≥ 0. An exit can still take cash below zero when its fixed fee exceeds what the position
        // fetches: a loss charged like a broker's fee, not a spend beyond the account.
        let lowestCash = Infinity;
        const watched = {
          ...rsiStrategy,
          onBar: (i: number, ctx: Parameters<typeof rsiStrategy.onBar>[1]) => {
            if (ctx.position > 0) lowestCash = Math.min(lowestCash, ctx.cash);
            rsiStrategy.onBar(i, ctx);
          },
        };
        const api = runStrategy(watched, parsed, { candles, series, config, ticker: null });
        const kernel = getStrategy('rsi').prepare(
          Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)),
        ).kernel!({ candles, series, config, ticker: null });
        expectIdentical(api, kernel);
        expect(lowestCash).toBeGreaterThanOrEqual(0);
        for (const trade of api.trades) expect(trade.direction).toBe(1);
        if (api.openPosition) expect(api.openPosition.direction).toBe(1);
        expectBalancedBooks(candles, spec, api);
      }),
      { numRuns: 400 },
    );
  });

  it('rsi with a bracket on calm bars: signal exits and bracket exits agree on both paths', () => {
    // Bars a tenth as wide as above and a take-profit / stop-loss always set: most bars of a held
    // position stay inside the bracket, where exits come from signals and the engine may skip bars.
    const bracketParamsArb = fc.record({
      period: fc.integer({ min: 2, max: 6 }),
      lower: fc.integer({ min: 30, max: 50 }),
      upper: fc.integer({ min: 51, max: 70 }),
      takeProfitPct: fc.double({ min: 0.2, max: 3, noNaN: true }),
      stopLossPct: fc.double({ min: 0.2, max: 3, noNaN: true }),
    });
    fc.assert(
      fc.property(candlesArbScaled(0.1, 60), bracketParamsArb, specArb, (candles, params, costs) => {
        const config = simulationConfig({ ...costs, strategy: 'rsi' });
        const input = { candles, series: {}, config, ticker: null };
        const api = runStrategy(rsiStrategy, rsiStrategy.paramsSchema.parse(params), input);
        expectIdentical(api, getStrategy('rsi').prepare(params).kernel!(input));
      }),
      { numRuns: 400 },
    );
  });

  it('a kernel’s summary mode gives exactly the metrics of its full mode', () => {
    fc.assert(
      fc.property(candlesArb, smaParamsArb, rsiParamsArb, specArb, (candles, smaParams, rsiParams, spec) => {
        const config = simulationConfig(spec);
        const inputs = {
          metrics: { time: candles.time, close: candles.close, startEquity: spec.cash },
          sma: { fast: sma(candles.close, smaParams.fast), slow: sma(candles.close, smaParams.slow) },
          rsi: {
            rsi: rsi(candles.close, rsiParams.period),
            lower: rsiParams.lower,
            upper: rsiParams.upper,
            bracket: { takeProfitPct: rsiParams.takeProfitPct, stopLossPct: rsiParams.stopLossPct },
            sentiment: null,
            minSentiment: -Infinity,
          },
        };
        const pairs = [
          [
            smaCrossKernel(candles, inputs.sma, config, 'full'),
            smaCrossKernel(candles, inputs.sma, config, 'summary'),
          ],
          [rsiKernel(candles, inputs.rsi, config, 'full'), rsiKernel(candles, inputs.rsi, config, 'summary')],
        ] as const;
        for (const [full, summary] of pairs) {
          const fromSummary = metricsFromStats(
            { ...inputs.metrics, commissions: summary.commissions },
            summary.equity,
            summary.trades,
          );
          expect(fromSummary).toEqual(
            computeMetrics(candles, full.equity, full.trades, spec.cash, full.commissions),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
