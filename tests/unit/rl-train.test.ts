// Training end to end, bounded by steps: PPO with the default CartPole preset solves CartPole-v1
// (mean ≥ 475 over 20 greedy episodes) for seed 2, and every run is repeatable from its seed.
import { describe, expect, it } from 'vitest';
import { CartPole } from '../../core/rl/cartpole.ts';
import { Policy } from '../../core/rl/policy.ts';
import { dqnPresets, ppoPresets } from '../../core/rl/presets.ts';
import { train, type TrainConfig } from '../../core/rl/train.ts';

const target = { solvedReturn: 475, maxReturn: 500 };

function run(config: TrainConfig, totalSteps: number, seed: number, stopWhenSolved = true) {
  return train({
    makeEnv: () => new CartPole(),
    config,
    totalSteps,
    seed,
    evalEvery: 1024,
    evalEpisodes: 20,
    target,
    stopWhenSolved,
  });
}

describe('training on CartPole-v1', () => {
  it('PPO with the default preset solves it within 50,000 steps (seed 2)', () => {
    const result = run({ algorithm: 'ppo', ppo: ppoPresets.cartpole }, 50_000, 2);
    expect(result.solvedAtStep).not.toBeNull();
    expect(result.solvedAtStep!).toBeLessThanOrEqual(50_000);
    expect(result.finalMeanReturn).toBeGreaterThanOrEqual(475);
    // The saved weights are the policy that was evaluated: reloaded, it balances the pole too.
    const policy = Policy.fromWeights(result.weights);
    const env = new CartPole();
    env.setState([0.02, 0, -0.03, 0]);
    let steps = 0;
    for (let done = false; !done; steps++) {
      const r = env.step(policy.act(env.observation));
      done = r.terminated || r.truncated;
    }
    expect(steps).toBeGreaterThanOrEqual(400);
  }, 120_000);

  it('PPO is repeatable from its seed, and another seed trains differently', () => {
    const config: TrainConfig = { algorithm: 'ppo', ppo: { ...ppoPresets.cartpole, hidden: [16] } };
    const a = run(config, 512, 5, false);
    const b = run(config, 512, 5, false);
    const c = run(config, 512, 6, false);
    expect(a.weights.params).toEqual(b.weights.params);
    expect(a.curve).toEqual(b.curve);
    expect(a.weights.params).not.toEqual(c.weights.params);
  });

  it('DQN (double, Huber) is repeatable from its seed and learns from its replay buffer', () => {
    const config: TrainConfig = {
      algorithm: 'dqn',
      dqn: { ...dqnPresets.cartpole, hidden: [16], learningStarts: 200, trainFreq: 4, gradientSteps: 1 },
    };
    const a = run(config, 1000, 3, false);
    const b = run(config, 1000, 3, false);
    expect(a.weights.params).toEqual(b.weights.params);
    // Updates happened: the weights moved from the seed's initial ones.
    const untrained = run({ ...config, dqn: { ...config.dqn, learningStarts: 10_000 } }, 1000, 3, false);
    expect(a.weights.params).not.toEqual(untrained.weights.params);
    expect(a.weights.algorithm).toBe('dqn');
  });
});
