// Every gradient the RL code trains with agrees with central finite differences: each layer of the
// MLP (both activations, every weight, bias and the input), PPO's clipped surrogate with its
// entropy bonus, and the Huber loss. A wrong gradient still "trains", just badly: only this catches it.
import { describe, expect, it } from 'vitest';
import { Mlp, orthogonal } from '../../core/rl/mlp.ts';
import { Random } from '../../core/rl/random.ts';
import { Adam, clipGradNorm } from '../../core/rl/adam.ts';
import { huber, ppoPolicyLoss, softmax } from '../../core/rl/categorical.ts';

const relativeError = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a) + Math.abs(b), 1e-7);

/** A scalar loss of the network's output: a fixed random weighting, so every output matters. */
function lossOf(net: Mlp, x: Float64Array, weights: Float64Array): number {
  const out = net.forward(x);
  let loss = 0;
  for (let k = 0; k < out.length; k++) loss += weights[k]! * out[k]! + 0.5 * out[k]! * out[k]!;
  return loss;
}

describe('MLP gradients', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    it(`match finite differences for every ${activation} layer's weights, biases and the input`, () => {
      const random = new Random(7);
      const net = new Mlp({ sizes: [5, 8, 6, 3], activation }).initOrthogonal(random, Math.SQRT2, 1);
      // Non-zero biases, so the bias path is exercised too.
      for (let i = 0; i < net.params.length; i++) net.params[i] = net.params[i]! + 0.1 * random.normal();
      const x = Float64Array.from({ length: 5 }, () => random.normal());
      const w = Float64Array.from({ length: 3 }, () => random.normal());
      net.zeroGrads();
      const out = net.forward(x);
      const dOut = Float64Array.from(out, (o, k) => w[k]! + o);
      const dInput = Float64Array.from(net.backward(dOut));
      const h = 1e-6;
      let worst = 0;
      for (let i = 0; i < net.params.length; i++) {
        const keep = net.params[i]!;
        net.params[i] = keep + h;
        const up = lossOf(net, x, w);
        net.params[i] = keep - h;
        const down = lossOf(net, x, w);
        net.params[i] = keep;
        worst = Math.max(worst, relativeError(net.grads[i]!, (up - down) / (2 * h)));
      }
      for (let i = 0; i < x.length; i++) {
        const keep = x[i]!;
        x[i] = keep + h;
        const up = lossOf(net, x, w);
        x[i] = keep - h;
        const down = lossOf(net, x, w);
        x[i] = keep;
        worst = Math.max(worst, relativeError(dInput[i]!, (up - down) / (2 * h)));
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
    });
  }

  it('accumulates over a minibatch: two backward passes add their gradients', () => {
    const random = new Random(3);
    const net = new Mlp({ sizes: [2, 4, 1], activation: 'tanh' }).initOrthogonal(random, 1, 1);
    const gradFor = (x: number[]) => {
      net.zeroGrads();
      net.forward(x);
      net.backward([1]);
      return Float64Array.from(net.grads);
    };
    const a = gradFor([0.3, -0.2]);
    const b = gradFor([-1, 0.5]);
    net.zeroGrads();
    net.forward([0.3, -0.2]);
    net.backward([1]);
    net.forward([-1, 0.5]);
    net.backward([1]);
    net.grads.forEach((g, i) => expect(g).toBeCloseTo(a[i]! + b[i]!, 12));
  });

  // PPO trains through the batched passes; a seed must give the same weights as the per-sample
  // passes (checked above against finite differences), bit for bit. Odd widths and batch sizes
  // reach the kernels' leftover rows and units.
  for (const activation of ['tanh', 'relu'] as const) {
    it(`batched ${activation} passes equal the per-sample passes bit for bit, for any batch size`, () => {
      const random = new Random(13);
      const net = new Mlp({ sizes: [5, 7, 6, 3], activation }).initOrthogonal(random, Math.SQRT2, 1);
      for (let i = 0; i < net.params.length; i++) net.params[i] = net.params[i]! + 0.1 * random.normal();
      for (const count of [1, 2, 3, 4, 5, 8, 9, 11]) {
        // The batch starts at row 2 of its array, as PPO's rollout rows do.
        const rows = Float64Array.from({ length: (count + 2) * 5 }, () => random.normal());
        const dOut = Float64Array.from({ length: count * 3 }, () => random.normal());
        net.zeroGrads();
        const expected: number[] = [];
        for (let b = 0; b < count; b++) {
          expected.push(...net.forward(rows.subarray((b + 2) * 5, (b + 3) * 5)));
          net.backward(dOut.subarray(b * 3, (b + 1) * 3));
        }
        const expectedGrads = Array.from(net.grads);
        net.zeroGrads();
        const out = Array.from(net.forwardBatch(rows, 2, count).subarray(0, count * 3));
        net.backwardBatch(dOut, count);
        expect(out).toEqual(expected);
        expect(Array.from(net.grads)).toEqual(expectedGrads);
      }
    });
  }
});

