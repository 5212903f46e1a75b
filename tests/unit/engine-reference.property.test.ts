// The engine's bar loop against the plainest loop that could be written over the same execution
// engine: every bar released and range-checked, every bar marked at its close, every order placed
// the moment the strategy asks. The real loop skips quiet bars, marks in stretches, queues the
// strategy's commands until onBar returns and reuses order records; for any candles, costs and
// script of orders (market, limit and stop, brackets, closes, cancels) both must agree to the bit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  finishRun,
  runStrategy,
  simulationConfig,
  type EngineOutput,
  type SimulationConfig,
} from '../../core/backtest/engine.ts';
import { ExecutionEngine } from '../../core/execution/execution-engine.ts';
import { quantityOf } from '../../core/execution/lot-size.ts';
import type { ClientOrderId, OrderRequest } from '../../core/execution/order.ts';
import { Portfolio } from '../../core/portfolio/portfolio.ts';
import { defaultRiskChecks, RiskEngine } from '../../core/risk/risk-engine.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { defineStrategy, type StrategyContext } from '../../core/strategies/strategy.ts';
import { SimulatedVenue } from '../../core/venues/simulated/simulated-venue.ts';
import { candlesArb, specArb } from '../support/backtest-arbitraries.ts';

type Command =
  { kind: 'buy' | 'sell'; order: OrderRequest | undefined } | { kind: 'close' } | { kind: 'cancelAll' };

/** Limit and stop prices are set relative to the bar's close when the command is given. */
type ScriptedOrder = {
  type: 'market' | 'limit' | 'stop';
  offsetPct: number;
  quantity: number | undefined;
  takeProfitPct: number | undefined;
  stopLossPct: number | undefined;
};

const orderArb: fc.Arbitrary<ScriptedOrder> = fc.record({
  type: fc.constantFrom('market', 'limit', 'stop'),
  offsetPct: fc.double({ min: -5, max: 5, noNaN: true }),
  quantity: fc.option(fc.double({ min: 0.5, max: 50, noNaN: true }), { nil: undefined }),
  takeProfitPct: fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: undefined }),
  stopLossPct: fc.option(fc.double({ min: 0.1, max: 5, noNaN: true }), { nil: undefined }),
});

type ScriptStep =
  { kind: 'buy' | 'sell'; order: ScriptedOrder | null } | { kind: 'close' } | { kind: 'cancelAll' };

const stepArb: fc.Arbitrary<ScriptStep> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('buy' as const, 'sell' as const),
    order: fc.option(orderArb, { nil: null }),
  }),
  fc.constant({ kind: 'close' as const }),
  fc.constant({ kind: 'cancelAll' as const }),
);

/** Most bars do nothing, some give one to three commands. */
const scriptArb = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant([] as ScriptStep[]) },
    { weight: 1, arbitrary: fc.array(stepArb, { minLength: 1, maxLength: 3 }) },
  ),
  { maxLength: 160 },
);

function commandsAt(script: ScriptStep[][], bar: number, close: number): Command[] {
  return (script[bar] ?? []).map((step): Command => {
    if (step.kind === 'close' || step.kind === 'cancelAll') return step;
    if (step.order === null) return { kind: step.kind, order: undefined };
    const { type, offsetPct, quantity, takeProfitPct, stopLossPct } = step.order;
    const order: OrderRequest = { type, quantity, takeProfitPct, stopLossPct };
    if (type !== 'market') order.price = Math.max(0.01, close * (1 + offsetPct / 100));
    return { kind: step.kind, order };
  });
}

function give(
  ctx: Pick<StrategyContext<unknown, unknown>, 'buy' | 'sell' | 'close' | 'cancelAll'>,
  command: Command,
) {
  if (command.kind === 'buy') ctx.buy(command.order);
  else if (command.kind === 'sell') ctx.sell(command.order);
  else if (command.kind === 'close') ctx.close();
  else ctx.cancelAll();
}

function throughEngine(
  candles: CandleColumns,
  config: SimulationConfig,
  script: ScriptStep[][],
): EngineOutput {
  const strategy = defineStrategy({
    name: 'script',
    summary: 'random script',
    paramsSchema: undefined as never,
    init: () => null,
    onBar(i, ctx) {
      for (const command of commandsAt(script, i, ctx.candles.close[i]!)) give(ctx, command);
    },
  });
  return runStrategy(strategy, {}, { candles, series: {}, config, ticker: null });
}

/** The plainest loop: nothing skipped, nothing deferred. */
function throughReference(
  candles: CandleColumns,
  config: SimulationConfig,
  script: ScriptStep[][],
): EngineOutput {
  const n = candles.close.length;
  const portfolio = new Portfolio(config.cash, config.lotSize);
  const venue = new SimulatedVenue(candles, config.slippage);
  const risk = new RiskEngine(defaultRiskChecks(config.lotSize, config.fees, config.sizing.mode === 'risk'));
  const execution = new ExecutionEngine(venue, risk, portfolio, config);
  const equity = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    venue.bar = i;
    execution.onBar(i);
    equity[i] = portfolio.equity(candles.close[i]!);
    const ctx = {
      buy: (order?: OrderRequest): ClientOrderId => execution.place('buy', order, i),
      sell: (order?: OrderRequest): ClientOrderId => execution.place('sell', order, i),
      close: (): ClientOrderId => execution.placeClose(i),
      cancelAll: (): void => execution.cancelAll(),
    };
    for (const command of commandsAt(script, i, candles.close[i]!)) give(ctx, command);
  }
  return finishRun(config, { portfolio, venue, execution }, equity, candles.close);
}

describe('engine loop against the plainest loop', () => {
  it('gives the same curve, trades, position, cash and refusals for any script of orders', () => {
    fc.assert(
      fc.property(candlesArb, specArb, scriptArb, (candles, spec, script) => {
        const config = simulationConfig(spec);
        const engine = throughEngine(candles, config, script);
        const reference = throughReference(candles, config, script);
        for (let i = 0; i < candles.close.length; i++) {
          expect(Object.is(engine.equity[i], reference.equity[i]), `equity at bar ${i}`).toBe(true);
        }
        expect(engine.trades).toEqual(reference.trades);
        expect(engine.openPosition).toEqual(reference.openPosition);
        expect(engine.cash).toBe(reference.cash);
        expect(engine.commissions).toBe(reference.commissions);
        expect(engine.rejections).toEqual(reference.rejections);
        const held = engine.openPosition ? quantityOf(engine.openPosition.lots, spec.lotSize) : 0;
        expect(Number.isFinite(held)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
