// Zod builders for strategy parameters whose error messages name the parameter, so a user who typed
// `--param slow=5` reads "slow must be greater than fast", not "Number must be greater than 5".
import { z } from 'zod';

/** A whole number of bars ≥ `min`. */
export function barsParam(name: string, fallback: number, min: number) {
  return z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number of bars`)
    .min(min, `${name} must be at least ${min}`)
    .max(1_000_000, `${name} must be at most 1000000`)
    .default(fallback);
}

/** A number in [min, max]. */
export function rangeParam(name: string, min: number, max: number) {
  return z
    .number({ error: `${name} must be a number` })
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`);
}

/** A percentage strictly above 0 (and below `max`). */
export function percentParam(name: string, max: number) {
  return z
    .number({ error: `${name} must be a number` })
    .gt(0, `${name} must be above 0`)
    .lt(max, `${name} must be below ${max}`);
}
