// One optimisation's view of its threads: it leases them from the warm set every heavy run shares
// (core/jobs/warm-threads.ts; idle threads first, new ones for the rest), shares the run's candles with them
// through one SharedArrayBuffer sent in a 'load' message with the run's own cancel flag and
// strategy, and cuts batches of parameter sets into chunks handed to whichever thread is free. The
// host only posts and receives messages, so its event loop never waits on a backtest. When the run
// ends, the threads drop its data and go back to the warm set for the next run.
//
// Cancellation (docs/optimisation.md, "Parallelism"): cancel() raises the run's CancelFlag
// (core/jobs/cancel-flag.ts, the same mechanism a job uses), which every thread reads (Atomics) between two evaluations and answers "cancelled"; a thread
// still busy after the grace period is terminated (a later run starts a new one). cancel() resolves
// once every thread of the run is back in the warm set or has exited.
import { availableParallelism } from 'node:os';
import { AutobotError } from '../domain/autobot-error.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { ParamSet } from './parameter-space.ts';
import type { PoolReply, PoolRequest, PoolTask } from './pool-protocol.ts';
import type { EvaluatorSetup, SetDetail } from './set-evaluator.ts';
import { shareCandles } from './shared-candles.ts';
import type { KeyMetrics } from './spec.ts';
import type { BarRange } from './validation.ts';
import { CancelFlag } from '../jobs/cancel-flag.ts';
import {
  leaseThread,
  maxThreads,
  returnThread,
  type ThreadListener,
  type WarmThread,
} from '../jobs/warm-threads.ts';

export interface PoolOptions {
  /** Threads; default os.availableParallelism(). */
  workers?: number;
  /** How long cancelled workers may take to stop by themselves before they are terminated. */
  graceMs?: number;
}

/** A kernel evaluation of a million bars takes ~10 ms: a cooperating worker answers well within this. */
export const defaultGraceMs = 30;

export function cancelledError(): AutobotError {
  return new AutobotError('cancelled', 'The optimisation was cancelled.');
}

/** A message that expects one answer: the run's 'load', or a task (which gets its id when posted). */
type Request =
  | Extract<PoolRequest, { type: 'load' }>
  | (PoolTask extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never);

interface Task {
  request: Request;
  resolve(reply: PoolReply): void;
  reject(error: unknown): void;
}

interface Slot {
  thread: WarmThread;
  /** The request the thread is working on; a thread holds one at a time. */
  task: Task | null;
  /** The thread crashed: it will exit, and must not be given work or returned. */
  broken: boolean;
  /** Returned to the warm set, or exited: it no longer works for this run. */
  done: boolean;
  /** Called once the slot's task has answered (or its thread exited). */
  onIdle: (() => void) | null;
}

function replyError(reply: Extract<PoolReply, { type: 'failed' }>): Error {
  const { code, message, issues } = reply.error;
  return code === null ? new Error(message) : new AutobotError(code, message, issues ? { issues } : {});
}

/** Sets per message: small enough to balance the workers and report progress, large enough to amortise a message. */
export function chunkSize(sets: number, workers: number): number {
  return Math.min(64, Math.max(1, Math.ceil(sets / (workers * 8))));
}

export class WorkerPool {
  readonly size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  /** This run's own flag: a cancelled run never leaves a raised flag behind for the next. */
  readonly #cancelFlag = new CancelFlag();
  readonly #graceMs: number;
  #nextId = 0;
  #failure: Error | null = null;
  #stopping: Promise<void> | null = null;

  private constructor(size: number, graceMs: number) {
    this.size = size;
    this.#graceMs = graceMs;
  }

  /** Threads still working for this run (0 once cancel() or close() has resolved). */
  get liveWorkers(): number {
    return this.#slots.filter((slot) => !slot.done).length;
  }

  /** The ids of this run's threads (diagnostics: a warm run shows the previous run's ids). */
  get threadIds(): number[] {
    return this.#slots.map((slot) => slot.thread.id);
  }

  /** Leases the threads and waits until each has mapped the candles and loaded its strategy. */
  static async start(
    candles: CandleColumns,
    setup: EvaluatorSetup,
    options: PoolOptions = {},
  ): Promise<WorkerPool> {
    const wanted = options.workers ?? availableParallelism();
    const size = Math.min(maxThreads, Math.max(1, Math.floor(wanted)));
    const pool = new WorkerPool(size, options.graceMs ?? defaultGraceMs);
    const load: Request = {
      type: 'load',
      candles: shareCandles(candles),
      cancelFlag: pool.#cancelFlag.buffer,
      setup,
    };
    for (let i = 0; i < size; i++) pool.#lease();
    // Every load settles before a failure is reported, so each thread can go back warm, not busy.
    const loaded = await Promise.allSettled(
      pool.#slots.map(
        (slot) => new Promise((resolve, reject) => pool.#post(slot, { request: load, resolve, reject })),
      ),
    );
    const failed = loaded.find((outcome) => outcome.status === 'rejected');
    if (failed) {
      await pool.close();
      throw failed.reason;
    }
    return pool;
  }

