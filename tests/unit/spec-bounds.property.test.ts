// Sane bounds on every number a backtest spec or an optimisation request carries: any spec inside
// them runs to a result of finite figures, and any value outside them is refused with its field
// named — by the engine's parser and by the contract (under `spec.` / `request.`), before anything
// is run or saved.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestBounds } from '../../core/backtest/defaults.ts';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { calls } from '../../core/contract/calls.ts';
import { AutobotError, zodIssuesToFieldIssues } from '../../core/contract/errors.ts';
import { optimizeBounds } from '../../core/optimize/defaults.ts';
import { optimizeRequestSchema } from '../../core/optimize/spec.ts';
import { candlesArb } from '../support/backtest-arbitraries.ts';

const b = backtestBounds;
/** Anywhere in [min, max], the ends and powers of ten included (where float trouble lives). */
const within = (min: number, max: number) =>
  fc.oneof(
    fc.constantFrom(min, max),
    fc.double({ min, max, noNaN: true }),
    fc
      .integer({ min: Math.ceil(Math.log10(Math.max(min, 1e-12))), max: Math.floor(Math.log10(max)) })
      .map((exponent) => 10 ** exponent),
  );
const fraction = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.999, noNaN: true }));

const acceptedSpec = fc
  .record({
    strategy: fc.constantFrom('sma-cross', 'rsi'),
    cash: within(1e-6, b.cashMax),
    commission: fraction,
    fixedFee: fc.oneof(fc.constant(0), within(1e-6, b.fixedFeeMax)),
    slippage: fraction,
    lotSize: within(b.lotSizeMin, b.lotSizeMax),
    sizing: fc.oneof(
      fc.constant({ mode: 'all-in' as const }),
      fc.record({
        mode: fc.constant('fraction' as const),
        fraction: fc.double({ min: 0.001, max: 1, noNaN: true }),
      }),
      fc.record({ mode: fc.constant('fixed' as const), quantity: within(1e-6, b.quantityMax) }),
    ),
    closeAtEnd: fc.boolean(),
  })
  .filter(
    (spec) =>
      spec.cash / spec.lotSize <= b.lotsMax &&
      (spec.sizing.mode !== 'fixed' || spec.sizing.quantity / spec.lotSize <= b.lotsMax),
  );

/** One field pushed out of its range, and the path the refusal must name. */
type Case = [string, Record<string, unknown>];
const outOfRange: fc.Arbitrary<Case> = fc.oneof(
  // Each in range, but together more whole lots than a position can count exactly.
  fc.constant<Case>(['lotSize', { cash: b.cashMax, lotSize: b.lotSizeMin }]),
  fc.constant<Case>(['sizing.quantity', { lotSize: 1e-6, sizing: { mode: 'fixed', quantity: 1e11 } }]),
  fc
    .constantFrom(0, -1, b.cashMax * 1.0001, 1e308, Number.POSITIVE_INFINITY, Number.NaN)
    .map((cash): Case => ['cash', { cash }]),
  fc
    .constantFrom(0, -1e-9, 1e-320, b.lotSizeMin / 2, b.lotSizeMax * 2, Number.NaN)
    .map((lotSize): Case => ['lotSize', { lotSize }]),
  fc.constantFrom(-0.01, b.fixedFeeMax * 1.5, 1e308).map((fixedFee): Case => ['fixedFee', { fixedFee }]),
  fc.constantFrom(-0.001, 1, 5, Number.NaN).map((commission): Case => ['commission', { commission }]),
  fc.constantFrom(-0.5, 1, 1e308).map((slippage): Case => ['slippage', { slippage }]),
  fc
    .constantFrom(0, b.quantityMax * 10, 1e308)
    .map((quantity): Case => ['sizing.quantity', { sizing: { mode: 'fixed', quantity } }]),
);

const candles = fc.sample(candlesArb, { numRuns: 1, seed: 42 })[0]!;

