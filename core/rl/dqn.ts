// Deep Q-Network (Mnih et al. 2015) as Stable-Baselines3 implements it: a replay buffer, a target
// network copied every `targetUpdateInterval` steps, ε-greedy exploration annealed linearly from 1
// to `finalEpsilon` over the first `explorationFraction` of the run, `gradientSteps` minibatch
// updates every `trainFreq` steps after `learningStarts`, Huber loss, gradient clipping, Adam.
// Double DQN (van Hasselt et al. 2016) picks the next action with the online network and values
// it with the target network, which curbs Q over-estimation. Truncation is not termination: the
// target bootstraps from the next state unless the episode really ended.
import { Adam, clipGradNorm } from './adam.ts';
import { argmax, huber } from './categorical.ts';
import type { Environment, EnvironmentFactory } from './environment.ts';
import type { Learner, LearnHooks } from './learner.ts';
import { Mlp, type Activation } from './mlp.ts';
import { Policy } from './policy.ts';
import type { Random } from './random.ts';

export interface DqnConfig {
  hidden: number[];
  activation: Activation;
  learningRate: number;
  bufferSize: number;
  learningStarts: number;
  batchSize: number;
  gamma: number;
  trainFreq: number;
  gradientSteps: number;
  targetUpdateInterval: number;
  explorationFraction: number;
  finalEpsilon: number;
  maxGradNorm: number;
  double: boolean;
}

/** Transitions in flat typed arrays, overwritten oldest first once full. */
class ReplayBuffer {
  readonly capacity: number;
  readonly obs: Float64Array;
  readonly next: Float64Array;
  readonly actions: Int32Array;
  readonly rewards: Float64Array;
  readonly terminated: Uint8Array;
  readonly obsSize: number;
  size = 0;
  #at = 0;

  constructor(capacity: number, obsSize: number) {
    this.capacity = capacity;
    this.obsSize = obsSize;
    this.obs = new Float64Array(capacity * obsSize);
    this.next = new Float64Array(capacity * obsSize);
    this.actions = new Int32Array(capacity);
    this.rewards = new Float64Array(capacity);
    this.terminated = new Uint8Array(capacity);
  }

  add(obs: Float64Array, action: number, reward: number, next: Float64Array, terminated: boolean): void {
    const i = this.#at;
    this.obs.set(obs, i * this.obsSize);
    this.next.set(next, i * this.obsSize);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.terminated[i] = terminated ? 1 : 0;
    this.#at = (i + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }
}

export class Dqn implements Learner {
  readonly config: DqnConfig;
  readonly #q: Mlp;
  readonly #target: Mlp;
  readonly #adam: Adam;
  readonly #env: Environment;
  readonly #random: Random;
  readonly #buffer: ReplayBuffer;

  constructor(makeEnv: EnvironmentFactory, config: DqnConfig, random: Random) {
    this.config = config;
    this.#random = random;
    this.#env = makeEnv();
    const obsSize = this.#env.observationSize;
    this.#q = new Mlp({
      sizes: [obsSize, ...config.hidden, this.#env.actionCount],
      activation: config.activation,
    }).initOrthogonal(random, Math.SQRT2, 1);
    this.#target = this.#q.clone();
    this.#adam = new Adam(this.#q.params.length, { learningRate: config.learningRate });
    this.#buffer = new ReplayBuffer(config.bufferSize, obsSize);
  }

  policy(): Policy {
    return new Policy('dqn', this.#q.clone());
  }

  epsilonAt(step: number, totalSteps: number): number {
    const c = this.config;
    const progress = Math.min(1, step / Math.max(1, c.explorationFraction * totalSteps));
    return 1 + (c.finalEpsilon - 1) * progress;
  }

  learn(totalSteps: number, hooks: LearnHooks): void {
    const c = this.config;
    const env = this.#env;
    const actionCount = env.actionCount;
    const before = new Float64Array(env.observationSize);
    env.reset(this.#random);
    let episodeReturn = 0;
    for (let step = 1; step <= totalSteps; step++) {
      before.set(env.observation);
      const epsilon = this.epsilonAt(step - 1, totalSteps);
      const action =
        this.#random.next() < epsilon ? this.#random.int(actionCount) : argmax(this.#q.forward(before));
      const result = env.step(action);
      episodeReturn += result.reward;
      this.#buffer.add(before, action, result.reward, env.observation, result.terminated);
      if (result.terminated || result.truncated) {
        hooks.onEpisode(episodeReturn, step);
        episodeReturn = 0;
        env.reset(this.#random);
      }
      if (step > c.learningStarts && step % c.trainFreq === 0) {
        let loss = 0;
        for (let g = 0; g < c.gradientSteps; g++) loss += this.#train();
        hooks.onUpdate({ tdLoss: loss / c.gradientSteps, epsilon });
      }
      if (step % c.targetUpdateInterval === 0) this.#target.copyFrom(this.#q);
      if (!hooks.onSteps(step)) return;
    }
  }

  #train(): number {
    const c = this.config;
    const buffer = this.#buffer;
    const obsSize = buffer.obsSize;
    const dQ = new Float64Array(this.#q.outputSize);
    const scale = 1 / c.batchSize;
    let loss = 0;
    this.#q.zeroGrads();
    for (let b = 0; b < c.batchSize; b++) {
      const i = this.#random.int(buffer.size);
      const next = buffer.next.subarray(i * obsSize, (i + 1) * obsSize);
      let nextValue = 0;
      if (!buffer.terminated[i]) {
        if (c.double) {
          const chosen = argmax(this.#q.forward(next));
          nextValue = this.#target.forward(next)[chosen]!;
        } else {
          const targetQ = this.#target.forward(next);
          let max = -Infinity;
          for (let k = 0; k < targetQ.length; k++) if (targetQ[k]! > max) max = targetQ[k]!;
          nextValue = max;
        }
      }
      const target = buffer.rewards[i]! + c.gamma * nextValue;
      const q = this.#q.forward(buffer.obs.subarray(i * obsSize, (i + 1) * obsSize));
      const action = buffer.actions[i]!;
      const { loss: l, slope } = huber(q[action]! - target);
      loss += l;
      dQ.fill(0);
      dQ[action] = slope * scale;
      this.#q.backward(dQ);
    }
    clipGradNorm([this.#q.grads], c.maxGradNorm);
    this.#adam.step(this.#q.params, this.#q.grads);
    return loss * scale;
  }
}
