// Trading as an RL environment, on the engine's own order path: each step is one bar of the
// backtest engine driven from outside — the agent's action becomes the command a strategy would
// give on bar i's close (buy / sell / close), the execution engine sizes it at bar i + 1's open,
// the risk engine checks it, the simulated venue fills it, the portfolio books it with its fee —
// the same ExecutionEngine, RiskEngine, SimulatedVenue and Portfolio a backtest wires up
// (core/backtest/engine.ts), stepped one bar per call because an RL algorithm must see each
// outcome before it acts again. The `rl-policy` strategy replays a trained policy through the real
// backtest engine and the paper runtime; tests/unit/rl-trading-env.test.ts holds the three equal.
//
// Observation: core/rl/trading-features.ts. Actions: 0 flat, 1 long (2 short when allowed).
// Reward: the change of equity over the step (fees and slippage included, as the portfolio books
// them), in percent of the starting cash, minus `drawdownPenalty` × the step's growth of the
// drawdown from the episode's equity peak, in percent. Episodes run over a segment of a series
// (train / validation / test, cut in time order by splitSeries): from a random bar after the
// features' warm-up for `episodeBars` bars in training, or over the whole segment when
// `randomStart` is off (evaluation). An episode ends `terminated` when equity reaches zero (ruin),
// `truncated` at its last bar.
import type { SimulationConfig } from '../backtest/engine.ts';
import { ExecutionEngine } from '../execution/execution-engine.ts';
import { quantityOf } from '../execution/lot-size.ts';
import { equityAt, Portfolio } from '../portfolio/portfolio.ts';
import { defaultRiskChecks, RiskEngine } from '../risk/risk-engine.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import { SimulatedVenue } from '../venues/simulated/simulated-venue.ts';
import type { Environment, StepResult } from './environment.ts';
import type { Random } from './random.ts';
import {
  actionCount,
  MarketFeatures,
  observationSize,
  PositionFeatures,
  targetOf,
  warmupBars,
  writeObservation,
  type TradingObservationConfig,
} from './trading-features.ts';

export interface TradingEnvConfig {
  observation: TradingObservationConfig;
  /** The money side: cash, fees, slippage, lot size, sizing (a backtest's; closeAtEnd is ignored). */
  money: SimulationConfig;
  /** Bars per training episode (0: to the segment's end). */
  episodeBars: number;
  /** Reward −= this × the step's growth of drawdown, in percent (0: none). */
  drawdownPenalty: number;
  /** Start each episode at a random bar (training) or at the first bar after the warm-up. */
  randomStart: boolean;
}

export class TradingEnv implements Environment {
  readonly observationSize: number;
  readonly actionCount: number;
  readonly observation: Float64Array;
  readonly config: TradingEnvConfig;
  readonly candles: CandleColumns;
  readonly market: MarketFeatures;
  /** First bar an episode may start on (the features are defined from there). */
  readonly firstBar: number;
  /** The bar the last observation is of. */
  bar = 0;
  /** The episode's first and last bar. */
  startBar = 0;
  endBar = 0;
  equity = 0;
  portfolio!: Portfolio;
  private venue!: SimulatedVenue;
  private execution!: ExecutionEngine;
  private readonly position = new PositionFeatures();
  private peak = 0;
  private drawdown = 0;

  constructor(candles: CandleColumns, config: TradingEnvConfig) {
    this.candles = candles;
    this.config = config;
    this.observationSize = observationSize(config.observation);
    this.actionCount = actionCount(config.observation);
    this.observation = new Float64Array(this.observationSize);
    this.market = MarketFeatures.of(candles.close, config.observation);
    this.firstBar = warmupBars(config.observation) - 1;
    if (candles.close.length < this.firstBar + 2)
      throw new RangeError(
        `a trading episode needs at least ${this.firstBar + 2} bars (the features' warm-up and one step), this segment has ${candles.close.length}`,
      );
  }

  reset(random: Random): void {
    const n = this.candles.close.length;
    const last = n - 1;
    const length = this.config.episodeBars > 0 ? this.config.episodeBars : last - this.firstBar;
    const latestStart = Math.max(this.firstBar, last - length);
    this.startBar = this.config.randomStart
      ? this.firstBar + Math.floor(random.next() * (latestStart - this.firstBar + 1))
      : this.firstBar;
    this.endBar = Math.min(last, this.startBar + length);
    const { money } = this.config;
    this.portfolio = new Portfolio(money.cash, money.lotSize);
    this.venue = new SimulatedVenue(this.candles, money.slippage);
    const risk = new RiskEngine(defaultRiskChecks(money.lotSize, money.fees, money.sizing.mode === 'risk'));
    this.execution = new ExecutionEngine(this.venue, risk, this.portfolio, money);
    this.bar = this.startBar;
    this.equity = money.cash;
    this.peak = money.cash;
    this.drawdown = 0;
    this.position.observe(0, money.cash);
    writeObservation(this.observation, this.market, this.bar, this.position);
  }

  step(action: number): StepResult {
    const i = this.bar;
    const target = targetOf(action);
    const held = this.position.sign;
    // The strategy's command on bar i's close (the rl-policy strategy gives the same one).
    if (target !== held) {
      if (target === 1) this.execution.place('buy', undefined, i);
      else if (target === -1) this.execution.place('sell', undefined, i);
      else this.execution.placeClose(i);
    }
    const next = i + 1;
    this.venue.bar = next;
    this.execution.onBar(next);
    const portfolio = this.portfolio;
    const quantity = quantityOf(portfolio.lots, portfolio.lotSize);
    const equity = equityAt(portfolio.cash, quantity, this.candles.close[next]!);
    const cash = this.config.money.cash;
    let reward = (100 * (equity - this.equity)) / cash;
    if (this.config.drawdownPenalty > 0) {
      if (equity > this.peak) this.peak = equity;
      const drawdown = this.peak > 0 ? (100 * (this.peak - equity)) / this.peak : 0;
      if (drawdown > this.drawdown) reward -= this.config.drawdownPenalty * (drawdown - this.drawdown);
      this.drawdown = drawdown;
    }
    this.equity = equity;
    this.bar = next;
    this.position.observe(quantity, equity);
    writeObservation(this.observation, this.market, next, this.position);
    const terminated = equity <= 0;
    return { reward, terminated, truncated: !terminated && next >= this.endBar };
  }
}
