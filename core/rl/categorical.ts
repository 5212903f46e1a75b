// The categorical distribution over discrete actions given a policy network's logits, and the
// per-sample losses PPO and DQN minimise, each with its gradient with respect to the network's
// output (which Mlp.backward() takes). Kept apart from the algorithms so the gradients can be
// checked against finite differences one by one (tests/unit/rl-gradients.test.ts).

/** Softmax of logits into probs (numerically stable); returns log Σ exp(logits). */
export function softmax(logits: ArrayLike<number>, probs: Float64Array): number {
  return softmaxAt(logits, 0, probs);
}

/** softmax() of the logits at logits[at…] (a row of a batch). */
export function softmaxAt(logits: ArrayLike<number>, at: number, probs: Float64Array): number {
  const n = probs.length;
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (logits[at + k]! > max) max = logits[at + k]!;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += probs[k] = Math.exp(logits[at + k]! - max);
  for (let k = 0; k < n; k++) probs[k] = probs[k]! / sum;
  return max + Math.log(sum);
}

/** The index of the largest value (first on ties): the deterministic policy's action. */
export function argmax(values: ArrayLike<number>, n = values.length): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** An action drawn from probs with a uniform draw u ∈ [0, 1). */
export function sampleIndex(probs: Float64Array, u: number): number {
  let acc = 0;
  for (let k = 0; k < probs.length - 1; k++) {
    acc += probs[k]!;
    if (u < acc) return k;
  }
  return probs.length - 1;
}

export function entropyOf(probs: Float64Array, logSumExp: number, logits: ArrayLike<number>): number {
  let h = 0;
  for (let k = 0; k < probs.length; k++) h -= probs[k]! * (logits[k]! - logSumExp);
  return h;
}

export interface PpoSample {
  action: number;
  /** log π_old(action | s), recorded when the action was taken. */
  oldLogProb: number;
  advantage: number;
}

export interface PpoTerms {
  policyLoss: number;
  entropy: number;
  /** r − 1 − log r, the approximate KL Stable-Baselines3 reports. */
  approxKl: number;
  clipped: boolean;
}

/**
 * PPO's clipped surrogate for one sample, L = −min(r·A, clip(r, 1±ε)·A) − c_ent·H, with r =
 * π(a|s) / π_old(a|s). Writes dL/dlogits · scale into `grad` (scale = 1 / minibatch size).
 */
export function ppoPolicyLoss(
  logits: ArrayLike<number>,
  sample: PpoSample,
  clipRange: number,
  entropyCoef: number,
  scale: number,
  probs: Float64Array,
  grad: Float64Array,
): PpoTerms {
  const terms: PpoTerms = { policyLoss: 0, entropy: 0, approxKl: 0, clipped: false };
  ppoPolicyLossAt(
    logits,
    0,
    sample.action,
    sample.oldLogProb,
    sample.advantage,
    clipRange,
    entropyCoef,
    scale,
    probs,
    grad,
    0,
    terms,
  );
  return terms;
}

/**
 * ppoPolicyLoss() on row-major batches without allocating: the logits at logits[at…], the
 * gradient written at grad[gradAt…], the terms into `terms`. PPO's update calls it per sample.
 */
export function ppoPolicyLossAt(
  logits: ArrayLike<number>,
  at: number,
  action: number,
  oldLogProb: number,
  advantage: number,
  clipRange: number,
  entropyCoef: number,
  scale: number,
  probs: Float64Array,
  grad: Float64Array,
  gradAt: number,
  terms: PpoTerms,
): void {
  const n = probs.length;
  const lse = softmaxAt(logits, at, probs);
  const logProb = logits[at + action]! - lse;
  const logRatio = logProb - oldLogProb;
  const ratio = Math.exp(logRatio);
  const a = advantage;
  const clippedRatio = Math.min(Math.max(ratio, 1 - clipRange), 1 + clipRange);
  const unclipped = ratio * a;
  const clipped = clippedRatio * a;
  // The minimum picks the unclipped term unless clipping makes it smaller; then the gradient is 0.
  const useUnclipped = unclipped <= clipped;
  const dLdLogProb = useUnclipped ? -a * ratio : 0;
  // Entropy, as entropyOf() computes it.
  let entropy = 0;
  for (let k = 0; k < n; k++) entropy -= probs[k]! * (logits[at + k]! - lse);
  for (let k = 0; k < n; k++) {
    const p = probs[k]!;
    const dLogProb = (k === action ? 1 : 0) - p;
    // dH/dlogit_k = −p_k (log p_k + H)
    const dEntropy = -p * (logits[at + k]! - lse + entropy);
    grad[gradAt + k] = scale * (dLdLogProb * dLogProb - entropyCoef * dEntropy);
  }
  terms.policyLoss = -Math.min(unclipped, clipped);
  terms.entropy = entropy;
  terms.approxKl = ratio - 1 - logRatio;
  terms.clipped = !useUnclipped;
}

/** Huber loss (smooth L1, δ = 1, as PyTorch's smooth_l1_loss) and its derivative. */
export function huber(error: number): { loss: number; slope: number } {
  const abs = Math.abs(error);
  return abs <= 1
    ? { loss: 0.5 * error * error, slope: error }
    : { loss: abs - 0.5, slope: Math.sign(error) };
}
