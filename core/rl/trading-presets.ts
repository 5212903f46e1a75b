// Hyperparameters for the trading environment. Markets are noisy and rewards small, so PPO gets
// rl-zoo's general defaults rather than CartPole's tuned ones: longer rollouts over 4 environments,
// γ 0.99 and λ 0.95 (a position's payoff comes many bars later), a small entropy bonus so the
// policy keeps trying both sides, and a constant learning rate of 3e-4. DQN keeps a 64×64 ReLU
// network, a longer exploration phase and trains every 4 steps. Starting points, not tuned results:
// docs/rl.md says what was tried.
import type { DqnConfig } from './dqn.ts';
import type { PpoConfig } from './ppo.ts';

export const tradingPpoPreset = {
  hidden: [64, 64],
  activation: 'tanh',
  learningRate: 3e-4,
  linearSchedule: false,
  nEnvs: 4,
  nSteps: 256,
  batchSize: 128,
  epochs: 5,
  gamma: 0.99,
  gaeLambda: 0.95,
  clipRange: 0.2,
  entCoef: 0.01,
  vfCoef: 0.5,
  maxGradNorm: 0.5,
  normalizeAdvantage: true,
} satisfies PpoConfig;

export const tradingDqnPreset = {
  hidden: [64, 64],
  activation: 'relu',
  learningRate: 1e-3,
  bufferSize: 50_000,
  learningStarts: 1000,
  batchSize: 64,
  gamma: 0.99,
  trainFreq: 4,
  gradientSteps: 1,
  targetUpdateInterval: 1000,
  explorationFraction: 0.3,
  finalEpsilon: 0.05,
  maxGradNorm: 10,
  double: true,
} satisfies DqnConfig;
