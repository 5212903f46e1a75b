// The trading environment is the engine, stepped: for any candles, costs, sizing and sequence of
// actions, the environment's equity after each step is the backtest engine's equity at that bar
// (bit for bit), its cumulative reward is the engine's equity change (in % of the starting cash),
// and the paper runtime (StrategyRunner: router, simulated exchange, journal) ends on the same
// equity. A policy run greedily through the environment makes the same trades as the rl-policy
// strategy in a backtest — the observation is the same on both sides.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStrategy, simulationConfig, type SimulationConfig } from '../../core/backtest/engine.ts';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { Mlp } from '../../core/rl/mlp.ts';
import { Policy } from '../../core/rl/policy.ts';
import { Random } from '../../core/rl/random.ts';
import {
  actionCount,
  observationSize,
  targetOf,
  warmupBars,
  type TradingObservationConfig,
} from '../../core/rl/trading-features.ts';
import { TradingEnv } from '../../core/rl/trading-env.ts';
import { StrategyRunner } from '../../core/runtime/strategy-runner.ts';
import { openDatabase } from '../../core/storage/database.ts';
import type { CandleColumns } from '../../core/storage/candle-columns.ts';
import { boundPolicyStrategy } from '../../core/strategies/rl-policy.ts';
import { defineStrategy } from '../../core/strategies/strategy.ts';
import { z } from 'zod';
import { candlesArbScaled, specArb } from '../support/backtest-arbitraries.ts';

/** Gives the environment's command for a scripted action on each bar from `first` on. */
function scripted(actions: number[], first: number) {
  return defineStrategy({
    name: 'scripted',
    summary: 'replays actions',
    paramsSchema: z.strictObject({}),
    init: () => null,
    onBar(i, ctx) {
      const k = i - first;
      if (k < 0 || k >= actions.length) return;
      const target = targetOf(actions[k]!);
      const held = ctx.position > 0 ? 1 : ctx.position < 0 ? -1 : 0;
      if (target === held) return;
      if (target === 1) ctx.buy();
      else if (target === -1) ctx.sell();
      else ctx.close();
    },
  });
}

function envOf(candles: CandleColumns, money: SimulationConfig, observation: TradingObservationConfig) {
  return new TradingEnv(candles, {
    observation,
    money,
    episodeBars: 0,
    drawdownPenalty: 0,
    randomStart: false,
  });
}

const observationArb = fc.record({
  window: fc.integer({ min: 2, max: 24 }),
  allowShort: fc.boolean(),
});

const caseArb = fc.record({
  candles: candlesArbScaled(1, 80),
  spec: specArb,
  observation: observationArb,
  actions: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 200, maxLength: 200 }),
});

describe('the trading environment', () => {
  it('after every step its equity is the backtest engine’s at that bar, and its rewards add up to the equity change', () => {
    fc.assert(
      fc.property(caseArb, ({ candles, spec, observation, actions }) => {
        const money = { ...simulationConfig(spec), closeAtEnd: false };
        const env = envOf(candles, money, observation);
        const count = actionCount(observation);
        env.reset(new Random(1));
        const first = env.startBar;
        const taken: number[] = [];
        const equities: Array<[number, number]> = [];
        let total = 0;
        for (let k = 0; ; k++) {
          const action = actions[k % actions.length]! % count;
          taken.push(action);
          const result = env.step(action);
          total += result.reward;
          equities.push([env.bar, env.equity]);
          if (result.terminated || result.truncated) break;
        }
        const ran = runStrategy(
          scripted(taken, first),
          {},
          { candles, series: {}, config: money, ticker: null },
        );
        for (const [bar, equity] of equities) expect(equity).toBe(ran.equity[bar]);
        const change = ran.equity[env.bar]! - money.cash;
        expect((total * money.cash) / 100).toBeCloseTo(change, Math.max(0, 6 - Math.log10(money.cash)));
      }),
      { numRuns: 200 },
    );
  });

  it('the drawdown penalty only ever lowers the reward, and is zero on a step that makes a new high', () => {
    fc.assert(
      fc.property(caseArb, fc.double({ min: 0.01, max: 5, noNaN: true }), (c, penalty) => {
        const money = { ...simulationConfig(c.spec), closeAtEnd: false };
        const plain = envOf(c.candles, money, c.observation);
        const penalised = new TradingEnv(c.candles, { ...plain.config, drawdownPenalty: penalty });
        plain.reset(new Random(1));
        penalised.reset(new Random(1));
        let peak = money.cash;
        for (let k = 0; ; k++) {
          const action = c.actions[k % c.actions.length]! % plain.actionCount;
          const a = plain.step(action);
          const b = penalised.step(action);
          expect(b.reward).toBeLessThanOrEqual(a.reward);
          if (plain.equity >= peak) expect(b.reward).toBe(a.reward);
          peak = Math.max(peak, plain.equity);
          if (a.terminated || a.truncated) break;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the paper runtime (router, simulated exchange, journal) ends on the environment’s equity for the same actions', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ candles, spec, observation, actions }) => {
        const money = { ...simulationConfig(spec), closeAtEnd: false };
        const env = envOf(candles, money, observation);
        env.reset(new Random(1));
        const first = env.startBar;
        const taken: number[] = [];
        for (let k = 0; ; k++) {
          const action = actions[k % actions.length]! % env.actionCount;
          taken.push(action);
          const result = env.step(action);
          if (result.terminated || result.truncated) break;
        }
        if (env.equity <= 0) return; // ruin: the runtime closes out at that close, the env just stops
        const db = openDatabase(':memory:');
        try {
          const runner = await StrategyRunner.create({
            botId: 'env',
            strategy: scripted(taken, first) as never,
            params: {},
            symbol: 'TEST',
            timeframe: '1h',
            candles,
            money,
            journal: new OrderJournal(db),
            ids: ClientOrderIds.open(db),
            database: db,
            batch: 'bar',
          });
          await runner.start();
          const paper = runner.output().equity;
          expect(paper[env.bar]).toBeCloseTo(env.equity, 6);
        } finally {
          db.close();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a policy acting greedily in the environment trades as the rl-policy strategy does in a backtest', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 1, max: 1000 }), ({ candles, spec, observation }, seed) => {
        const money = { ...simulationConfig(spec), closeAtEnd: false };
        const net = new Mlp({
          sizes: [observationSize(observation), 8, actionCount(observation)],
          activation: 'tanh',
        });
        // Random weights, large enough that the greedy action changes from bar to bar.
        const random = new Random(seed);
        for (let k = 0; k < net.params.length; k++) net.params[k] = random.normal();
        const policy = new Policy('ppo', net);
        const env = envOf(candles, money, observation);
        env.reset(new Random(1));
        let done = false;
        while (!done) {
          const result = env.step(policy.act(env.observation));
          done = result.terminated || result.truncated;
        }
        if (env.equity <= 0) return;
        const ran = runStrategy(
          boundPolicyStrategy({ id: 0, policy, observation }),
          {},
          {
            candles,
            series: {},
            config: money,
            ticker: null,
          },
        );
        expect(ran.equity[env.bar]).toBe(env.equity);
        expect(env.startBar).toBe(warmupBars(observation) - 1);
      }),
      { numRuns: 200 },
    );
  });
});
