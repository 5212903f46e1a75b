// Training a trading policy on a stored series, and judging it: the series is split in time order,
// the agent learns on episodes of the train split (TradingEnv), its greedy policy is evaluated on
// the whole validation split as it learns (the curve's evaluation points: return in % of the
// starting cash), and at the end the policy is backtested — through the backtest engine, as the
// `rl-policy` strategy — on the validation and test splits beside buy & hold on the same bars with
// the same costs (bought on the first bar the policy could act, held to the end).
import { runStrategy, type SimulationConfig } from '../backtest/engine.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import { boundPolicyStrategy } from '../strategies/rl-policy.ts';
import { defineStrategy } from '../strategies/strategy.ts';
import { Policy } from './policy.ts';
import { warmupBars, type TradingObservationConfig } from './trading-features.ts';
import { TradingEnv } from './trading-env.ts';
import { segmentCandles, splitSeries, type Segment, type SplitFractions } from './trading-split.ts';
import { train, type TrainConfig, type TrainProgress, type TrainResult } from './train.ts';
import { z } from 'zod';

export interface TradingTrainInput {
  candles: CandleColumns;
  split: SplitFractions;
  observation: TradingObservationConfig;
  money: SimulationConfig;
  episodeBars: number;
  drawdownPenalty: number;
  config: TrainConfig;
  totalSteps: number;
  seed: number;
  evalEvery: number;
}

export interface SegmentSummary {
  from: number;
  to: number;
  bars: number;
}

export interface SplitEvaluation {
  /** The policy's return over the split, % of the starting cash. */
  policyReturnPct: number;
  buyHoldReturnPct: number;
  trades: number;
  policyMaxDrawdownPct: number;
  buyHoldMaxDrawdownPct: number;
}

export interface TradingEvaluation {
  observation: TradingObservationConfig;
  split: SplitFractions;
  segments: { train: SegmentSummary; validation: SegmentSummary; test: SegmentSummary };
  episodeBars: number;
  drawdownPenalty: number;
  validation: SplitEvaluation;
  test: SplitEvaluation & {
    /** The test split's equity, thinned: bar time (epoch s), policy and buy & hold. */
    equity: Array<{ time: number; policy: number; buyHold: number }>;
  };
}

export interface TradingTrainResult {
  train: TrainResult;
  trading: TradingEvaluation;
}

/** Points kept of the test split's equity curves. */
const equityPoints = 300;

/** Holds from the first bar a policy could act on to the end: the yardstick. */
const buyAndHold = defineStrategy({
  name: 'buy-and-hold',
  summary: 'Buys once, holds.',
  paramsSchema: z.strictObject({ from: z.number() }),
  init: () => null,
  onBar(i, ctx) {
    if (i >= ctx.params.from && ctx.position === 0) ctx.buy();
  },
});

function summary(candles: CandleColumns, segment: Segment): SegmentSummary {
  return {
    from: candles.time[segment.start]!,
    to: candles.time[segment.end - 1]!,
    bars: segment.end - segment.start,
  };
}

function maxDrawdownPct(equity: Float64Array): number {
  let peak = -Infinity;
  let worst = 0;
  for (const value of equity) {
    if (value > peak) peak = value;
    if (peak > 0) worst = Math.max(worst, (peak - value) / peak);
  }
  return 100 * worst;
}

/** The policy and buy & hold backtested over one split, with their equity curves. */
export function evaluateSplit(
  policy: Policy,
  observation: TradingObservationConfig,
  candles: CandleColumns,
  money: SimulationConfig,
): { evaluation: SplitEvaluation; policyEquity: Float64Array; buyHoldEquity: Float64Array } {
  const config = { ...money, closeAtEnd: false };
  const input = { candles, series: {}, config, ticker: null };
  const strategy = boundPolicyStrategy({ id: 0, policy, observation });
  const ran = runStrategy(strategy, {}, input);
  const held = runStrategy(
    buyAndHold,
    { from: warmupBars(observation) - 1 },
    { ...input, equityOut: undefined },
  );
  const last = candles.close.length - 1;
  const pct = (equity: Float64Array) => (100 * (equity[last]! - money.cash)) / money.cash;
  return {
    evaluation: {
      policyReturnPct: pct(ran.equity),
      buyHoldReturnPct: pct(held.equity),
      trades: ran.trades.length + (ran.openPosition ? 1 : 0),
      policyMaxDrawdownPct: maxDrawdownPct(ran.equity),
      buyHoldMaxDrawdownPct: maxDrawdownPct(held.equity),
    },
    policyEquity: ran.equity,
    buyHoldEquity: held.equity,
  };
}

export function trainTrading(
  input: TradingTrainInput,
  onProgress?: (progress: TrainProgress) => boolean | void,
): TradingTrainResult {
  const { candles, observation, money } = input;
  const split = splitSeries(candles.close.length, input.split, warmupBars(observation), 'trading.split');
  const trainCandles = segmentCandles(candles, split.train);
  const validationCandles = segmentCandles(candles, split.validation);
  const testCandles = segmentCandles(candles, split.test);
  const envConfig = {
    observation,
    money,
    episodeBars: input.episodeBars,
    drawdownPenalty: input.drawdownPenalty,
  };
  const result = train({
    makeEnv: () => new TradingEnv(trainCandles, { ...envConfig, randomStart: true }),
    // The greedy policy over the whole validation split: one deterministic episode.
    makeEvalEnv: () =>
      new TradingEnv(validationCandles, { ...envConfig, drawdownPenalty: 0, randomStart: false }),
    config: input.config,
    totalSteps: input.totalSteps,
    seed: input.seed,
    evalEvery: input.evalEvery,
    evalEpisodes: 1,
    stopWhenSolved: false,
    ...(onProgress ? { onProgress } : {}),
  });
  const policy = Policy.fromWeights(result.weights);
  const validation = evaluateSplit(policy, observation, validationCandles, money).evaluation;
  const test = evaluateSplit(policy, observation, testCandles, money);
  const n = testCandles.close.length;
  const every = Math.max(1, Math.ceil(n / equityPoints));
  const equity: TradingEvaluation['test']['equity'] = [];
  for (let i = 0; i < n; i += every)
    equity.push({
      time: testCandles.time[i]!,
      policy: test.policyEquity[i]!,
      buyHold: test.buyHoldEquity[i]!,
    });
  if ((n - 1) % every !== 0)
    equity.push({
      time: testCandles.time[n - 1]!,
      policy: test.policyEquity[n - 1]!,
      buyHold: test.buyHoldEquity[n - 1]!,
    });
  return {
    train: result,
    trading: {
      observation,
      split: input.split,
      segments: {
        train: summary(candles, split.train),
        validation: summary(candles, split.validation),
        test: summary(candles, split.test),
      },
      episodeBars: input.episodeBars,
      drawdownPenalty: input.drawdownPenalty,
      validation,
      test: { ...test.evaluation, equity },
    },
  };
}
