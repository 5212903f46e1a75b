// In-sample / out-of-sample windows, the collapse rule, the RSI analysis helpers and the exports.
import { describe, expect, it } from 'vitest';
import { backtestSpecSchema } from '../../core/backtest/spec.ts';
import { backtestConfigSchema, bestConfig, evaluationsCsv } from '../../core/optimize/export-best.ts';
import { ParameterSpace } from '../../core/optimize/parameter-space.ts';
import { pearson, thresholdHeatmap } from '../../core/optimize/rsi-analysis.ts';
import { optimizeRequestSchema, type Evaluation, type OptimizeResult } from '../../core/optimize/spec.ts';
import { isCollapsed, outOfSampleMinTrades, planFolds } from '../../core/optimize/validation.ts';

describe('fold plans', () => {
  it('splits train and test at the fraction', () => {
    expect(planFolds(1000, { kind: 'split', train: 0.7 })).toEqual([
      { fold: 0, train: { start: 0, end: 700 }, test: { start: 700, end: 1000 } },
    ]);
    expect(planFolds(1000, { kind: 'none' })).toEqual([
      { fold: 0, train: { start: 0, end: 1000 }, test: null },
    ]);
  });

  it('walks forward with rolling windows: each fold trains on the block before its test block', () => {
    expect(planFolds(1000, { kind: 'walk-forward', folds: 3, anchored: false })).toEqual([
      { fold: 1, train: { start: 0, end: 250 }, test: { start: 250, end: 500 } },
      { fold: 2, train: { start: 250, end: 500 }, test: { start: 500, end: 750 } },
      { fold: 3, train: { start: 500, end: 750 }, test: { start: 750, end: 1000 } },
    ]);
  });

  it('walks forward with anchored windows: every training window starts at the first bar', () => {
    const folds = planFolds(1001, { kind: 'walk-forward', folds: 4, anchored: true });
    expect(folds.map((f) => f.train.start)).toEqual([0, 0, 0, 0]);
    // Test blocks tile the last four fifths without overlap.
    expect(folds.map((f) => [f.test!.start, f.test!.end])).toEqual([
      [200, 400],
      [400, 600],
      [600, 800],
      [800, 1001],
    ]);
    folds.forEach((f) => expect(f.train.end).toBe(f.test!.start));
  });

  it('refuses windows too short to trade in, pointing at the setting', () => {
    expect(() => planFolds(100, { kind: 'walk-forward', folds: 10, anchored: false })).toThrow(
      expect.objectContaining({
        code: 'invalid_input',
        issues: [expect.objectContaining({ path: 'validation.folds' })],
      }),
    );
  });
});

describe('collapse', () => {
  const q = (score: number) => ({ score, qualified: true });
  it('flags an out-of-sample score below half the in-sample score', () => {
    expect(isCollapsed(q(0.8), q(0.41))).toBe(false);
    expect(isCollapsed(q(0.8), q(0.39))).toBe(true);
    expect(isCollapsed(q(0.8), { score: 0, qualified: false })).toBe(true);
    expect(isCollapsed(q(-2), q(-10))).toBe(false);
    expect(isCollapsed({ score: 0, qualified: false }, q(0))).toBe(false);
  });

  it('scales the trade minimum to the test window', () => {
    expect(outOfSampleMinTrades(10, { start: 0, end: 700 }, { start: 700, end: 1000 })).toBe(5);
    expect(outOfSampleMinTrades(10, { start: 0, end: 100 }, { start: 100, end: 200 })).toBe(10);
    expect(outOfSampleMinTrades(1, { start: 0, end: 900 }, { start: 900, end: 1000 })).toBe(1);
    expect(outOfSampleMinTrades(0, { start: 0, end: 900 }, { start: 900, end: 1000 })).toBe(0);
  });
});

const evaluation = (
  lower: number,
  upper: number,
  score: number,
  profitFactor: number | null,
): Evaluation => ({
  fold: 0,
  params: { period: 14, lower, upper },
  score,
  qualified: true,
  metrics: {
    trades: 12,
    returnPct: 3,
    profitFactor,
    winRatePct: 50,
    maxDrawdownPct: -4,
    sharpe: 1,
    calmar: null,
  },
});

