// Average true range. TR_i = max(h-l, |h-c_{i-1}|, |l-c_{i-1}|), and TR_0 = h_0-l_0 since bar 0 has no
// previous close. Wilder smoothing seeded by the mean of TR_0..TR_{n-1}, so the first ATR lands at index
// n-1 (TA-Lib drops TR_0 and starts one bar later). The smoothing uses precomputed factors,
// atr·((n-1)/n) + tr·(1/n), as RSI does: same value up to last-bit rounding, no division in the loop.

function checkPeriod(period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`period must be an integer ≥ 1, got ${period}`);
}

/**
 * ATR over `period` bars; out[i] is NaN for i < period - 1.
 * Pass `out` (same length as the inputs) to reuse a buffer; it may alias any input.
 */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  out?: Float64Array,
): Float64Array {
  checkPeriod(period);
  const n = close.length;
  if (high.length !== n || low.length !== n)
    throw new RangeError(
      `high, low and close must have equal lengths, got ${high.length}, ${low.length}, ${n}`,
    );
  const result = out ?? new Float64Array(n);
  if (result.length !== n)
    throw new RangeError(`out.length must equal close.length (${n}), got ${result.length}`);
  if (n < period) return result.fill(NaN);
  let sum = high[0]! - low[0]!;
  let prevClose = close[0]!;
  for (let i = 1; i < period; i++) {
    const h = high[i]!;
    const l = low[i]!;
    sum += Math.max(h - l, Math.abs(h - prevClose), Math.abs(l - prevClose));
    prevClose = close[i]!;
  }
  result.fill(NaN, 0, period - 1);
  let value = sum / period;
  result[period - 1] = value;
  const keep = (period - 1) / period;
  const weight = 1 / period;
  for (let i = period; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    value = value * keep + Math.max(h - l, Math.abs(h - prevClose), Math.abs(l - prevClose)) * weight;
    prevClose = close[i]!;
    result[i] = value;
  }
  return result;
}

/** Streaming ATR: O(1) per update, same arithmetic as {@link atr}. */
export class AtrStream {
  readonly period: number;
  readonly #keep: number;
  readonly #weight: number;
  #count = 0;
  #sum = 0;
  #prevClose = NaN;
  #value = NaN;

  constructor(period: number) {
    checkPeriod(period);
    this.period = period;
    this.#keep = (period - 1) / period;
    this.#weight = 1 / period;
  }

  /** Feeds the next bar; returns the current ATR, NaN during warm-up. */
  update(high: number, low: number, close: number): number {
    const pc = this.#prevClose;
    const tr = this.#count === 0 ? high - low : Math.max(high - low, Math.abs(high - pc), Math.abs(low - pc));
    this.#prevClose = close;
    if (this.#count === this.period) {
      this.#value = this.#value * this.#keep + tr * this.#weight;
    } else {
      this.#sum += tr;
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
