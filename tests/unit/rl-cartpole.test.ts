// CartPole-v1 must be Gymnasium's, or "solves CartPole" means nothing. The reference transitions
// below were computed from Gymnasium's equations (cartpole.py, Euler integrator) in Python floats,
// independently of this code; ours must agree to 1e-12.
import { describe, expect, it } from 'vitest';
import { CartPole, cartPole } from '../../core/rl/cartpole.ts';
import { Random } from '../../core/rl/random.ts';

const trajectory: Array<[number[], number, number[]]> = [
  [
    [0.01, -0.02, 0.03, 0.04],
    1,
    [0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081],
  ],
  [
    [0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081],
    1,
    [0.013093583914951107, 0.3693479760579556, 0.025938625640799837, -0.5258796280501483],
  ],
  [
    [0.013093583914951107, 0.3693479760579556, 0.025938625640799837, -0.5258796280501483],
    0,
    [0.02048054343611022, 0.17387081260481596, 0.01542103307979687, -0.22513741609237464],
  ],
  [
    [0.02048054343611022, 0.17387081260481596, 0.01542103307979687, -0.22513741609237464],
    1,
    [0.02395795968820654, 0.3687690101747617, 0.010918284757949377, -0.5129163478026587],
  ],
  [
    [0.02395795968820654, 0.3687690101747617, 0.010918284757949377, -0.5129163478026587],
    0,
    [0.03133333989170178, 0.17349499275068458, 0.0006599578018962032, -0.21681286835696195],
  ],
  [
    [0.03133333989170178, 0.17349499275068458, 0.0006599578018962032, -0.21681286835696195],
    0,
    [0.03480323974671547, -0.021636386741578473, -0.0036762995652430356, 0.07607816471983775],
  ],
  [
    [0.03480323974671547, -0.021636386741578473, -0.0036762995652430356, 0.07607816471983775],
    0,
    [0.034370512011883896, -0.21670544277345885, -0.0021547362708462803, 0.36759894183747555],
  ],
  [
    [0.034370512011883896, -0.21670544277345885, -0.0021547362708462803, 0.36759894183747555],
    1,
    [0.030036403156414718, -0.021552939941453797, 0.005197242565903231, 0.07423737516925016],
  ],
  [[1.5, 2.0, -0.15, -1.2], 0, [1.54, 1.8071024031755627, -0.174, -0.9578374638321818]],
];

function expectState(actual: Float64Array, expected: number[]) {
  expected.forEach((value, i) => expect(Math.abs(actual[i]! - value)).toBeLessThanOrEqual(1e-12));
}

describe('CartPole-v1', () => {
  it('steps exactly as Gymnasium’s equations, one transition at a time', () => {
    const env = new CartPole();
    for (const [from, action, to] of trajectory) {
      env.setState(from);
      const result = env.step(action);
      expectState(env.observation, to);
      expect(result.reward).toBe(1);
    }
  });

  it('follows the reference over a whole sequence of actions without drift', () => {
    const env = new CartPole();
    env.setState(trajectory[0]![0]);
    for (const [, action, to] of trajectory.slice(0, 8)) {
      env.step(action);
      expectState(env.observation, to);
    }
  });

  it('terminates when the pole passes 12° (reference: step 11 when always pushing right from θ = 0.05)', () => {
    const env = new CartPole();
    env.setState([0, 0, 0.05, 0]);
    const results = Array.from({ length: 11 }, () => env.step(1));
    expect(results.slice(0, 10).every((r) => !r.terminated)).toBe(true);
    expect(results[10]).toEqual({ reward: 1, terminated: true, truncated: false });
    expectState(
      env.observation,
      [0.2142746748015261, 2.1466822746874357, -0.26566395195647824, -3.3173327711102654],
    );
    expect(Math.abs(env.observation[2]!)).toBeGreaterThan(cartPole.thetaThreshold);
  });

  it('terminates beyond ±2.4 on the track', () => {
    const env = new CartPole();
    env.setState([2.39, 1, 0, 0]);
    expect(env.step(1).terminated).toBe(true);
    env.setState([2.3, 1, 0, 0]);
    expect(env.step(1).terminated).toBe(false);
  });

  it('truncates after 500 steps when a controller keeps the pole up', () => {
    const env = new CartPole();
    env.reset(new Random(1));
    let last = { reward: 0, terminated: false, truncated: false };
    let steps = 0;
    while (!last.terminated && !last.truncated) {
      const [x, xDot, theta, thetaDot] = env.observation;
      last = env.step(theta! * 10 + thetaDot! + 0.1 * x! + 0.5 * xDot! > 0 ? 1 : 0);
      steps++;
    }
    expect(steps).toBe(500);
    expect(last).toEqual({ reward: 1, terminated: false, truncated: true });
  });

  it('resets to a uniform state in ±0.05, the same for the same seed', () => {
    const a = new CartPole();
    const b = new CartPole();
    a.reset(new Random(4));
    b.reset(new Random(4));
    expect(Array.from(a.observation)).toEqual(Array.from(b.observation));
    expect(a.observation.every((v) => Math.abs(v) <= 0.05)).toBe(true);
    expect(() => a.step(2)).toThrow(/0 or 1/);
  });
});
