// The one set of worker threads every heavy run uses, kept warm between runs. Starting a thread
// loads the TypeScript module graph (a few hundred ms), so a run leases the threads it needs from
// here (idle ones first, new ones for the rest) and returns those that stopped cleanly when it ends:
// a job (worker-job.ts: a backtest, a CSV parse, an import) leases one, an optimisation
// (core/optimize/worker-pool.ts) one per worker. Every thread runs thread-worker.ts, which serves
// both. A thread serves one run at a time: leasing takes it out of the idle set in one synchronous
// step, so two runs can never be handed the same thread.
//
// Idle threads must not cost anything: they are unref()'d (they never keep the process alive), at
// most os.availableParallelism() are kept, and each is terminated after the idle timeout (60 s).
// closeWarmThreads() ends them at once (the bench's cold-start case, a host shutting down).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ThreadReply, ThreadRequest } from './thread-protocol.ts';

// From source the worker is thread-worker.ts (Node strips its types); in the Electron bundle it is
// the thread-worker.cjs built beside main.cjs (scripts/build-electron.ts).
const workerEntry = import.meta.url.endsWith('.cjs')
  ? new URL('./thread-worker.cjs', import.meta.url)
  : new URL('./thread-worker.ts', import.meta.url);

/** Threads one run may use, and the most kept warm. */
export const maxThreads = 64;
/** An idle thread unused this long is terminated: a long-lived app does not hold threads forever. */
export const defaultIdleTimeoutMs = 60_000;

let idleTimeoutMs = defaultIdleTimeoutMs;
/** Idle threads, the most recently returned last: it is leased first, so the others can time out. */
const idle: WarmThread[] = [];
let started = 0;

/** What the run holding a thread hears from it. */
export interface ThreadListener {
  onMessage(reply: ThreadReply): void;
  onError(error: Error): void;
  onExit(code: number): void;
}

export class WarmThread {
  /** The thread's id (worker.threadId): diagnostics and tests. */
  readonly id: number;
  /** Resolves once the thread has exited (terminated, crashed or timed out). */
  readonly exited: Promise<void>;
  readonly #worker: Worker;
  #listener: ThreadListener | null = null;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.#worker = new Worker(workerEntry);
    this.id = this.#worker.threadId;
    started++;
    this.#worker.on('message', (reply: ThreadReply) => this.#listener?.onMessage(reply));
    // Always listened to: an 'error' nobody listens to would throw in the host.
    this.#worker.on('error', (error: Error) => this.#listener?.onError(error));
    this.exited = new Promise((resolve) =>
      this.#worker.once('exit', (code: number) => {
        this.#forget();
        const listener = this.#listener;
        this.#listener = null;
        listener?.onExit(code);
        resolve();
      }),
    );
  }

  post(request: ThreadRequest): void {
    this.#worker.postMessage(request);
  }

  /** Ends the thread; it never returns to the idle set. Resolves once it has exited. */
  terminate(): Promise<void> {
    this.#forget();
    void this.#worker.terminate();
    return this.exited;
  }

  /** Called by leaseThread only. */
  lease(listener: ThreadListener): void {
    if (this.#listener !== null) throw new Error(`worker thread ${this.id} is already leased`);
    clearTimeout(this.#idleTimer);
    this.#listener = listener;
    this.#worker.ref();
  }

  /** Called by returnThread only: the run no longer hears this thread. */
  unlease(): void {
    if (this.#listener === null) throw new Error(`worker thread ${this.id} is not leased`);
    this.#listener = null;
  }

  /** Called by returnThread only: the run's data is dropped and the thread waits, unref()'d, for the next. */
  park(): void {
    this.post({ type: 'unload' });
    this.#worker.unref();
    this.#idleTimer = setTimeout(() => void this.terminate(), idleTimeoutMs);
    // The timer must not keep the process alive for a minute either.
    this.#idleTimer.unref();
    idle.push(this);
  }

  #forget(): void {
    clearTimeout(this.#idleTimer);
    const at = idle.indexOf(this);
    if (at >= 0) idle.splice(at, 1);
  }
}

/** The most idle threads kept: no more than the machine can run at once. */
export function warmLimit(): number {
  return Math.min(maxThreads, availableParallelism());
}

/** A thread for one run: an idle one when there is one, else a new one. `listener` hears it until returned. */
export function leaseThread(listener: ThreadListener): WarmThread {
  const thread = idle.pop() ?? new WarmThread();
  thread.lease(listener);
  return thread;
}

/**
 * A run is done with a thread that answered every task it was given: it goes back to the idle set
 * (or ends, when enough threads are idle already; then this resolves once it has exited). A thread
 * still busy must be terminated instead.
 */
export function returnThread(thread: WarmThread): Promise<void> {
  thread.unlease();
  if (idle.length >= warmLimit()) return thread.terminate();
  thread.park();
  return Promise.resolve();
}

/** Ends every idle thread. Threads leased by a run still going come back to the idle set as usual. */
export async function closeWarmThreads(): Promise<void> {
  await Promise.all([...idle].map((thread) => thread.terminate()));
}

/** Diagnostics (tests, the bench): threads started since the process began, and the idle ones. */
export function warmThreadStats(): { started: number; idleThreadIds: number[] } {
  return { started, idleThreadIds: idle.map((thread) => thread.id) };
}

/** Changes the idle timeout of threads returned from now on (tests shorten it). */
export function setIdleTimeout(ms: number): void {
  idleTimeoutMs = ms;
}
