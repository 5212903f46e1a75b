// MACD: macd = EMA_fast - EMA_slow, signal = EMA_signal of the macd line (seeded, like every EMA here, with
// the SMA of its first `signalPeriod` defined values), histogram = macd - signal. Built from the EMA in
// ema.ts, so batch and stream share its arithmetic. fastPeriod ≥ slowPeriod is accepted (the line is then
// just negated or zero); the macd line starts at max(fast, slow) - 1 and the signal signalPeriod - 1 later.
import { ema, EmaStream } from './ema.ts';

export interface MacdLines {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

function checkPeriod(name: string, period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`${name} must be an integer ≥ 1, got ${period}`);
}

function checkParams(fastPeriod: number, slowPeriod: number, signalPeriod: number): void {
  checkPeriod('fastPeriod', fastPeriod);
  checkPeriod('slowPeriod', slowPeriod);
  checkPeriod('signalPeriod', signalPeriod);
}

/**
 * MACD (defaults 12/26/9). macd is NaN for i < max(fast, slow) - 1; signal and histogram for
 * i < max(fast, slow) + signalPeriod - 2. Pass `out` (three arrays, same length as `values`, none aliasing
 * it) to reuse buffers.
 */
export function macd(
  values: Float64Array,
  fastPeriod = 12,
  slowPeriod = 26,
  signalPeriod = 9,
  out?: MacdLines,
): MacdLines {
  checkParams(fastPeriod, slowPeriod, signalPeriod);
  const n = values.length;
  const lines = out ?? {
    macd: new Float64Array(n),
    signal: new Float64Array(n),
    histogram: new Float64Array(n),
  };
  if (lines.macd.length !== n || lines.signal.length !== n || lines.histogram.length !== n)
    throw new RangeError(`out arrays must have length ${n}`);
  const { macd: line, signal, histogram } = lines;
  // The slow EMA goes into `histogram` as scratch space, so no extra buffer is allocated.
  ema(values, fastPeriod, line);
  ema(values, slowPeriod, histogram);
  for (let i = 0; i < n; i++) line[i] = line[i]! - histogram[i]!; // NaN where either EMA is warming up
  const start = Math.max(fastPeriod, slowPeriod) - 1;
  if (n <= start) {
    signal.fill(NaN);
  } else {
    signal.fill(NaN, 0, start);
    ema(line.subarray(start), signalPeriod, signal.subarray(start));
  }
  for (let i = 0; i < n; i++) histogram[i] = line[i]! - signal[i]!;
  return lines;
}

/**
 * Streaming MACD: O(1) per update, same arithmetic as {@link macd}. `value`/`ready` refer to the macd line;
 * `signal` and `histogram` stay NaN for signalPeriod - 1 more updates.
 */
export class MacdStream {
  readonly #fast: EmaStream;
  readonly #slow: EmaStream;
  readonly #signal: EmaStream;
  #macd = NaN;
  #histogram = NaN;

  constructor(fastPeriod = 12, slowPeriod = 26, signalPeriod = 9) {
    checkParams(fastPeriod, slowPeriod, signalPeriod);
    this.#fast = new EmaStream(fastPeriod);
    this.#slow = new EmaStream(slowPeriod);
    this.#signal = new EmaStream(signalPeriod);
  }

  /** Feeds the next close; returns the macd line, NaN during warm-up. */
  update(close: number): number {
    const fast = this.#fast.update(close);
    const slow = this.#slow.update(close);
    if (this.#fast.ready && this.#slow.ready) {
      this.#macd = fast - slow;
      this.#histogram = this.#macd - this.#signal.update(this.#macd);
    }
    return this.#macd;
  }

  get ready(): boolean {
    return this.#fast.ready && this.#slow.ready;
  }

  /** The macd line. */
  get value(): number {
    return this.#macd;
  }

  get macd(): number {
    return this.#macd;
  }

  get signal(): number {
    return this.#signal.value;
  }

  get histogram(): number {
    return this.#histogram;
  }
}
