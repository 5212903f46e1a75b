// One-number-per-bar arrays a strategy's init() borrows for its indicators, for the length of one
// run (StrategyData.barArray). A fresh million-bar Float64Array costs its 8 MB of page faults on
// first touch, often more than computing an RSI into it, so arrays go back to a small per-thread
// pool when the run ends and the next run of the same length writes over them. A run that stops
// early (cancelled, failed) does not hand its arrays back: they are collected like any garbage.

/** Arrays kept between runs, per thread: 8 one-million-bar arrays (64 MB) at most. */
const poolBytes = 64 * 1024 * 1024;
const pool: Float64Array[] = [];
let pooledBytes = 0;

/** The arrays one run has borrowed; release() hands them back when the run is over. */
export class BarArrays {
  readonly #length: number;
  readonly #lent: Float64Array[] = [];

  constructor(length: number) {
    this.#length = length;
  }

  /** A bar-length array whose previous contents are undefined: pass it as an indicator's `out`. */
  take(): Float64Array {
    const at = pool.findIndex((array) => array.length === this.#length);
    let array: Float64Array;
    if (at >= 0) {
      array = pool.splice(at, 1)[0]!;
      pooledBytes -= array.byteLength;
    } else {
      array = new Float64Array(this.#length);
    }
    this.#lent.push(array);
    return array;
  }

  /** After the run: the arrays are pooled for the next one (the oldest dropped beyond the cap). */
  release(): void {
    for (const array of this.#lent.splice(0)) {
      pool.push(array);
      pooledBytes += array.byteLength;
    }
    while (pooledBytes > poolBytes) pooledBytes -= pool.shift()!.byteLength;
  }
}
