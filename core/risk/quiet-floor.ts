// The lowest equity a breaker need not hear about, found so that skipping it is exact. A backtest
// with breakers skips the governor's per-bar calls on bars where they could change nothing
// (core/backtest/quiet-bars.ts); for the equity breakers that is "the loss from a reference
// (start-of-day equity, the peak) stays below the limit". The loss is computed as
// ((reference − equity) / reference) × 100, which in floating point is monotone in equity for a
// positive reference (each rounding step is), so one equity whose loss is below the limit vouches
// for every higher equity. The floor is a guess nudged up until the breaker's own formula agrees.

/** Percent lost from `reference` down to `equity`, the one formula the breakers and floors share. */
export function lossFromPct(reference: number, equity: number): number {
  return ((reference - equity) / reference) * 100;
}

/**
 * An equity at and above which `lossFromPct(reference, equity) < limitPct`: +∞ when none is found
 * (a reference that is not positive and finite, where the loss is not monotone), so nothing is skipped.
 */
export function quietFloor(reference: number, limitPct: number): number {
  if (!(reference > 0 && reference < Number.POSITIVE_INFINITY)) return Number.POSITIVE_INFINITY;
  let floor = reference - (reference * limitPct) / 100;
  let step = reference * 1e-12;
  for (let k = 0; k < 64; k++) {
    if (lossFromPct(reference, floor) < limitPct) return floor;
    floor += step;
    step *= 2;
  }
  return Number.POSITIVE_INFINITY;
}