describe('RSI analysis', () => {
  it('computes Pearson correlation, null without spread', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1], [1])).toBeNull();
  });

  it('lays the objective and the profit factor over lower × upper, null where nothing ran', () => {
    const space = new ParameterSpace([
      { name: 'lower', from: 20, to: 21, step: 1 },
      { name: 'upper', from: 70, to: 72, step: 1 },
    ]);
    const heatmap = thresholdHeatmap(space, [
      evaluation(20, 70, 0.5, 1.2),
      evaluation(21, 72, 0.7, null),
      evaluation(21, 72, 0.6, 2),
    ]);
    expect(heatmap).toEqual({
      x: { param: 'lower', values: [20, 21] },
      y: { param: 'upper', values: [70, 71, 72] },
      score: [
        [0.5, null],
        [null, null],
        [null, 0.7],
      ],
      profitFactor: [
        [1.2, null],
        [null, null],
        [null, null],
      ],
    });
    expect(
      thresholdHeatmap(new ParameterSpace([{ name: 'period', from: 2, to: 3, step: 1 }]), []),
    ).toBeNull();
  });

  it('shows a qualified set in a cell before a higher-scoring one short of trades', () => {
    // Return objective: losing qualified sets score below the 0 of a set that never traded enough.
    const space = new ParameterSpace([
      { name: 'lower', from: 20, to: 20, step: 1 },
      { name: 'upper', from: 70, to: 70, step: 1 },
      { name: 'period', from: 10, to: 12, step: 1 },
    ]);
    const short = {
      ...evaluation(20, 70, 0, null),
      qualified: false,
      params: { period: 10, lower: 20, upper: 70 },
    };
    const losing = { ...evaluation(20, 70, -4, 0.6), params: { period: 11, lower: 20, upper: 70 } };
    const worse = { ...evaluation(20, 70, -9, 0.3), params: { period: 12, lower: 20, upper: 70 } };
    const heatmap = thresholdHeatmap(space, [short, worse, losing]);
    expect(heatmap?.score).toEqual([[-4]]);
    expect(heatmap?.profitFactor).toEqual([[0.6]]);
  });
});

describe('exports', () => {
  const request = optimizeRequestSchema.parse({
    strategy: 'rsi',
    baseSpec: { cash: 5000, commission: 0.001, params: { period: 10 } },
    ranges: [
      { name: 'lower', from: 20, to: 21, step: 1 },
      { name: 'upper', from: 70, to: 70, step: 1 },
    ],
  });
  const result: OptimizeResult = {
    strategy: 'rsi',
    method: 'grid',
    objective: 'default',
    minTrades: 10,
    validation: request.validation,
    baseSpec: request.baseSpec,
    ranges: request.ranges,
    constraints: [],
    seed: null,
    spaceSize: 2,
    evaluationCount: 2,
    workers: 1,
    elapsedMs: 5,
    best: {
      params: { period: 10, lower: 21, upper: 70 },
      score: 0.7,
      qualified: true,
      oosScore: 0.5,
      collapsed: false,
    },
    leaderboard: [],
    validationRows: [],
    evaluations: [evaluation(20, 70, 0.5, 1.25), evaluation(21, 70, 0.7, null)],
    heatmap: null,
    rsiAtEntry: null,
    priceDecimals: 2,
  };

  it('writes the best set as a config a backtest accepts as it is', () => {
    const config = backtestConfigSchema.parse(JSON.parse(JSON.stringify(bestConfig(result))));
    const spec = backtestSpecSchema.parse(config.spec);
    expect(spec).toMatchObject({
      strategy: 'rsi',
      params: { period: 10, lower: 21, upper: 70 },
      cash: 5000,
      commission: 0.001,
    });
    expect(config.optimisation).toMatchObject({ score: 0.7, oosScore: 0.5, collapsed: false });
  });

  it('refuses to export when no set qualified', () => {
    expect(() => bestConfig({ ...result, best: null })).toThrow(/No parameter set reached 10 trades/);
  });

  it('writes every evaluation as CSV, undefined figures as empty cells', () => {
    expect(evaluationsCsv(result.evaluations).split('\n')).toEqual([
      'fold,period,lower,upper,score,qualified,trades,return_pct,profit_factor,win_rate_pct,max_drawdown_pct,sharpe,calmar',
      '0,14,20,70,0.5,1,12,3,1.25,50,-4,1,',
      '0,14,21,70,0.7,1,12,3,,50,-4,1,',
      '',
    ]);
  });
});
