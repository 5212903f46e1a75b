// A small fully connected network in Float64Array arithmetic: the policies and value functions of
// PPO and DQN. Every weight and bias lives in one flat `params` array (and its gradient in `grads`),
// so the optimiser, gradient clipping, copying to a target network and saving to SQLite each handle
// one array. Layer l's weights are row-major (out × in): a forward pass is one dot product per unit
// over contiguous memory, which V8 compiles to a tight loop.
//
// forward() keeps every layer's output of the last call; backward() uses them, so the pattern is
// forward(x) then backward(dLoss/dOutput) per sample, accumulating into `grads` over a minibatch.
// forwardBatch() / backwardBatch() do the same for a whole minibatch at once (PPO's update and
// rollout), with the same arithmetic in the same order, so their results are identical bit for bit.
import type { Random } from './random.ts';

export type Activation = 'tanh' | 'relu';

export interface MlpShape {
  /** Layer widths from input to output, e.g. [4, 64, 64, 2]. */
  sizes: number[];
  /** Of the hidden layers; the output layer is linear. */
  activation: Activation;
}

export class Mlp {
  readonly sizes: readonly number[];
  readonly activation: Activation;
  readonly params: Float64Array;
  readonly grads: Float64Array;
  /** Offsets in params of each layer's weights, then its biases. */
  readonly #weightAt: number[] = [];
  readonly #biasAt: number[] = [];
  /** outputs[0] is the input of the last forward(); outputs[l] the output of layer l. */
  readonly #outputs: Float64Array[];
  /** dLoss/d(output of layer l), reused by backward(). */
  readonly #deltas: Float64Array[];
  /** forwardBatch()'s activations per layer (rows of samples) and backwardBatch()'s deltas. */
  #batchOutputs: Float64Array[] = [];
  #batchDeltas: Float64Array[] = [];
  #batchCapacity = 0;
  #batchInput: Float64Array | null = null;
  #batchInputRow = 0;

  constructor(shape: MlpShape) {
    const { sizes, activation } = shape;
    if (sizes.length < 2 || sizes.some((n) => !Number.isInteger(n) || n < 1))
      throw new Error('an MLP needs at least an input and an output layer of whole, positive widths');
    this.sizes = [...sizes];
    this.activation = activation;
    let count = 0;
    for (let l = 1; l < sizes.length; l++) {
      this.#weightAt.push(count);
      count += sizes[l]! * sizes[l - 1]!;
      this.#biasAt.push(count);
      count += sizes[l]!;
    }
    this.params = new Float64Array(count);
    this.grads = new Float64Array(count);
    this.#outputs = sizes.map((n) => new Float64Array(n));
    this.#deltas = sizes.map((n) => new Float64Array(n));
  }

  get inputSize(): number {
    return this.sizes[0]!;
  }