describe('loss gradients', () => {
  it("PPO's clipped surrogate with entropy bonus matches finite differences, inside and outside the clip range", () => {
    const random = new Random(11);
    const probs = new Float64Array(3);
    const grad = new Float64Array(3);
    let checked = 0;
    let clippedSeen = 0;
    for (let trial = 0; trial < 200; trial++) {
      const logits = Float64Array.from({ length: 3 }, () => random.normal());
      const sample = {
        action: random.int(3),
        oldLogProb: Math.log(random.uniform(0.05, 0.95)),
        advantage: random.normal(),
      };
      const loss = (l: Float64Array) => {
        const t = ppoPolicyLoss(l, sample, 0.2, 0.01, 1, new Float64Array(3), new Float64Array(3));
        return t.policyLoss - 0.01 * t.entropy;
      };
      const terms = ppoPolicyLoss(logits, sample, 0.2, 0.01, 1, probs, grad);
      // The surrogate has a kink where r crosses 1 ± ε: skip samples within h of it.
      const ratio = Math.exp(Math.log(probs[sample.action]!) - sample.oldLogProb);
      if (Math.abs(ratio - 0.8) < 1e-4 || Math.abs(ratio - 1.2) < 1e-4) continue;
      if (terms.clipped) clippedSeen++;
      // h = 1e-5: truncation error O(h²) and rounding O(ε/h) both stay far below 1e-6 here.
      const h = 1e-5;
      for (let k = 0; k < 3; k++) {
        const up = Float64Array.from(logits);
        const down = Float64Array.from(logits);
        up[k] = up[k]! + h;
        down[k] = down[k]! - h;
        const numeric = (loss(up) - loss(down)) / (2 * h);
        expect(relativeError(grad[k]!, numeric)).toBeLessThanOrEqual(1e-6);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(150);
    expect(clippedSeen).toBeGreaterThan(10);
  });

  it('Huber loss slope matches finite differences on both sides of δ = 1', () => {
    for (const e of [-3.2, -0.7, 0.01, 0.4, 0.99, 1.5, 12]) {
      const h = 1e-6;
      const numeric = (huber(e + h).loss - huber(e - h).loss) / (2 * h);
      expect(relativeError(huber(e).slope, numeric)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('softmax is a distribution even for large logits', () => {
    const probs = new Float64Array(3);
    softmax([1000, 999, -1000], probs);
    expect(probs[0]! + probs[1]! + probs[2]!).toBeCloseTo(1, 12);
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });
});

describe('initialisation, optimiser and clipping', () => {
  it('orthogonal init gives orthonormal rows (wide) or columns (tall)', () => {
    const random = new Random(5);
    for (const [rows, cols] of [
      [4, 9],
      [9, 4],
    ] as const) {
      const w = orthogonal(rows, cols, random);
      const n = Math.min(rows, cols);
      const vec = (k: number) =>
        rows <= cols
          ? Array.from({ length: cols }, (_, i) => w[k * cols + i]!)
          : Array.from({ length: rows }, (_, i) => w[i * cols + k]!);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          const dot = vec(a).reduce((s, v, i) => s + v * vec(b)[i]!, 0);
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 10);
        }
    }
  });

  it('Adam minimises a quadratic', () => {
    const params = Float64Array.from([3, -2]);
    const grads = new Float64Array(2);
    const adam = new Adam(2, { learningRate: 0.05 });
    for (let i = 0; i < 2000; i++) {
      grads[0] = 2 * (params[0]! - 1);
      grads[1] = 20 * (params[1]! + 0.5);
      adam.step(params, grads);
    }
    expect(params[0]).toBeCloseTo(1, 4);
    expect(params[1]).toBeCloseTo(-0.5, 4);
  });

  it('clipping scales all gradients together to the maximum norm and leaves small ones alone', () => {
    const a = Float64Array.from([3, 0]);
    const b = Float64Array.from([4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 12);
    expect(Math.hypot(a[0]!, a[1]!, b[0]!)).toBeCloseTo(1, 5);
    expect(a[0]! / b[0]!).toBeCloseTo(0.75, 12);
    const c = Float64Array.from([0.1, 0.2]);
    clipGradNorm([c], 1);
    expect(Array.from(c)).toEqual([0.1, 0.2]);
  });

  it('the generator is deterministic for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const r = new Random(seed);
      return [r.next(), r.next(), r.normal(), r.int(1000)];
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
    const r = new Random(9);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) sum += r.next();
    expect(sum / 10_000).toBeGreaterThan(0.48);
    expect(sum / 10_000).toBeLessThan(0.52);
  });
});
