// Simple moving average: out[i] = mean(values[i-period+1..i]).
//
// A plain running sum (sum += new - old) drifts on long series: every step rounds, and the error never
// leaves the sum. So alongside it we accumulate a fresh sum of the current block of `period` bars; each time
// a block completes, the window is exactly that block and the running sum is replaced by the fresh one.
// Drift is therefore bounded by `period` steps, the cost stays O(1) per bar (one extra add), and batch and
// stream perform the very same operations in the same order, so they agree bit for bit.

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`period must be an integer ≥ 1, got ${period}`);
}

/**
 * Rolling mean over `period` bars; out[i] is NaN for i < period - 1.
 * Pass `out` (same length as `values`) to reuse a buffer; it may not alias `values`.
 */
export function sma(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const result = out ?? new Float64Array(n);
  if (result.length !== n)
    throw new RangeError(`out.length must equal values.length (${n}), got ${result.length}`);
  const warm = Math.min(n, period);
  let fresh = 0;
  for (let i = 0; i < warm; i++) {
    fresh += values[i]!;
    result[i] = NaN;
  }
  if (n < period) return result;
  let sum = fresh;
  fresh = 0;
  result[period - 1] = sum / period;
  let k = 0; // position inside the current block
  for (let i = period; i < n; i++) {
    const x = values[i]!;
    fresh += x;
    if (++k === period) {
      sum = fresh;
      fresh = 0;
      k = 0;
    } else {
      sum += x - values[i - period]!;
    }
    result[i] = sum / period;
  }
  return result;
}

/** Streaming SMA: O(1) per update, same arithmetic as {@link sma}. */
export class SmaStream {
  readonly period: number;
  readonly #window: Float64Array;
  #pos = 0;
  #count = 0;
  #k = 0;
  #fresh = 0;
  #sum = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod(period);
    this.period = period;
    this.#window = new Float64Array(period);
  }

  /** Feeds the next value; returns the current SMA, NaN during warm-up. */
  update(value: number): number {
    const p = this.period;
    const old = this.#window[this.#pos]!;
    this.#window[this.#pos] = value;
    this.#pos = this.#pos + 1 === p ? 0 : this.#pos + 1;
    this.#fresh += value;
    if (++this.#k === p) {
      this.#sum = this.#fresh;
      this.#fresh = 0;
      this.#k = 0;
    } else if (this.#count >= p) {
      this.#sum += value - old;
    }
    if (this.#count < p) this.#count++;
    if (this.#count === p) this.#value = this.#sum / p;
    return this.#value;
  }

  get ready(): boolean {
    return this.#count === this.period;
  }

  get value(): number {
    return this.#value;
  }
}
