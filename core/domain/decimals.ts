// How many decimals a number carries once float noise is ignored. Shared by the instrument (the
// decimals of a tick size) and by precision detection (the decimals of imported prices), so both
// agree on what "0.1 + 0.2" and "39.682500000000005" mean: 1 and 4 decimals.

/** The most decimals any price or quantity here is given; finer steps than 1e-12 exist at no venue. */
export const maxDecimals = 12;

/** Relative difference below which two doubles are the same decimal, told apart only by float noise. */
export const noiseLevel = 1e-13;

/**
 * The fewest decimals d ≤ `cap` such that `value` rounded to d decimals is `value` up to a double's
 * noise (a relative 1e-13, a few hundred units in the last place): 39.682500000000005 → 4, 0.001 → 3, 100 → 0, 1e-7 → 7. Values needing
 * more than `cap` give `cap`. Non-finite values give 0.
 */
export function decimalsOf(value: number, cap: number = maxDecimals): number {
  if (!Number.isFinite(value)) return 0;
  const magnitude = Math.abs(value);
  const noise = magnitude * noiseLevel;
  for (let d = 0; d < cap; d++) {
    if (Math.abs(roundTo(value, d) - value) <= noise) return d;
  }
  return cap;
}

/**
 * `value` rounded half away from zero to `d` decimals, as the double nearest the decimal string:
 * toFixed works on the exact binary value, so 1.005 (really 1.00499…) rounds to 1.00 — correct for
 * the number the machine holds, and what every venue's own formatter does.
 */
export function roundTo(value: number, d: number): number {
  return Number(value.toFixed(d));
}
