// Proximal Policy Optimization (Schulman et al. 2017) for discrete actions, as Stable-Baselines3
// implements it: separate policy and value MLPs, n_envs environments stepped in lockstep for
// n_steps, generalised advantage estimation, then `epochs` passes of shuffled minibatches over the
// clipped surrogate + value loss − entropy bonus, advantages normalised per minibatch, gradients
// clipped by global norm, Adam. A time-limit truncation bootstraps from the value of the last
// state (the episode did not really end), as Stable-Baselines3 does.
import { Adam, clipGradNorm } from './adam.ts';
import { ppoPolicyLossAt, sampleIndex, softmaxAt, type PpoTerms } from './categorical.ts';
import type { Environment, EnvironmentFactory } from './environment.ts';
import type { Learner, LearnHooks } from './learner.ts';
import { Mlp, type Activation } from './mlp.ts';
import { Policy } from './policy.ts';
import type { Random } from './random.ts';

export interface PpoConfig {
  hidden: number[];
  activation: Activation;
  learningRate: number;
  /** Anneal the learning rate and clip range linearly to 0 over the run (rl-zoo's "lin_" schedules). */
  linearSchedule: boolean;
  nEnvs: number;
  nSteps: number;
  batchSize: number;
  epochs: number;
  gamma: number;
  gaeLambda: number;
  clipRange: number;
  entCoef: number;
  vfCoef: number;
  maxGradNorm: number;
  normalizeAdvantage: boolean;
}

export class Ppo implements Learner {
  readonly config: PpoConfig;
  readonly #pi: Mlp;
  readonly #vf: Mlp;
  /** Adam is elementwise: one per network, stepped together, is the one shared optimiser of SB3. */
  readonly #piAdam: Adam;
  readonly #vfAdam: Adam;
  readonly #envs: Environment[];
  readonly #random: Random;
  readonly #obsSize: number;
  readonly #actions: number;
  /** The update's buffers, allocated once: minibatch order and the minibatch as rows. */
  readonly #order: Int32Array;
  readonly #batchObs: Float64Array;
  readonly #dLogits: Float64Array;
  readonly #dValues: Float64Array;
  readonly #terms: PpoTerms = { policyLoss: 0, entropy: 0, approxKl: 0, clipped: false };

