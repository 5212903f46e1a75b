// Long calls the user can cancel by the runId they chose (backtest.run, optimize.run): one runId
// runs once at a time, and cancel(runId) aborts the signal the run was given.
import { AutobotError } from '../contract/errors.ts';

export class CancellableRuns {
  readonly #running = new Map<string, AbortController>();
  /** "A backtest", "An optimisation": how refusals name the run. */
  readonly #what: string;

  constructor(what: string) {
    this.#what = what;
  }

  /** Runs `work` with a signal that cancel(runId) aborts; without a runId it cannot be cancelled. */
  async run<T>(runId: string | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (runId && this.#running.has(runId)) {
      throw new AutobotError('invalid_input', `${this.#what} with runId "${runId}" is already running.`, {
        issues: [{ path: 'runId', message: 'is already running' }],
      });
    }
    const controller = new AbortController();
    if (runId) this.#running.set(runId, controller);
    try {
      return await work(controller.signal);
    } finally {
      if (runId) this.#running.delete(runId);
    }
  }

  /** Whether a run with that id was running (and is now told to stop). */
  cancel(runId: string): boolean {
    const controller = this.#running.get(runId);
    controller?.abort();
    return Boolean(controller);
  }
}
