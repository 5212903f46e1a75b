// CartPole-v1 exactly as Gymnasium defines it (gymnasium/envs/classic_control/cartpole.py): the
// same constants, the same equations of motion (Florian 2007, the corrected Barto–Sutton–Anderson
// model) integrated with the explicit Euler step, termination beyond ±12° or ±2.4 m, +1 reward per
// step including the last, and TimeLimit's truncation at 500 steps. The state is float64, as in
// Gymnasium (which only casts the observation it returns to float32). It is the self-test every
// RL user knows: an agent that solves it here is known to work.
import type { Environment, StepResult } from './environment.ts';
import type { Random } from './random.ts';

export const cartPole = {
  gravity: 9.8,
  massCart: 1.0,
  massPole: 0.1,
  totalMass: 1.1,
  /** Half the pole's length. */
  length: 0.5,
  poleMassLength: 0.05,
  forceMag: 10.0,
  tau: 0.02,
  thetaThreshold: (12 * 2 * Math.PI) / 360,
  xThreshold: 2.4,
  maxEpisodeSteps: 500,
  /** Mean evaluation return at which CartPole-v1 counts as solved (its reward_threshold). */
  solvedReturn: 475,
} as const;

/** One Euler step of the cart-pole from `state` ([x, ẋ, θ, θ̇]) under action 0 (push left) or 1 (right). */
export function cartPoleDynamics(state: ArrayLike<number>, action: number, out: Float64Array): void {
  const { gravity, massPole, totalMass, length, poleMassLength, forceMag, tau } = cartPole;
  const x = state[0]!;
  const xDot = state[1]!;
  const theta = state[2]!;
  const thetaDot = state[3]!;
  const force = action === 1 ? forceMag : -forceMag;
  const cosTheta = Math.cos(theta);
  const sinTheta = Math.sin(theta);
  const temp = (force + poleMassLength * thetaDot ** 2 * sinTheta) / totalMass;
  const thetaAcc =
    (gravity * sinTheta - cosTheta * temp) / (length * (4.0 / 3.0 - (massPole * cosTheta ** 2) / totalMass));
  const xAcc = temp - (poleMassLength * thetaAcc * cosTheta) / totalMass;
  out[0] = x + tau * xDot;
  out[1] = xDot + tau * xAcc;
  out[2] = theta + tau * thetaDot;
  out[3] = thetaDot + tau * thetaAcc;
}

export class CartPole implements Environment {
  readonly observationSize = 4;
  readonly actionCount = 2;
  readonly observation = new Float64Array(4);
  #steps = 0;

  reset(random: Random): void {
    for (let i = 0; i < 4; i++) this.observation[i] = random.uniform(-0.05, 0.05);
    this.#steps = 0;
  }

  /** Starts from a given state (tests, reference transitions). */
  setState(state: ArrayLike<number>): void {
    for (let i = 0; i < 4; i++) this.observation[i] = state[i]!;
    this.#steps = 0;
  }

  step(action: number): StepResult {
    if (action !== 0 && action !== 1) throw new Error(`CartPole's action is 0 or 1, not ${action}`);
    const s = this.observation;
    cartPoleDynamics(s, action, s);
    this.#steps++;
    const terminated =
      s[0]! < -cartPole.xThreshold ||
      s[0]! > cartPole.xThreshold ||
      s[2]! < -cartPole.thetaThreshold ||
      s[2]! > cartPole.thetaThreshold;
    return { reward: 1, terminated, truncated: !terminated && this.#steps >= cartPole.maxEpisodeSteps };
  }
}
