// Bollinger Bands: middle = SMA(n), upper/lower = middle ± k·σ, σ the population standard deviation of
// the same n values.
//
// σ is not taken from a running sum of squares: for prices around 1e5 with a small spread, Σx² - n·mean²
// cancels catastrophically. Instead a rolling Welford update swaps the oldest value for the newest, and, as
// in the SMA, a fresh Welford pass over the current block of n bars replaces the rolling state whenever the
// window coincides with that block, so rounding error cannot pile up over long series. A flat window gives
// exactly σ = 0 (every delta is 0), hence upper = middle = lower.
import { sma, SmaStream } from './sma.ts';

export interface BollingerBands {
  middle: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

function checkParams(period: number, k: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`period must be an integer ≥ 1, got ${period}`);
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`k must be a finite number ≥ 0, got ${k}`);
}

/**
 * Bollinger Bands over `period` bars with width `k` σ; every line is NaN for i < period - 1.
 * Pass `out` (three arrays, same length as `values`, none aliasing `values`) to reuse buffers.
 */
export function bollinger(values: Float64Array, period = 20, k = 2, out?: BollingerBands): BollingerBands {
  checkParams(period, k);
  const n = values.length;
  const bands = out ?? {
    middle: new Float64Array(n),
    upper: new Float64Array(n),
    lower: new Float64Array(n),
  };
  if (bands.upper.length !== n || bands.lower.length !== n)
    throw new RangeError(`out arrays must have length ${n}`);
  const { middle, upper, lower } = bands;
  sma(values, period, middle); // also checks middle.length
  const warm = Math.min(n, period - 1);
  upper.fill(NaN, 0, warm);
  lower.fill(NaN, 0, warm);
  let mean = 0;
  let m2 = 0;
  let blockMean = 0;
  let blockM2 = 0;
  let j = 0; // values in the current block
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    j++;
    const fd = x - blockMean;
    blockMean += fd / j;
    blockM2 += fd * (x - blockMean);
    if (j === period) {
      mean = blockMean;
      m2 = blockM2;
      blockMean = 0;
      blockM2 = 0;
      j = 0;
    } else if (i >= period) {
      const old = values[i - period]!;
      const delta = x - old;
      const next = mean + delta / period;
      m2 += delta * (x - next + old - mean);
      mean = next;
    }
    if (i >= period - 1) {
      const width = k * Math.sqrt(m2 > 0 ? m2 / period : 0);
      const mid = middle[i]!;
      upper[i] = mid + width;
      lower[i] = mid - width;
    }
  }
  return bands;
}

/** Streaming Bollinger Bands: O(1) per update, same arithmetic as {@link bollinger}. */
export class BollingerStream {
  readonly period: number;
  readonly k: number;
  readonly #sma: SmaStream;
  readonly #window: Float64Array;
  #pos = 0;
  #count = 0;
  #mean = 0;
  #m2 = 0;
  #blockMean = 0;
  #blockM2 = 0;
  #j = 0;
  #upper = NaN;
  #lower = NaN;

  constructor(period = 20, k = 2) {
    checkParams(period, k);
    this.period = period;
    this.k = k;
    this.#sma = new SmaStream(period);
    this.#window = new Float64Array(period);
  }

  /** Feeds the next value; returns the middle band, NaN during warm-up. */
  update(value: number): number {
    const p = this.period;
    const mid = this.#sma.update(value);
    const old = this.#window[this.#pos]!;
    this.#window[this.#pos] = value;
    this.#pos = this.#pos + 1 === p ? 0 : this.#pos + 1;
    const j = ++this.#j;
    const fd = value - this.#blockMean;
    this.#blockMean += fd / j;
    this.#blockM2 += fd * (value - this.#blockMean);
    if (j === p) {
      this.#mean = this.#blockMean;
      this.#m2 = this.#blockM2;
      this.#blockMean = 0;
      this.#blockM2 = 0;
      this.#j = 0;
    } else if (this.#count >= p) {
      const delta = value - old;
      const next = this.#mean + delta / p;
      this.#m2 += delta * (value - next + old - this.#mean);
      this.#mean = next;
    }
    if (this.#count < p) this.#count++;
    if (this.#count === p) {
      const width = this.k * Math.sqrt(this.#m2 > 0 ? this.#m2 / p : 0);
      this.#upper = mid + width;
      this.#lower = mid - width;
    }
    return mid;
  }

  get ready(): boolean {
    return this.#count === this.period;
  }

  /** The middle band (SMA). */
  get value(): number {
    return this.#sma.value;
  }

  get middle(): number {
    return this.#sma.value;
  }

  get upper(): number {
    return this.#upper;
  }

  get lower(): number {
    return this.#lower;
  }
}
