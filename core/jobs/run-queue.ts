// One queue for every heavy run of a host (backtests on a worker, optimisations, imports, later
// training): at most `capacity` slots are busy at once, and runs start in the order they came
// (FIFO). A run holds as many slots as it keeps threads busy — a job one, an optimisation one per
// worker — so the cap bounds the threads the host keeps busy, and a run needing more slots than are
// free waits, with every run behind it (no overtaking: a large run is never starved by small ones).
//
// A waiting run knows its position (1 = next to start); the queue reports each change, so the UI can
// show "Queued — position N". Cancelling a waiting run (its signal) removes it without starting it;
// a run that ends in any way — done, failed, cancelled — frees its slots at once.
import { availableParallelism } from 'node:os';
import { runKindSchema, type RunKind } from './run-kind.ts';
import { AutobotError } from '../domain/autobot-error.ts';

export type { RunKind };
export const runKinds = runKindSchema.options;

export interface RunTicket {
  /** The caller's runId when it has one (events name it), else the queue makes one up (see anonymousRun). */
  id?: string | undefined;
  kind: RunKind;
  /** Slots held while running (threads kept busy); clamped to 1 … capacity. Default 1. */
  slots?: number | undefined;
  /** Aborting it while the run waits removes the run; once it runs, `work` is expected to stop. */
  signal?: AbortSignal | undefined;
}

export type RunOutcome = 'done' | 'failed' | 'cancelled';

export interface RunQueueListener {
  /** A run waits, or moved up: `position` 1 is the next to start. */
  queued?(run: { id: string; kind: RunKind; position: number }): void;
  started?(run: { id: string; kind: RunKind }): void;
  /** Every run ends exactly once, whether it ran or was cancelled while waiting. */
  ended?(run: { id: string; kind: RunKind; outcome: RunOutcome }): void;
}

/** A run the caller gave no id: nobody can follow it, so its queue events need not be published. */
export function anonymousRun(id: string): boolean {
  // '#' is outside the runId alphabet (core/contract/calls.ts), so no caller's id starts with it.
  return id.startsWith('#');
}

export function queuedRunCancelled(): AutobotError {
  return new AutobotError('cancelled', 'The run was cancelled before it started.');
}

/** A host's default cap: as many slots as the machine has cores. */
export function defaultRunCapacity(): number {
  return availableParallelism();
}

interface Waiting {
  id: string;
  kind: RunKind;
  slots: number;
  /** The position last reported (0: none yet). */
  position: number;
  start(): void;
}

export class RunQueue {
  readonly capacity: number;
  readonly #listener: RunQueueListener;
  readonly #waiting: Waiting[] = [];
  #busySlots = 0;
  #running = 0;
  #nextId = 0;

  constructor(options: { capacity?: number | undefined; listener?: RunQueueListener } = {}) {
    const capacity = options.capacity ?? defaultRunCapacity();
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new AutobotError('invalid_input', 'maxRuns must be a whole number ≥ 1', {
        issues: [{ path: 'maxRuns', message: 'must be a whole number ≥ 1' }],
      });
    this.capacity = capacity;
    this.#listener = options.listener ?? {};
  }

  /** Slots held by running runs. */
  get busySlots(): number {
    return this.#busySlots;
  }

  /** Runs started and not yet ended. */
  get running(): number {
    return this.#running;
  }

  /** The waiting runs' ids, next to start first. */
  get waiting(): string[] {
    return this.#waiting.map((run) => run.id);
  }

  /**
   * Runs `work` once its slots are free and every run queued before it has started; settles with
   * work's outcome. Rejects with AutobotError('cancelled') if the signal aborts while it waits.
   */
  run<T>(ticket: RunTicket, work: () => Promise<T>): Promise<T> {
    const id = ticket.id ?? `#${++this.#nextId}`;
    const { kind, signal } = ticket;
    const slots = Math.min(this.capacity, Math.max(1, Math.floor(ticket.slots ?? 1)));
    if (signal?.aborted) {
      this.#listener.ended?.({ id, kind, outcome: 'cancelled' });
      return Promise.reject(queuedRunCancelled());
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Waiting = {
        id,
        kind,
        slots,
        position: 0,
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          this.#busySlots += slots;
          this.#running++;
          this.#listener.started?.({ id, kind });
          let outcome: RunOutcome = 'failed';
          new Promise<T>((settle) => settle(work()))
            .then(
              (value) => {
                outcome = 'done';
                return value;
              },
              (error: unknown) => {
                if (error instanceof AutobotError && error.code === 'cancelled') outcome = 'cancelled';
                throw error;
              },
            )
            .finally(() => {
              this.#busySlots -= slots;
              this.#running--;
              this.#listener.ended?.({ id, kind, outcome });
              this.#startWaiting();
            })
            .then(resolve, reject);
        },
      };
      const onAbort = () => {
        const at = this.#waiting.indexOf(entry);
        if (at < 0) return;
        this.#waiting.splice(at, 1);
        this.#listener.ended?.({ id, kind, outcome: 'cancelled' });
        reject(queuedRunCancelled());
        // The head may have been the run that did not fit: the ones behind it may start now.
        this.#startWaiting();
        this.#reportPositions();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(entry);
      if (this.#waiting.length === 1 && this.#fits(entry)) {
        this.#waiting.shift();
        entry.start();
      } else {
        this.#reportPositions();
      }
    });
  }

  #fits(run: Waiting): boolean {
    return this.#busySlots + run.slots <= this.capacity;
  }

  /** Starts waiting runs from the head while they fit (strict FIFO: none overtakes the head). */
  #startWaiting(): void {
    while (this.#waiting.length > 0 && this.#fits(this.#waiting[0]!)) this.#waiting.shift()!.start();
    this.#reportPositions();
  }

  /** Tells each waiting run whose position changed its new one. */
  #reportPositions(): void {
    this.#waiting.forEach((run, i) => {
      if (run.position === i + 1) return;
      run.position = i + 1;
      this.#listener.queued?.({ id: run.id, kind: run.kind, position: run.position });
    });
  }
}
