// Exponential moving average, alpha = 2/(n+1). Seeded TA-Lib style: the first value, at index n-1, is the
// SMA of the first n inputs; after that ema += alpha·(x - ema). Seeding with the SMA rather than with the
// first input keeps the early values from being dominated by one bar and matches TA-Lib.

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`period must be an integer ≥ 1, got ${period}`);
}

/**
 * EMA over `period` bars; out[i] is NaN for i < period - 1.
 * Pass `out` (same length as `values`) to reuse a buffer; it may alias `values`.
 */
export function ema(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const result = out ?? new Float64Array(n);
  if (result.length !== n)
    throw new RangeError(`out.length must equal values.length (${n}), got ${result.length}`);
  if (n < period) return result.fill(NaN);
  let sum = 0;
  for (let i = 0; i < period; i++) sum += values[i]!;
  result.fill(NaN, 0, period - 1);
  const alpha = 2 / (period + 1);
  let value = sum / period;
  result[period - 1] = value;
  for (let i = period; i < n; i++) {
    value += alpha * (values[i]! - value);
    result[i] = value;
  }
  return result;
}

/** Streaming EMA: O(1) per update, same arithmetic as {@link ema}. */
export class EmaStream {
  readonly period: number;
  readonly #alpha: number;
  #count = 0;
  #sum = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod(period);
    this.period = period;
    this.#alpha = 2 / (period + 1);
  }

  /** Feeds the next value; returns the current EMA, NaN during warm-up. */
  update(value: number): number {
    if (this.#count === this.period) {
      this.#value += this.#alpha * (value - this.#value);
    } else {
      this.#sum += value;
      if (++this.#count === this.period) this.#value = this.#sum / this.period;
    }
    return this.#value;
  }

  get ready(): boolean {
    return this.#count === this.period;
  }

  get value(): number {
    return this.#value;
  }
}
