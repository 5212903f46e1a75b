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
  /**
   * The timed work. A case whose work happens elsewhere (in a browser page) may measure it there and
   * return `{ measuredMs }`; the harness then records that instead of its own clock.
   */
  run: (state: unknown) => Promise<unknown> | unknown;
  teardown?: (state: unknown) => Promise<void> | void;
  /** Extra figures from the median run, e.g. rows per second. */
  figures?: (medianMs: number, state: unknown) => Record<string, number | string>;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measuredElsewhere(outcome: unknown): number | null {
  if (outcome && typeof outcome === 'object' && 'measuredMs' in outcome) {
    const value = (outcome as { measuredMs: unknown }).measuredMs;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return null;
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function runCase(bench: BenchCase): Promise<Record<string, unknown>> {
  const runs = bench.runs ?? 5;
  const state = await bench.setup?.();
  try {
    for (let i = 0; i < (bench.warmup ?? 1); i++) {
      await bench.beforeEach?.(state);
      await bench.run(state);
    }
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await bench.beforeEach?.(state);
      const started = performance.now();
      const outcome = await bench.run(state);
      const elapsed = performance.now() - started;
      times.push(measuredElsewhere(outcome) ?? elapsed);
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