  constructor(makeEnv: EnvironmentFactory, config: PpoConfig, random: Random) {
    this.config = config;
    this.#random = random;
    this.#envs = Array.from({ length: config.nEnvs }, makeEnv);
    const env = this.#envs[0]!;
    this.#obsSize = env.observationSize;
    this.#actions = env.actionCount;
    this.#pi = new Mlp({
      sizes: [this.#obsSize, ...config.hidden, this.#actions],
      activation: config.activation,
    }).initOrthogonal(random, Math.SQRT2, 0.01);
    this.#vf = new Mlp({
      sizes: [this.#obsSize, ...config.hidden, 1],
      activation: config.activation,
    }).initOrthogonal(random, Math.SQRT2, 1);
    const n = config.nSteps * config.nEnvs;
    const batch = Math.min(config.batchSize, n);
    this.#order = new Int32Array(n);
    this.#batchObs = new Float64Array(batch * this.#obsSize);
    this.#dLogits = new Float64Array(batch * this.#actions);
    this.#dValues = new Float64Array(batch);
    // Stable-Baselines3's Adam epsilon for PPO is 1e-5.
    this.#piAdam = new Adam(this.#pi.params.length, { learningRate: config.learningRate, epsilon: 1e-5 });
    this.#vfAdam = new Adam(this.#vf.params.length, { learningRate: config.learningRate, epsilon: 1e-5 });
  }

  policy(): Policy {
    return new Policy('ppo', this.#pi.clone());
  }

  learn(totalSteps: number, hooks: LearnHooks): void {
    const c = this.config;
    const obsSize = this.#obsSize;
    const n = c.nSteps * c.nEnvs;
    const obs = new Float64Array(n * obsSize);
    const actions = new Int32Array(n);
    const rewards = new Float64Array(n);
    const values = new Float64Array(n);
    const logProbs = new Float64Array(n);
    /** 1 where the step ended its episode by termination or truncation (no GAE across it). */
    const dones = new Uint8Array(n);
    const advantages = new Float64Array(n);
    const returns = new Float64Array(n);
    const actionCount = this.#actions;
    const probs = new Float64Array(actionCount);
    const episodeReturns = new Float64Array(c.nEnvs);
    for (const env of this.#envs) env.reset(this.#random);
    let steps = 0;
    while (steps < totalSteps) {
      const progressLeft = 1 - steps / totalSteps;
      const clip = c.linearSchedule ? c.clipRange * progressLeft : c.clipRange;
      this.#piAdam.learningRate = this.#vfAdam.learningRate = c.linearSchedule
        ? c.learningRate * progressLeft
        : c.learningRate;
      // Rollout: index t * nEnvs + e. The envs' observations go through each network as one batch.
      for (let t = 0; t < c.nSteps; t++) {
        const row = t * c.nEnvs;
        for (let e = 0; e < c.nEnvs; e++) obs.set(this.#envs[e]!.observation, (row + e) * obsSize);
        const logits = this.#pi.forwardBatch(obs, row, c.nEnvs);
        const stepValues = this.#vf.forwardBatch(obs, row, c.nEnvs);
        for (let e = 0; e < c.nEnvs; e++) {
          const i = row + e;
          const env = this.#envs[e]!;
          softmaxAt(logits, e * actionCount, probs);
          const action = sampleIndex(probs, this.#random.next());
          actions[i] = action;
          logProbs[i] = Math.log(probs[action]!);
          values[i] = stepValues[e]!;
          const result = env.step(action);
          let reward = result.reward;
          episodeReturns[e] = episodeReturns[e]! + result.reward;
          if (result.truncated && !result.terminated)
            reward += c.gamma * this.#vf.forward(env.observation)[0]!;
          rewards[i] = reward;
          const done = result.terminated || result.truncated;
          dones[i] = done ? 1 : 0;
          if (done) {
            hooks.onEpisode(episodeReturns[e]!, steps + t * c.nEnvs + e + 1);
            episodeReturns[e] = 0;
            env.reset(this.#random);
          }
        }
      }
      steps += n;
      // GAE(λ), bootstrapping the last step of the rollout from the value of the next observation.
      for (let e = 0; e < c.nEnvs; e++) {
        let nextValue = this.#vf.forward(this.#envs[e]!.observation)[0]!;
        let gae = 0;
        for (let t = c.nSteps - 1; t >= 0; t--) {
          const i = t * c.nEnvs + e;
          const notDone = dones[i] ? 0 : 1;
          const delta = rewards[i]! + c.gamma * nextValue * notDone - values[i]!;
          gae = delta + c.gamma * c.gaeLambda * notDone * gae;
          advantages[i] = gae;
          returns[i] = gae + values[i]!;
          nextValue = values[i]!;
        }
      }
      hooks.onUpdate(this.#update(obs, actions, logProbs, advantages, returns, clip, probs));
      if (!hooks.onSteps(steps)) return;
    }
  }

  #update(
    obs: Float64Array,
    actions: Int32Array,
    logProbs: Float64Array,
    advantages: Float64Array,
    returns: Float64Array,
    clip: number,
    probs: Float64Array,
  ): Record<string, number> {
    const c = this.config;
    const n = actions.length;
    const obsSize = this.#obsSize;
    const actionCount = this.#actions;
    const order = this.#order;
    // Each update shuffles from the identity order.
    for (let i = 0; i < n; i++) order[i] = i;
    const batch = Math.min(c.batchSize, n);
    const batchObs = this.#batchObs;
    const dLogits = this.#dLogits;
    const dValues = this.#dValues;
    const terms = this.#terms;
    let policyLoss = 0;
    let valueLoss = 0;
    let entropy = 0;
    let approxKl = 0;
    let clipped = 0;
    let samples = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      this.#random.shuffle(order);
      for (let start = 0; start + batch <= n; start += batch) {
        // Per-minibatch advantage normalisation (Stable-Baselines3).
        let mean = 0;
        let sq = 0;
        for (let b = start; b < start + batch; b++) mean += advantages[order[b]!]!;
        mean /= batch;
        for (let b = start; b < start + batch; b++) sq += (advantages[order[b]!]! - mean) ** 2;
        const std = batch > 1 ? Math.sqrt(sq / (batch - 1)) : 1;
        this.#pi.zeroGrads();
        this.#vf.zeroGrads();
        const scale = 1 / batch;
        for (let k = 0; k < batch; k++) {
          const from = order[start + k]! * obsSize;
          for (let f = 0; f < obsSize; f++) batchObs[k * obsSize + f] = obs[from + f]!;
        }
        const logits = this.#pi.forwardBatch(batchObs, 0, batch);
        for (let k = 0; k < batch; k++) {
          const i = order[start + k]!;
          const advantage = c.normalizeAdvantage ? (advantages[i]! - mean) / (std + 1e-8) : advantages[i]!;
          ppoPolicyLossAt(
            logits,
            k * actionCount,
            actions[i]!,
            logProbs[i]!,
            advantage,
            clip,
            c.entCoef,
            scale,
            probs,
            dLogits,
            k * actionCount,
            terms,
          );
          policyLoss += terms.policyLoss;
          entropy += terms.entropy;
          approxKl += terms.approxKl;
          if (terms.clipped) clipped++;
          samples++;
        }
        this.#pi.backwardBatch(dLogits, batch);
        const v = this.#vf.forwardBatch(batchObs, 0, batch);
        for (let k = 0; k < batch; k++) {
          const error = v[k]! - returns[order[start + k]!]!;
          dValues[k] = 2 * c.vfCoef * error * scale;
          valueLoss += error * error;
        }
        this.#vf.backwardBatch(dValues, batch);
        clipGradNorm([this.#pi.grads, this.#vf.grads], c.maxGradNorm);
        this.#piAdam.step(this.#pi.params, this.#pi.grads);
        this.#vfAdam.step(this.#vf.params, this.#vf.grads);
      }
    }
    const k = Math.max(samples, 1);
    return {
      policyLoss: policyLoss / k,
      valueLoss: valueLoss / k,
      entropy: entropy / k,
      approxKl: approxKl / k,
      clipFraction: clipped / k,
    };
  }
}
