// rl-trading.env_step: one step of the trading environment (the backtest's execution path for
// one bar: the agent's order, fill at the next open, fee, mark, next observation) on synthetic
// 1-minute candles, actions from a seeded walk that changes position about one step in ten — one
// run is `steps` of them and `per_step_us` is the figure. rl-trading.policy_backtest: the
// rl-policy strategy (64×64 PPO network, random weights) backtested over 100,000 bars through the
// strategy-object engine: the observation and a forward pass per bar.
import { runStrategy } from '../../core/backtest/engine.ts';
import { Mlp } from '../../core/rl/mlp.ts';
import { Policy } from '../../core/rl/policy.ts';
import { Random } from '../../core/rl/random.ts';
import { actionCount, observationSize } from '../../core/rl/trading-features.ts';
import { TradingEnv } from '../../core/rl/trading-env.ts';
import { boundPolicyStrategy } from '../../core/strategies/rl-policy.ts';
import type { BenchCase } from '../harness.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

const steps = 100_000;
const bars = 100_000;
const observation = { window: 16, allowShort: true };
const money = {
  cash: 10_000,
  fees: { commission: 0.002, fixedFee: 0 },
  slippage: 0,
  lotSize: 1,
  sizing: { mode: 'all-in' as const },
  closeAtEnd: false,
};

export const rlTradingCases: BenchCase[] = [
  {
    name: 'rl-trading.env_step',
    runs: 7,
    warmup: 1,
    setup: () =>
      new TradingEnv(syntheticMinuteCandles(20_000, 7), {
        observation,
        money,
        episodeBars: 0,
        drawdownPenalty: 0.5,
        randomStart: false,
      }),
    run: (state) => {
      const env = state as TradingEnv;
      const random = new Random(3);
      env.reset(random);
      let action = 0;
      let total = 0;
      for (let k = 0; k < steps; k++) {
        if (random.next() < 0.1) action = random.int(env.actionCount);
        const result = env.step(action);
        total += result.reward;
        if (result.terminated || result.truncated) env.reset(random);
      }
      return total;
    },
    figures: (medianMs) => ({ per_step_us: Math.round((medianMs / steps) * 1e4) / 10 }),
  },
  {
    name: 'rl-trading.policy_backtest',
    runs: 5,
    warmup: 1,
    setup: () => {
      const net = new Mlp({
        sizes: [observationSize(observation), 64, 64, actionCount(observation)],
        activation: 'tanh',
      }).initOrthogonal(new Random(1), Math.SQRT2, 1);
      const policy = new Policy('ppo', net);
      return {
        candles: syntheticMinuteCandles(bars, 11),
        strategy: boundPolicyStrategy({ id: 0, policy, observation }),
      };
    },
    run: (state) => {
      const { candles, strategy } = state as {
        candles: ReturnType<typeof syntheticMinuteCandles>;
        strategy: ReturnType<typeof boundPolicyStrategy>;
      };
      return runStrategy(strategy, {}, { candles, series: {}, config: money, ticker: null }).trades.length;
    },
    figures: (medianMs) => ({ per_bar_us: Math.round((medianMs / bars) * 1e4) / 10 }),
  },
];
