// What a strategy sees of a series on the live path (paper and live bots): only the bars that have
// closed. A backtest hands strategies whole columns, and nothing stops onBar from reading bar i + 1
// there; a bot must not be able to, or its paper results would be a fiction. So the live path gives
// strategies views that hold only what has arrived and throw a LookAheadError on any index past
// the current bar — a loud failure instead of a silently impossible result.
//
// A view is a Proxy over a growing buffer, and the future is not merely hidden but absent from the
// buffer. An indexed read costs a trap: V8 has no fast path for keyed loads on a Proxy, so each is a
// call into the runtime (about 0.2 µs idle, 0.5 µs on a loaded machine) — a bar's handful of reads
// can afford it, a fleet's millions notice it (docs/runtime.md). A named read is a fast trap, so a
// helper that reads several values at once (crossover.ts) takes the series behind the view by its
// symbol and reads `at()`, with the same look-ahead check.

/** Thrown when a strategy on the live path reads a bar that has not closed yet. */
export class LookAheadError extends Error {
  readonly series: string;
  readonly index: number;
  readonly current: number;

  constructor(series: string, index: number, current: number) {
    super(
      `look-ahead: ${series}[${index}] was read on bar ${current}; on the live path only bars 0…${current} exist`,
    );
    this.name = 'LookAheadError';
    this.series = series;
    this.index = index;
    this.current = current;
  }
}

/** A series that grows one value per closed bar; `view` is what a strategy may read. */
export class LiveSeries {
  readonly name: string;
  /** Values known so far (the current bar is `count − 1`). */
  count = 0;
  private buffer: Float64Array;
  /** Reads like a Float64Array of `count` values; an index ≥ count throws LookAheadError. */
  readonly view: Float64Array;

  constructor(name: string, capacity = 1024) {
    this.name = name;
    this.buffer = new Float64Array(Math.max(16, capacity));
    this.view = guardedView(this);
  }

  push(value: number): void {
    if (this.count === this.buffer.length) {
      const grown = new Float64Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.count++] = value;
  }

  /** The value at `index`, which must have arrived. */
  at(index: number): number {
    if (index >= this.count) throw new LookAheadError(this.name, index, this.count - 1);
    return this.buffer[index]!;
  }

  /** The values so far, as a plain array (shares the buffer until the next push grows it). */
  known(): Float64Array {
    return this.buffer.subarray(0, this.count);
  }
}

const behind = Symbol('live series');

/** The live series behind a view, or undefined for a plain array (a backtest's columns). */
export function liveSeriesBehind(values: Float64Array): LiveSeries | undefined {
  return (values as unknown as { [behind]?: LiveSeries })[behind];
}

/** A fixed array seen as a live series whose current bar is its last: for indicators recomputed per bar. */
export function guardArray(name: string, values: Float64Array): Float64Array {
  const series = new LiveSeries(name, 16);
  (series as unknown as { buffer: Float64Array }).buffer = values;
  series.count = values.length;
  return series.view;
}

function guardedView(series: LiveSeries): Float64Array {
  const handler: ProxyHandler<object> = {
    get(_target, property) {
      if (property === behind) return series;
      if (typeof property === 'string') {
        const first = property.charCodeAt(0);
        if (first >= 48 && first <= 57) {
          const index = Number(property);
          if (index < series.count) return series.at(index);
          if (Number.isInteger(index)) throw new LookAheadError(series.name, index, series.count - 1);
          return undefined;
        }
        if (property === 'length') return series.count;
      }
      // Everything else (subarray, at, iteration…) acts on the known values only.
      const known = series.known();
      const value = Reflect.get(known, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(known) : value;
    },
    has(_target, property) {
      return Reflect.has(series.known(), property);
    },
  };
  return new Proxy({}, handler) as Float64Array;
}
