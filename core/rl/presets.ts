// Hyperparameter presets. PPO's "cartpole" follows rl-baselines3-zoo's tuned CartPole-v1 settings
// (n_envs 8, n_steps 32, γ 0.98, λ 0.8, linear lr 1e-3 and clip 0.2, no entropy bonus) but with
// minibatches of 64 over 5 epochs instead of 256 over 20: as many gradient steps per rollout for a
// quarter of the arithmetic, and it solved in fewer steps here (docs/rl.md has the runs compared).
// DQN's follows the zoo's CartPole-v1 settings with a 64×64 network instead of 256×256.
import type { DqnConfig } from './dqn.ts';
import type { PpoConfig } from './ppo.ts';

export const ppoPresets = {
  cartpole: {
    hidden: [64, 64],
    activation: 'tanh',
    learningRate: 1e-3,
    linearSchedule: true,
    nEnvs: 8,
    nSteps: 32,
    batchSize: 64,
    epochs: 5,
    gamma: 0.98,
    gaeLambda: 0.8,
    clipRange: 0.2,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    normalizeAdvantage: true,
  },
} satisfies Record<string, PpoConfig>;

export const dqnPresets = {
  cartpole: {
    hidden: [64, 64],
    activation: 'relu',
    learningRate: 2.3e-3,
    bufferSize: 100_000,
    learningStarts: 1000,
    batchSize: 64,
    gamma: 0.99,
    trainFreq: 256,
    gradientSteps: 128,
    targetUpdateInterval: 10,
    explorationFraction: 0.16,
    finalEpsilon: 0.04,
    maxGradNorm: 10,
    double: true,
  },
} satisfies Record<string, DqnConfig>;