  get outputSize(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  /**
   * Orthogonal weights, zero biases — the initialisation PPO implementations use (Stable-Baselines3:
   * gain √2 for hidden layers, a small gain for the policy head so early actions are near uniform).
   */
  initOrthogonal(random: Random, hiddenGain: number, outputGain: number): this {
    const layers = this.sizes.length - 1;
    for (let l = 0; l < layers; l++) {
      const rows = this.sizes[l + 1]!;
      const cols = this.sizes[l]!;
      const gain = l === layers - 1 ? outputGain : hiddenGain;
      const w = orthogonal(rows, cols, random);
      const at = this.#weightAt[l]!;
      for (let i = 0; i < w.length; i++) this.params[at + i] = gain * w[i]!;
      this.params.fill(0, this.#biasAt[l]!, this.#biasAt[l]! + rows);
    }
    return this;
  }

  /** The network's output for x; the returned array is reused by the next call. */
  forward(x: ArrayLike<number>): Float64Array {
    const input = this.#outputs[0]!;
    for (let i = 0; i < input.length; i++) input[i] = x[i]!;
    const p = this.params;
    const layers = this.sizes.length - 1;
    const relu = this.activation === 'relu';
    for (let l = 0; l < layers; l++) {
      const inp = this.#outputs[l]!;
      const out = this.#outputs[l + 1]!;
      const nIn = inp.length;
      const nOut = out.length;
      const hidden = l < layers - 1;
      let w = this.#weightAt[l]!;
      const b = this.#biasAt[l]!;
      for (let j = 0; j < nOut; j++) {
        let sum = p[b + j]!;
        for (let i = 0; i < nIn; i++) sum += p[w + i]! * inp[i]!;
        w += nIn;
        out[j] = hidden ? (relu ? (sum > 0 ? sum : 0) : tanh(sum)) : sum;
      }
    }
    return this.#outputs[layers]!;
  }

  /**
   * Adds dLoss/dParams for the last forward() to `grads` and returns dLoss/dInput (reused buffer).
   * `dOutput` is dLoss/d(network output).
   */
  backward(dOutput: ArrayLike<number>): Float64Array {
    const p = this.params;
    const g = this.grads;
    const layers = this.sizes.length - 1;
    const relu = this.activation === 'relu';
    const top = this.#deltas[layers]!;
    for (let j = 0; j < top.length; j++) top[j] = dOutput[j]!;
    for (let l = layers - 1; l >= 0; l--) {
      const inp = this.#outputs[l]!;
      const delta = this.#deltas[l + 1]!;
      const out = this.#outputs[l + 1]!;
      // delta holds dLoss/d(activated output); turn it into dLoss/d(pre-activation) for hidden layers.
      if (l < layers - 1) {
        for (let j = 0; j < delta.length; j++) {
          const y = out[j]!;
          delta[j] = relu ? (y > 0 ? delta[j]! : 0) : delta[j]! * (1 - y * y);
        }
      }
      const nIn = inp.length;
      const below = this.#deltas[l]!;
      below.fill(0);
      let w = this.#weightAt[l]!;
      const b = this.#biasAt[l]!;
      for (let j = 0; j < delta.length; j++) {
        const d = delta[j]!;
        g[b + j] = g[b + j]! + d;
        if (d !== 0) {
          for (let i = 0; i < nIn; i++) {
            g[w + i] = g[w + i]! + d * inp[i]!;
            below[i] = below[i]! + d * p[w + i]!;
          }
        }
        w += nIn;
      }
    }
    return this.#deltas[0]!;
  }

  /**
   * The network's outputs for `count` inputs at once: rows of `input` (row-major, inputSize wide)
   * from row `row`. Returns the outputs (count × outputSize, row-major), reused by the next call.
   * Each output is the same sum in the same order as forward() computes it — bit for bit — but
   * four samples share each weight load and add into four independent accumulators, so the loop is
   * bound by loads rather than by the latency of one long chain of additions.
   * backwardBatch() uses the activations of the last call; `input` must not change in between.
   */
  forwardBatch(input: Float64Array, row: number, count: number): Float64Array {
    this.#ensureBatch(count);
    this.#batchInput = input;
    this.#batchInputRow = row;
    const p = this.params;
    const layers = this.sizes.length - 1;
    const relu = this.activation === 'relu';
    for (let l = 0; l < layers; l++) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      const x = l === 0 ? input : this.#batchOutputs[l]!;
      const xAt = l === 0 ? row * nIn : 0;
      const y = this.#batchOutputs[l + 1]!;
      forwardLayer(p, this.#weightAt[l]!, this.#biasAt[l]!, nIn, nOut, x, xAt, y, count);
      if (l < layers - 1) {
        const end = count * nOut;
        if (relu) for (let k = 0; k < end; k++) y[k] = y[k]! > 0 ? y[k]! : 0;
        else for (let k = 0; k < end; k++) y[k] = tanh(y[k]!);
      }
    }
    return this.#batchOutputs[layers]!;
  }

  /**
   * Adds dLoss/dParams for every sample of the last forwardBatch() to `grads`, given `dOutput`
   * (count × outputSize, row-major, dLoss/d(network output)). Each gradient element receives the
   * samples' contributions in sample order, as forward()/backward() per sample would add them, so
   * the result is bit for bit the same. No input gradient (nothing upstream of the input learns).
   * Overwrites the row buffer backward passes use for deltas, not `dOutput`.
   */
  backwardBatch(dOutput: Float64Array, count: number): void {
    const p = this.params;
    const g = this.grads;
    const layers = this.sizes.length - 1;
    const relu = this.activation === 'relu';
    let delta = dOutput;
    for (let l = layers - 1; l >= 0; l--) {
      const nIn = this.sizes[l]!;
      const nOut = this.sizes[l + 1]!;
      const x = l === 0 ? this.#batchInput! : this.#batchOutputs[l]!;
      const xAt = l === 0 ? this.#batchInputRow * nIn : 0;
      const w0 = this.#weightAt[l]!;
      gradLayer(g, w0, this.#biasAt[l]!, nIn, nOut, x, xAt, delta, count);
      if (l > 0) {
        const below = this.#batchDeltas[l]!;
        deltaBelow(p, w0, nIn, nOut, delta, below, x, count, relu);
        delta = below;
      }
    }
  }

  #ensureBatch(count: number): void {
    if (count <= this.#batchCapacity) return;
    this.#batchCapacity = count;
    this.#batchOutputs = this.sizes.map((n) => new Float64Array(n * count));
    this.#batchDeltas = this.sizes.map((n) => new Float64Array(n * count));
  }

  zeroGrads(): void {
    this.grads.fill(0);
  }

  /** A network of the same shape and weights (DQN's target network). */
  clone(): Mlp {
    const copy = new Mlp({ sizes: [...this.sizes], activation: this.activation });
    copy.params.set(this.params);
    return copy;
  }

  copyFrom(other: Mlp): void {
    this.params.set(other.params);
  }
}

// The batched kernels. Rows are samples (row-major); every sum runs over its terms in the same
// order as the one-sample forward()/backward(), so batched and per-sample results are identical.
// They work on 2 × 4 blocks (two units × four samples, two units × four inputs, two samples × four
// inputs): eight independent accumulators per loop, six loads for eight multiply-adds, so the
// loop is neither bound by the latency of one chain of additions nor by loads. The leftover rows
// or units of a block take the plain loop.

/** y[b][j] = bias[j] + Σ_i w[j][i]·x[b][i] (pre-activation), for b < count. */
function forwardLayer(
  p: Float64Array,
  w0: number,
  b0: number,
  nIn: number,
  nOut: number,
  x: Float64Array,
  xAt: number,
  y: Float64Array,
  count: number,
): void {
  const quads = count - (count % 4);
  const pairs = nOut - (nOut % 2);
  for (let j = 0; j < pairs; j += 2) {
    const wa = w0 + j * nIn;
    const wc = wa + nIn;
    const biasA = p[b0 + j]!;
    const biasC = p[b0 + j + 1]!;
    for (let b = 0; b < quads; b += 4) {
      const x0 = xAt + b * nIn;
      const x1 = x0 + nIn;
      const x2 = x1 + nIn;
      const x3 = x2 + nIn;
      let a0 = biasA;
      let a1 = biasA;
      let a2 = biasA;
      let a3 = biasA;
      let c0 = biasC;
      let c1 = biasC;
      let c2 = biasC;
      let c3 = biasC;
      for (let i = 0; i < nIn; i++) {
        const u = p[wa + i]!;
        const v = p[wc + i]!;
        const v0 = x[x0 + i]!;
        const v1 = x[x1 + i]!;
        const v2 = x[x2 + i]!;
        const v3 = x[x3 + i]!;
        a0 += u * v0;
        c0 += v * v0;
        a1 += u * v1;
        c1 += v * v1;
        a2 += u * v2;
        c2 += v * v2;
        a3 += u * v3;
        c3 += v * v3;
      }
      const yb = b * nOut + j;
      y[yb] = a0;
      y[yb + 1] = c0;
      y[yb + nOut] = a1;
      y[yb + nOut + 1] = c1;
      y[yb + 2 * nOut] = a2;
      y[yb + 2 * nOut + 1] = c2;
      y[yb + 3 * nOut] = a3;
      y[yb + 3 * nOut + 1] = c3;
    }
    for (let b = quads; b < count; b++) {
      const xb = xAt + b * nIn;
      let a = biasA;
      let c = biasC;
      for (let i = 0; i < nIn; i++) {
        const v = x[xb + i]!;
        a += p[wa + i]! * v;
        c += p[wc + i]! * v;
      }
      y[b * nOut + j] = a;
      y[b * nOut + j + 1] = c;
    }
  }
  for (let j = pairs; j < nOut; j++) {
    const wj = w0 + j * nIn;
    const bias = p[b0 + j]!;
    for (let b = 0; b < quads; b += 4) {
      const x0 = xAt + b * nIn;
      const x1 = x0 + nIn;
      const x2 = x1 + nIn;
      const x3 = x2 + nIn;
      let s0 = bias;
      let s1 = bias;
      let s2 = bias;
      let s3 = bias;
      for (let i = 0; i < nIn; i++) {
        const w = p[wj + i]!;
        s0 += w * x[x0 + i]!;
        s1 += w * x[x1 + i]!;
        s2 += w * x[x2 + i]!;
        s3 += w * x[x3 + i]!;
      }
      const yb = b * nOut + j;
      y[yb] = s0;
      y[yb + nOut] = s1;
      y[yb + 2 * nOut] = s2;
      y[yb + 3 * nOut] = s3;
    }
    for (let b = quads; b < count; b++) {
      const xb = xAt + b * nIn;
      let s = bias;
      for (let i = 0; i < nIn; i++) s += p[wj + i]! * x[xb + i]!;
      y[b * nOut + j] = s;
    }
  }
}

/** grads of w[j][i] += Σ_b δ[b][j]·x[b][i] and of bias[j] += Σ_b δ[b][j], samples in order. */
function gradLayer(
  g: Float64Array,
  w0: number,
  b0: number,
  nIn: number,
  nOut: number,
  x: Float64Array,
  xAt: number,
  delta: Float64Array,
  count: number,
): void {
  for (let j = 0; j < nOut; j++) {
    let gb = g[b0 + j]!;
    for (let b = 0, db = j; b < count; b++, db += nOut) gb += delta[db]!;
    g[b0 + j] = gb;
  }
  const quads = nIn - (nIn % 4);
  const pairs = nOut - (nOut % 2);
  for (let j = 0; j < pairs; j += 2) {
    const wa = w0 + j * nIn;
    const wc = wa + nIn;
    for (let i = 0; i < quads; i += 4) {
      let a0 = g[wa + i]!;
      let a1 = g[wa + i + 1]!;
      let a2 = g[wa + i + 2]!;
      let a3 = g[wa + i + 3]!;
      let c0 = g[wc + i]!;
      let c1 = g[wc + i + 1]!;
      let c2 = g[wc + i + 2]!;
      let c3 = g[wc + i + 3]!;
      for (let b = 0, xb = xAt + i, db = j; b < count; b++, xb += nIn, db += nOut) {
        const d = delta[db]!;
        const e = delta[db + 1]!;
        const v0 = x[xb]!;
        const v1 = x[xb + 1]!;
        const v2 = x[xb + 2]!;
        const v3 = x[xb + 3]!;
        a0 += d * v0;
        c0 += e * v0;
        a1 += d * v1;
        c1 += e * v1;
        a2 += d * v2;
        c2 += e * v2;
        a3 += d * v3;
        c3 += e * v3;
      }
      g[wa + i] = a0;
      g[wa + i + 1] = a1;
      g[wa + i + 2] = a2;
      g[wa + i + 3] = a3;
      g[wc + i] = c0;
      g[wc + i + 1] = c1;
      g[wc + i + 2] = c2;
      g[wc + i + 3] = c3;
    }
    for (let i = quads; i < nIn; i++) {
      let a = g[wa + i]!;
      let c = g[wc + i]!;
      for (let b = 0, xb = xAt + i, db = j; b < count; b++, xb += nIn, db += nOut) {
        a += delta[db]! * x[xb]!;
        c += delta[db + 1]! * x[xb]!;
      }
      g[wa + i] = a;
      g[wc + i] = c;
    }
  }
  for (let j = pairs; j < nOut; j++) {
    const wj = w0 + j * nIn;
    for (let i = 0; i < quads; i += 4) {
      let a0 = g[wj + i]!;
      let a1 = g[wj + i + 1]!;
      let a2 = g[wj + i + 2]!;
      let a3 = g[wj + i + 3]!;
      for (let b = 0, xb = xAt + i, db = j; b < count; b++, xb += nIn, db += nOut) {
        const d = delta[db]!;
        a0 += d * x[xb]!;
        a1 += d * x[xb + 1]!;
        a2 += d * x[xb + 2]!;
        a3 += d * x[xb + 3]!;
      }
      g[wj + i] = a0;
      g[wj + i + 1] = a1;
      g[wj + i + 2] = a2;
      g[wj + i + 3] = a3;
    }
    for (let i = quads; i < nIn; i++) {
      let a = g[wj + i]!;
      for (let b = 0, xb = xAt + i, db = j; b < count; b++, xb += nIn, db += nOut) a += delta[db]! * x[xb]!;
      g[wj + i] = a;
    }
  }
}

/**
 * below[b][i] = (Σ_j δ[b][j]·w[j][i]) · act'(y[b][i]): the delta of the hidden layer under this
 * one, y being that layer's activated output (tanh: 1 − y², ReLU: y > 0).
 */
function deltaBelow(
  p: Float64Array,
  w0: number,
  nIn: number,
  nOut: number,
  delta: Float64Array,
  below: Float64Array,
  y: Float64Array,
  count: number,
  relu: boolean,
): void {
  const quads = nIn - (nIn % 4);
  const pairs = count - (count % 2);
  for (let b = 0; b < pairs; b += 2) {
    const da = b * nOut;
    const dc = da + nOut;
    const ya = b * nIn;
    const yc = ya + nIn;
    for (let i = 0; i < quads; i += 4) {
      let a0 = 0;
      let a1 = 0;
      let a2 = 0;
      let a3 = 0;
      let c0 = 0;
      let c1 = 0;
      let c2 = 0;
      let c3 = 0;
      for (let j = 0, w = w0 + i; j < nOut; j++, w += nIn) {
        const d = delta[da + j]!;
        const e = delta[dc + j]!;
        const u0 = p[w]!;
        const u1 = p[w + 1]!;
        const u2 = p[w + 2]!;
        const u3 = p[w + 3]!;
        a0 += d * u0;
        c0 += e * u0;
        a1 += d * u1;
        c1 += e * u1;
        a2 += d * u2;
        c2 += e * u2;
        a3 += d * u3;
        c3 += e * u3;
      }
      below[ya + i] = a0;
      below[ya + i + 1] = a1;
      below[ya + i + 2] = a2;
      below[ya + i + 3] = a3;
      below[yc + i] = c0;
      below[yc + i + 1] = c1;
      below[yc + i + 2] = c2;
      below[yc + i + 3] = c3;
    }
    for (let i = quads; i < nIn; i++) {
      let a = 0;
      let c = 0;
      for (let j = 0, w = w0 + i; j < nOut; j++, w += nIn) {
        a += delta[da + j]! * p[w]!;
        c += delta[dc + j]! * p[w]!;
      }
      below[ya + i] = a;
      below[yc + i] = c;
    }
  }
  for (let b = pairs; b < count; b++) {
    const db = b * nOut;
    const yb = b * nIn;
    for (let i = 0; i < nIn; i++) {
      let s = 0;
      for (let j = 0, w = w0 + i; j < nOut; j++, w += nIn) s += delta[db + j]! * p[w]!;
      below[yb + i] = s;
    }
  }
  const end = count * nIn;
  if (relu) for (let k = 0; k < end; k++) below[k] = y[k]! > 0 ? below[k]! : 0;
  else
    for (let k = 0; k < end; k++) {
      const v = y[k]!;
      below[k] = below[k]! * (1 - v * v);
    }
}

/**
 * tanh through one exp: ~1.5× faster than Math.tanh in V8; still about a fifth of PPO's time.
 * Exact to a few ulps in absolute terms (the derivative 1 − y² stays right to 1e-15); saturates
 * cleanly to ±1 where exp overflows or underflows.
 */
function tanh(x: number): number {
  return 1 - 2 / (Math.exp(2 * x) + 1);
}

/**
 * A rows × cols matrix (row-major) with orthonormal rows or columns, whichever are fewer: the Q
 * factor of a Gaussian matrix by modified Gram–Schmidt, signs fixed so it is uniformly distributed
 * (as torch.nn.init.orthogonal_ does).
 */
export function orthogonal(rows: number, cols: number, random: Random): Float64Array {
  // Orthonormalise the shorter side's vectors: n vectors of length m.
  const transpose = rows > cols;
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  const v = new Float64Array(n * m);
  for (let i = 0; i < v.length; i++) v[i] = random.normal();
  for (let k = 0; k < n; k++) {
    const vk = k * m;
    for (let j = 0; j < k; j++) {
      const vj = j * m;
      let dot = 0;
      for (let i = 0; i < m; i++) dot += v[vk + i]! * v[vj + i]!;
      for (let i = 0; i < m; i++) v[vk + i] = v[vk + i]! - dot * v[vj + i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[vk + i]! * v[vk + i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) v[vk + i] = v[vk + i]! / norm;
  }
  if (!transpose) return v;
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < n; k++) for (let i = 0; i < m; i++) out[i * cols + k] = v[k * m + i]!;
  return out;
}
