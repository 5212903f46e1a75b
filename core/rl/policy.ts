// A trained agent as the rest of the app sees it: observation in, action out, with the numbers
// behind the choice (PPO: action probabilities; DQN: Q-values). Its networks' weights are plain
// arrays, so a model saves to SQLite and reloads into the same policy bit for bit.
import { argmax, softmax } from './categorical.ts';
import { Mlp, type Activation } from './mlp.ts';

export type Algorithm = 'ppo' | 'dqn';

export interface PolicyWeights {
  algorithm: Algorithm;
  sizes: number[];
  activation: Activation;
  /** The network that chooses actions: PPO's policy (logits), DQN's online Q-network. */
  params: number[];
}

export interface PolicyDecision {
  action: number;
  /** PPO: π(a | s) for every action. */
  probabilities?: number[];
  /** DQN: Q(s, a) for every action. */
  qValues?: number[];
}

export class Policy {
  readonly algorithm: Algorithm;
  readonly net: Mlp;
  readonly #probs: Float64Array;

  constructor(algorithm: Algorithm, net: Mlp) {
    this.algorithm = algorithm;
    this.net = net;
    this.#probs = new Float64Array(net.outputSize);
  }

  static fromWeights(weights: PolicyWeights): Policy {
    const net = new Mlp({ sizes: weights.sizes, activation: weights.activation });
    if (weights.params.length !== net.params.length)
      throw new Error(
        `the saved weights hold ${weights.params.length} numbers, the network needs ${net.params.length}`,
      );
    net.params.set(weights.params);
    return new Policy(weights.algorithm, net);
  }

  get observationSize(): number {
    return this.net.inputSize;
  }

  /** The greedy action: most probable (PPO) or highest Q (DQN). */
  act(observation: ArrayLike<number>): number {
    return argmax(this.net.forward(observation));
  }

  decide(observation: ArrayLike<number>): PolicyDecision {
    const out = this.net.forward(observation);
    const action = argmax(out);
    if (this.algorithm === 'dqn') return { action, qValues: Array.from(out) };
    softmax(out, this.#probs);
    return { action, probabilities: Array.from(this.#probs) };
  }

  weights(): PolicyWeights {
    return {
      algorithm: this.algorithm,
      sizes: [...this.net.sizes],
      activation: this.net.activation,
      params: Array.from(this.net.params),
    };
  }
}