  #lease(): void {
    // The listener is only called once the slot below exists.
    const listener: ThreadListener = {
      // A leased thread hears only this run: a pool thread answers nothing but the pool's messages.
      onMessage: (message) => {
        const reply = message as PoolReply;
        const task = this.#idle(slot);
        if (task !== null) {
          if (reply.type === 'failed') task.reject(replyError(reply));
          else if (reply.type === 'cancelled') task.reject(cancelledError());
          else task.resolve(reply);
        }
        this.#dispatch();
      },
      onError: (error) => {
        slot.broken = true;
        this.#idle(slot)?.reject(error);
        this.#fail(error);
      },
      onExit: (code) => {
        const error = new Error(`optimisation worker exited with code ${code}`);
        slot.broken = true;
        slot.done = true;
        this.#idle(slot)?.reject(this.#stopping ? cancelledError() : error);
        if (!this.#stopping) this.#fail(error);
      },
    };
    const slot: Slot = {
      thread: leaseThread(listener),
      task: null,
      broken: false,
      done: false,
      onIdle: null,
    };
    this.#slots.push(slot);
  }

  /** The slot's task has answered: frees the slot and tells a waiting stop. */
  #idle(slot: Slot): Task | null {
    const task = slot.task;
    slot.task = null;
    slot.onIdle?.();
    slot.onIdle = null;
    return task;
  }

  #post(slot: Slot, task: Task): void {
    slot.task = task;
    const { request } = task;
    slot.thread.post(request.type === 'load' ? request : ({ ...request, id: this.#nextId++ } as PoolTask));
  }

  /** A worker broke: nothing more can be trusted to finish, so every waiting task fails. */
  #fail(error: Error): void {
    this.#failure ??= error;
    for (const task of this.#queue.splice(0)) task.reject(error);
    void this.close();
  }

  #dispatch(): void {
    if (this.#stopping) return;
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (slot.task !== null || slot.broken) continue;
      this.#post(slot, this.#queue.shift()!);
    }
  }

  #submit(request: Request): Promise<PoolReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#stopping) return Promise.reject(cancelledError());
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#dispatch();
    });
  }

  /**
   * Metrics of each set on the window, in the order given. The sets are cut into chunks spread over
   * the workers; `onChunk(offset, metrics)` reports each chunk as it lands (in any order).
   */
  async evaluate(
    window: BarRange,
    sets: readonly ParamSet[],
    onChunk?: (offset: number, metrics: KeyMetrics[]) => void,
  ): Promise<KeyMetrics[]> {
    const out = new Array<KeyMetrics>(sets.length);
    const size = chunkSize(sets.length, this.size);
    const chunks: Promise<void>[] = [];
    for (let offset = 0; offset < sets.length; offset += size) {
      const chunk = sets.slice(offset, offset + size);
      chunks.push(
        this.#submit({ type: 'evaluate', window, sets: chunk }).then((reply) => {
          const metrics = (reply as Extract<PoolReply, { type: 'evaluated' }>).metrics;
          for (let i = 0; i < metrics.length; i++) out[offset + i] = metrics[i]!;
          onChunk?.(offset, metrics);
        }),
      );
    }
    await Promise.all(chunks);
    return out;
  }

  /** A full backtest of one set on the window (metrics, and the RSI-at-entry scatter when asked). */
  async detail(window: BarRange, params: ParamSet, rsiAtEntry = false): Promise<SetDetail> {
    const reply = await this.#submit({ type: 'detail', window, params, rsiAtEntry });
    return (reply as Extract<PoolReply, { type: 'detail' }>).detail;
  }

  /**
   * Stops the run: raises its cancel flag, fails the queued chunks, gives busy threads the grace
   * period to stop at their next set boundary, then returns the idle threads to the warm set and
   * terminates any still busy. Resolves when every thread of the run is idle or has exited.
   */
  cancel(): Promise<void> {
    return this.#stop();
  }

  /**
   * Ends the run after it completed or failed. The same steps as cancel(): after a completed run no
   * thread is busy; after a failed one, a thread that stops within the grace period stays warm.
   */
  close(): Promise<void> {
    return this.#stop();
  }

  #stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#cancelFlag.raise();
      for (const task of this.#queue.splice(0)) task.reject(cancelledError());
      const busy = this.#slots.filter((slot) => slot.task !== null && !slot.done);
      if (busy.length > 0 && this.#graceMs > 0) {
        const settled = Promise.all(
          busy.map((slot) => new Promise<void>((resolve) => (slot.onIdle = resolve))),
        );
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise((resolve) => (timer = setTimeout(resolve, this.#graceMs)));
        await Promise.race([settled, grace]);
        clearTimeout(timer);
      }
      await Promise.all(this.#slots.map((slot) => this.#letGo(slot)));
    })();
    return this.#stopping;
  }

  /** A thread that answered everything goes back warm; a busy or broken one is terminated. */
  #letGo(slot: Slot): Promise<void> {
    if (slot.done) return Promise.resolve();
    // Its exit (onExit) rejects its task with cancelledError and marks the slot done.
    if (slot.task !== null || slot.broken) return slot.thread.terminate();
    slot.done = true;
    return returnThread(slot.thread);
  }
}
