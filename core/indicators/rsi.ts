// Wilder's RSI. Changes d_i = close_i - close_{i-1}; the first average gain/loss is the plain mean of
// d_1..d_n, so the first RSI lands at index n; afterwards avg = (avg·(n-1) + x) / n.
//
// The smoothing runs as avg·((n-1)/n) + x·(1/n) with both factors precomputed: the division sat on the
// loop-carried dependency and made the batch ~3× slower (the 1M-bar budget is 5 ms); the two forms differ
// only in last-bit rounding. Likewise RSI = 100 - 100/(1 + G/L) is evaluated as 100·(G/(G + L)), the same
// quantity with one division. Since G ≤ fl(G + L), the ratio never rounds above 1, so RSI stays within
// [0, 100] exactly (100·G/(G+L) can print 100.00000000000001) and L = 0 yields exactly 100. A flat window
// (G = L = 0) is defined as 50.
// Gains and losses are split without a branch, (|d| ± d)/2, which is exact and immune to misprediction on
// noisy prices.

function checkPeriod(period: number): void {
  // n = 1 keeps only the last change: RSI degenerates to 0/50/100, which no strategy means to ask for.
  if (!Number.isInteger(period) || period < 2)
    throw new RangeError(`period must be an integer ≥ 2, got ${period}`);
}

/**
 * Wilder RSI over `period` changes (period ≥ 2); out[i] is NaN for i < period.
 * Pass `out` (same length as `values`) to reuse a buffer; it may alias `values`.
 */
export function rsi(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  checkPeriod(period);
  const n = values.length;
  const result = out ?? new Float64Array(n);
  if (result.length !== n)
    throw new RangeError(`out.length must equal values.length (${n}), got ${result.length}`);
  if (n <= period) return result.fill(NaN);
  let gain = 0;
  let loss = 0;
  let prev = values[0]!;
  for (let i = 1; i <= period; i++) {
    const x = values[i]!;
    const d = x - prev;
    prev = x;
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= period;
  loss /= period;
  result.fill(NaN, 0, period);
  let total = gain + loss;
  result[period] = total === 0 ? 50 : 100 * (gain / total);
  const keep = (period - 1) / period;
  const half = 0.5 / period;
  for (let i = period + 1; i < n; i++) {
    const x = values[i]!;
    const d = x - prev;
    prev = x;
    const a = Math.abs(d);
    gain = gain * keep + (a + d) * half;
    loss = loss * keep + (a - d) * half;
    total = gain + loss;
    result[i] = total === 0 ? 50 : 100 * (gain / total);
  }
  return result;
}

/** Streaming Wilder RSI: O(1) per update, same arithmetic as {@link rsi}. */
export class RsiStream {
  readonly period: number;
  readonly #keep: number;
  readonly #half: number;
  #seen = 0; // closes seen, capped at period + 1 once smoothing has started
  #prev = 0;
  #gain = 0;
  #loss = 0;
  #value = NaN;

  constructor(period: number) {
    checkPeriod(period);
    this.period = period;
    this.#keep = (period - 1) / period;
    this.#half = 0.5 / period;
  }

  /** Feeds the next close; returns the current RSI, NaN during warm-up. */
  update(close: number): number {
    const p = this.period;
    const d = close - this.#prev;
    this.#prev = close;
    if (this.#seen === 0) {
      this.#seen = 1;
      return this.#value;
    }
    if (this.#seen <= p) {
      if (d > 0) this.#gain += d;
      else this.#loss -= d;
      if (++this.#seen <= p) return this.#value;
      this.#gain /= p;
      this.#loss /= p;
    } else {
      const a = Math.abs(d);
      this.#gain = this.#gain * this.#keep + (a + d) * this.#half;
      this.#loss = this.#loss * this.#keep + (a - d) * this.#half;
    }
    const total = this.#gain + this.#loss;
    this.#value = total === 0 ? 50 : 100 * (this.#gain / total);
    return this.#value;
  }

  get ready(): boolean {
    return this.#seen > this.period;
  }

  get value(): number {
    return this.#value;
  }
}
