// Adam (Kingma & Ba 2015) with bias correction, and gradient clipping by global norm — the
// optimiser and clipping Stable-Baselines3 uses for PPO and DQN (clip at max_grad_norm).

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  /** PyTorch's default 1e-8; Stable-Baselines3 uses 1e-5 for PPO. */
  epsilon?: number;
}

export class Adam {
  learningRate: number;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #epsilon: number;
  readonly #m: Float64Array;
  readonly #v: Float64Array;
  #t = 0;

  constructor(size: number, options: AdamOptions) {
    this.learningRate = options.learningRate;
    this.#beta1 = options.beta1 ?? 0.9;
    this.#beta2 = options.beta2 ?? 0.999;
    this.#epsilon = options.epsilon ?? 1e-8;
    this.#m = new Float64Array(size);
    this.#v = new Float64Array(size);
  }

  /** One descent step on params along grads. */
  step(params: Float64Array, grads: Float64Array): void {
    this.#t++;
    const b1 = this.#beta1;
    const b2 = this.#beta2;
    const m = this.#m;
    const v = this.#v;
    const lr = this.learningRate;
    const c1 = 1 - Math.pow(b1, this.#t);
    const c2 = 1 - Math.pow(b2, this.#t);
    // PyTorch's form: step = lr / c1 · m / (sqrt(v / c2) + eps).
    const stepSize = lr / c1;
    const sqrtC2 = Math.sqrt(c2);
    const eps = this.#epsilon;
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = (m[i] = b1 * m[i]! + (1 - b1) * g);
      const vi = (v[i] = b2 * v[i]! + (1 - b2) * g * g);
      params[i] = params[i]! - (stepSize * mi) / (Math.sqrt(vi) / sqrtC2 + eps);
    }
  }
}

/** Scales the gradients together so their global L2 norm is at most maxNorm; returns the norm before. */
export function clipGradNorm(grads: Float64Array[], maxNorm: number): number {
  let sum = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  const norm = Math.sqrt(sum);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
  }
  return norm;
}
