// `npm run bench [-- GROUP...]`: each case runs a warm-up, then several timed runs, and prints one
// JSON line {"case","median_ms","runs",...}. Timing lives here, never in tests.

export interface BenchCase {
  /** "group.name", e.g. "storage.insert". */
  name: string;
  runs?: number;
  warmup?: number;
  /** Runs once before the warm-up; its result is passed to every run. */
  setup?: () => Promise<unknown> | unknown;
  /** Before each run, untimed (e.g. empty a table). */
  beforeEach?: (state: unknown) => Promise<void> | void;
  /** Timed whole, unless `measure` is given instead. */
  run?: (state: unknown) => Promise<unknown> | unknown;
  /**
   * For a figure that is only part of the work (from a cancel to the run settling, the longest
   * stall of the event loop meanwhile): does the work and returns that figure in milliseconds.
   */
  measure?: (state: unknown) => Promise<number>;
  teardown?: (state: unknown) => Promise<void> | void;
  /** Extra figures from the median run, e.g. rows per second. */
  figures?: (medianMs: number, state: unknown) => Record<string, number | string>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** One run's milliseconds: what `measure` reports, else the whole of `run`. */
async function timeOnce(bench: BenchCase, state: unknown): Promise<number> {
  if (bench.measure) return bench.measure(state);
  if (!bench.run) throw new Error(`bench case ${bench.name} has neither run nor measure`);
  const started = performance.now();
  await bench.run(state);
  return performance.now() - started;
}

export async function runCase(bench: BenchCase): Promise<Record<string, unknown>> {
  const runs = bench.runs ?? 5;
  const state = await bench.setup?.();
  try {
    for (let i = 0; i < (bench.warmup ?? 1); i++) {
      await bench.beforeEach?.(state);
      await timeOnce(bench, state);
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await bench.beforeEach?.(state);
      times.push(await timeOnce(bench, state));
    }
    const medianMs = median(times);
    return {
      case: bench.name,
      median_ms: round(medianMs),
      runs,
      min_ms: round(Math.min(...times)),
      max_ms: round(Math.max(...times)),
      ...bench.figures?.(medianMs, state),
    };
  } finally {
    await bench.teardown?.(state);
  }
}
