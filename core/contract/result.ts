import type { CallError } from './errors.ts';

/** What every transport carries back for one call: never a thrown exception across a boundary. */
export type CallResult<T = unknown> = { ok: true; value: T } | { ok: false; error: CallError };
