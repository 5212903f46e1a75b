// A trained policy as a paper bot: the supervisor runs `rl-policy` with a saved model's id like any
// strategy — through the runtime's sizing, risk, order router, simulated exchange and journal — and
// the bot's fills are the trades of the same policy's backtest on the same bars.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStrategy } from '../../core/backtest/engine.ts';
import { Mlp } from '../../core/rl/mlp.ts';
import { Policy } from '../../core/rl/policy.ts';
import { Random } from '../../core/rl/random.ts';
import { actionCount, observationSize } from '../../core/rl/trading-features.ts';
import { RlModelRepository } from '../../core/storage/rl-model-repository.ts';
import { boundPolicyStrategy, setRlPolicySource } from '../../core/strategies/rl-policy.ts';
import { rlPolicySourceOf } from '../../core/strategies/rl-policy-store.ts';
import { openSupervisor, storeWave, waveBot } from '../support/bot-fixtures.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
  setRlPolicySource(null);
});

describe('rl-policy as a paper bot', () => {
  it('trades the saved policy through the runtime, fill for fill as its backtest trades', async () => {
    const temp = makeTempDir('autobot-rl-bot-');
    temps.push(temp);
    const { db, supervisor } = openSupervisor(path.join(temp.dir, 'autobot.db'));
    const candles = storeWave(db);
    const observation = { window: 8, allowShort: true };
    const net = new Mlp({
      sizes: [observationSize(observation), 8, actionCount(observation)],
      activation: 'tanh',
    });
    const random = new Random(5);
    for (let k = 0; k < net.params.length; k++) net.params[k] = random.normal();
    const policy = new Policy('ppo', net);
    const models = new RlModelRepository(db);
    const saved = models.save({
      name: 'random trading policy',
      environment: 'trading',
      algorithm: 'ppo',
      seed: 5,
      steps: 0,
      solvedAtStep: null,
      finalMeanReturn: 0,
      hyperparameters: {},
      curve: [],
      evaluation: {
        episodes: 1,
        finalMeanReturn: 0,
        solvedAtStep: null,
        solvedReturn: 0,
        stepsPerSecond: 0,
        seconds: 0,
        cancelled: false,
        trading: { observation },
      } as never,
      network: { sizes: [...net.sizes], activation: 'tanh' },
      weights: policy.weights(),
    });
    setRlPolicySource(rlPolicySourceOf(models));

    const definition = waveBot({
      name: 'policy bot',
      strategy: 'rl-policy',
      params: { modelId: saved.id },
      sizing: { mode: 'all-in' },
    });
    const bot = supervisor.create(definition);
    await supervisor.start(bot.id);
    await supervisor.settled(bot.id);
    expect(supervisor.get(bot.id).status).toBe('stopped');
    expect(supervisor.get(bot.id).message).toMatch(/reached the last stored bar/);

    const backtest = runStrategy(
      boundPolicyStrategy({ id: saved.id, policy, observation }),
      {},
      {
        candles,
        series: {},
        config: {
          cash: 10_000,
          fees: { commission: 0.001, fixedFee: 0 },
          slippage: 0,
          lotSize: 1,
          sizing: { mode: 'all-in' },
          closeAtEnd: false,
        },
        ticker: null,
      },
    );
    expect(backtest.trades.length).toBeGreaterThan(5);
    const fills = supervisor.fills(bot.id);
    // Each closed trade is an entry and an exit fill; a trade still open has its entry only.
    const expected = backtest.trades.length * 2 + (backtest.openPosition ? 1 : 0);
    expect(fills).toHaveLength(expected);
    const entries = backtest.trades.map((trade) => trade.entryPrice);
    const fillPrices = new Set(fills.map((fill) => fill.price));
    for (const price of entries) expect(fillPrices.has(price)).toBe(true);
    expect(supervisor.get(bot.id).equity).toBeCloseTo(backtest.equity.at(-1)!, 6);
    db.close();
  });
});
