// rl.ppo_cartpole_20k: 20,000 CartPole steps of PPO with the default preset on this thread (rollouts
// and updates; no evaluation episodes), issue #15's goal median ≤ 2,500 ms. rl.predict: one
// observation through a trained-shape 64×64 PPO policy (forward pass, softmax, the decision object
// as rl.predict answers it, without the call's validation); one run is `predictions` of them and
// `per_predict_ms` is the figure for the goal (median ≤ 0.02 ms).
import { CartPole } from '../../core/rl/cartpole.ts';
import { Mlp } from '../../core/rl/mlp.ts';
import { Policy } from '../../core/rl/policy.ts';
import { ppoPresets } from '../../core/rl/presets.ts';
import { Random } from '../../core/rl/random.ts';
import { train } from '../../core/rl/train.ts';
import type { BenchCase } from '../harness.ts';

const predictions = 100_000;

export const rlCases: BenchCase[] = [
  {
    name: 'rl.ppo_cartpole_20k',
    runs: 5,
    warmup: 1,
    run: () =>
      train({
        makeEnv: () => new CartPole(),
        config: { algorithm: 'ppo', ppo: ppoPresets.cartpole },
        totalSteps: 20_000,
        seed: 1,
        evalEvery: 0,
        evalEpisodes: 0,
        stopWhenSolved: false,
      }),
    figures: (medianMs) => ({ steps_per_second: Math.round(20_000 / (medianMs / 1000)) }),
  },
  {
    name: 'rl.predict',
    runs: 11,
    warmup: 2,
    setup: () => {
      const random = new Random(1);
      const net = new Mlp({ sizes: [4, 64, 64, 2], activation: 'tanh' }).initOrthogonal(
        random,
        Math.SQRT2,
        0.01,
      );
      const observations = Array.from({ length: 64 }, () =>
        Array.from({ length: 4 }, () => random.uniform(-0.2, 0.2)),
      );
      return { policy: new Policy('ppo', net), observations };
    },
    run: (state) => {
      const { policy, observations } = state as { policy: Policy; observations: number[][] };
      let actions = 0;
      for (let i = 0; i < predictions; i++) actions += policy.decide(observations[i & 63]!).action;
      return actions;
    },
    figures: (medianMs) => ({ per_predict_ms: Math.round((medianMs / predictions) * 1e5) / 1e5 }),
  },
];