describe('backtest spec bounds', () => {
  it('runs every spec inside the bounds to finite figures', () => {
    fc.assert(
      fc.property(candlesArb, acceptedSpec, (bars, spec) => {
        const result = runBacktest(bars, spec);
        for (const figure of [
          result.metrics.finalEquity,
          result.metrics.returnPct,
          result.metrics.commissions,
        ])
          expect(Number.isFinite(figure)).toBe(true);
        for (const trade of result.trades) expect(trade.size).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a value outside its bounds, naming the field, in the engine and in the contract', () => {
    fc.assert(
      fc.property(outOfRange, fc.constantFrom('sma-cross', 'rsi'), ([field, change], strategy) => {
        const spec = { strategy, ...change };
        let thrown: unknown;
        try {
          runBacktest(candles, spec as never);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AutobotError);
        expect((thrown as AutobotError).code).toBe('invalid_input');
        expect((thrown as AutobotError).issues?.map((issue) => issue.path)).toContain(field);

        const parsed = calls['backtest.run'].input.safeParse({ data: { source: 'csv', csv: 'x' }, spec });
        expect(parsed.success).toBe(false);
        const paths = zodIssuesToFieldIssues(parsed.error!.issues).map((issue) => issue.path);
        expect(paths).toContain(`spec.${field}`);
        const messages = parsed.error!.issues.map((issue) => issue.message).join('\n');
        expect(messages).toContain(field);
      }),
    );
  });
});

describe('optimisation request bounds', () => {
  const limit = optimizeBounds.rangeLimit;
  const request = (change: Record<string, unknown>) => ({
    strategy: 'rsi',
    ranges: [{ name: 'lower', from: 20, to: 40, step: 5 }],
    ...change,
  });

  it('accepts every request inside the bounds', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -limit, max: limit, noNaN: true }),
        fc.double({ min: 0, max: limit, noNaN: true }),
        within(optimizeBounds.stepMin, limit),
        fc.integer({ min: 0, max: optimizeBounds.minTradesMax }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (from, span, step, minTrades, seed, budget) => {
          const to = Math.min(limit, from + span);
          const parsed = optimizeRequestSchema.safeParse(
            request({ ranges: [{ name: 'lower', from, to, step }], minTrades, seed, budget }),
          );
          expect(parsed.error?.issues ?? []).toEqual([]);
        },
      ),
    );
  });

  it.each<[string, Record<string, unknown>]>([
    ['ranges.0.from', { ranges: [{ name: 'lower', from: -1e300, to: 40, step: 5 }] }],
    ['ranges.0.to', { ranges: [{ name: 'lower', from: 20, to: 1e300, step: 5 }] }],
    ['ranges.0.step', { ranges: [{ name: 'lower', from: 20, to: 40, step: 1e-320 }] }],
    ['ranges.0.step', { ranges: [{ name: 'lower', from: 20, to: 40, step: 0 }] }],
    ['minTrades', { minTrades: 1e12 }],
    ['seed', { seed: -1 }],
    ['seed', { seed: 1e300 }],
    ['budget', { budget: 0 }],
    ['leaderboardSize', { leaderboardSize: 10_000 }],
    ['genetic.population', { genetic: { population: 1e9 } }],
    ['genetic.crossoverRate', { genetic: { crossoverRate: 2 } }],
    ['baseSpec.cash', { baseSpec: { cash: 1e308 } }],
    ['baseSpec.lotSize', { baseSpec: { lotSize: 1e-320 } }],
    ['baseSpec.fixedFee', { baseSpec: { fixedFee: 1e308 } }],
  ])('refuses %s out of range, naming it', (field, change) => {
    const parsed = calls['optimize.run'].input.safeParse({
      data: { source: 'csv', csv: 'x' },
      request: request(change),
    });
    expect(parsed.success).toBe(false);
    const issues = zodIssuesToFieldIssues(parsed.error!.issues);
    const issue = issues.find((candidate) => candidate.path === `request.${field}`);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toContain(field.split('.').at(-1)!.replace(/^\d+$/, ''));
  });
});
