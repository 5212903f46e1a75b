// Waits between reconnect attempts: doubling from `initialMs` to `maxMs`, with up to a quarter of
// random jitter so many clients cut off together do not return in lockstep.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

export function backoffDelay(
  attempt: number,
  options: BackoffOptions = defaultBackoff,
  random = Math.random,
): number {
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.75 + random() * 0.25));
}
