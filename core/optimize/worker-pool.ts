// A pool of worker threads for one optimisation: sized to the machine (os.availableParallelism()),
// the candles shared with every worker through one SharedArrayBuffer passed once at start, and
// batches of parameter sets cut into chunks handed to whichever worker is free. The host only
// posts and receives messages, so its event loop never waits on a backtest.
//
// Cancellation (docs/optimisation.md, "Parallelism"): cancel() raises a shared Int32Array flag
// that every worker reads (Atomics) between two evaluations and answers "cancelled"; a worker
// still busy after the grace period is terminated. cancel() resolves once every thread has exited.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AutobotError } from '../contract/errors.ts';
import type { CandleColumns } from '../storage/candle-columns.ts';
import type { ParamSet } from './parameter-space.ts';
import type { PoolReply, PoolRequest } from './pool-protocol.ts';
import type { EvaluatorSetup, SetDetail } from './set-evaluator.ts';
import { shareCandles } from './shared-candles.ts';
import type { KeyMetrics } from './spec.ts';
import type { BarRange } from './validation.ts';

// From source the worker is optimize-worker.ts (Node strips its types); in the Electron bundle it
// is the optimize-worker.cjs built beside main.cjs (scripts/build-electron.ts).
const workerEntry = import.meta.url.endsWith('.cjs')
  ? new URL('./optimize-worker.cjs', import.meta.url)
  : new URL('./optimize-worker.ts', import.meta.url);

export interface PoolOptions {
  /** Threads; default os.availableParallelism(). */
  workers?: number;
  /** How long cancelled workers may take to stop by themselves before they are terminated. */
  graceMs?: number;
}

/** A kernel evaluation of a million bars takes ~10 ms: a cooperating worker answers well within this. */
export const defaultGraceMs = 30;
const maxWorkers = 64;

export function cancelledError(): AutobotError {
  return new AutobotError('cancelled', 'The optimisation was cancelled.');
}

type Request = PoolRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

interface Task {
  request: Request;
  resolve(reply: PoolReply): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  exited: Promise<void>;
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
  readonly #cancelFlag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  readonly #graceMs: number;
  #nextId = 0;
  #exited = 0;
  #failure: Error | null = null;
  #stopping: Promise<void> | null = null;

  private constructor(size: number, graceMs: number) {
    this.size = size;
    this.#graceMs = graceMs;
  }

  /** Threads that have not exited yet. */
  get liveWorkers(): number {
    return this.#slots.length - this.#exited;
  }

  /** Starts the workers and waits until each has mapped the candles and loaded its strategy. */
  static async start(
    candles: CandleColumns,
    setup: EvaluatorSetup,
    options: PoolOptions = {},
  ): Promise<WorkerPool> {
    const wanted = options.workers ?? availableParallelism();
    const size = Math.min(maxWorkers, Math.max(1, Math.floor(wanted)));
    const pool = new WorkerPool(size, options.graceMs ?? defaultGraceMs);
    const shared = shareCandles(candles);
    const ready = Array.from({ length: size }, () => pool.#spawn(shared, setup));
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  #spawn(candles: ReturnType<typeof shareCandles>, setup: EvaluatorSetup): Promise<void> {
    const worker = new Worker(workerEntry, {
      workerData: { candles, cancelFlag: this.#cancelFlag.buffer, setup },
    });
    const slot: Slot = {
      worker,
      task: null,
      exited: new Promise((resolve) =>
        worker.once('exit', () => {
          this.#exited++;
          resolve();
        }),
      ),
      onIdle: null,
    };
    const idle = () => {
      slot.task = null;
      slot.onIdle?.();
      slot.onIdle = null;
    };
    this.#slots.push(slot);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: PoolReply) => {
        if (reply.type === 'ready') {
          resolve();
          this.#dispatch();
          return;
        }
        if (reply.type === 'failed' && reply.id === -1) return reject(replyError(reply));
        const task = slot.task;
        idle();
        if (task !== null) {
          if (reply.type === 'failed') task.reject(replyError(reply));
          else if (reply.type === 'cancelled') task.reject(cancelledError());
          else task.resolve(reply);
        }
        this.#dispatch();
      });
      worker.on('error', (error) => {
        reject(error);
        this.#fail(error);
      });
      worker.on('exit', (code) => {
        const error = new Error(`optimisation worker exited with code ${code}`);
        reject(error);
        slot.task?.reject(this.#stopping ? cancelledError() : error);
        idle();
        if (!this.#stopping) this.#fail(error);
      });
    });
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
      if (slot.task !== null) continue;
      const task = this.#queue.shift()!;
      slot.task = task;
      slot.worker.postMessage({ ...task.request, id: this.#nextId++ } as PoolRequest);
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
   * Stops everything: raises the cancel flag, fails the queued chunks, gives busy workers the grace
   * period to stop at their next set boundary, then terminates every thread. Resolves when all exited.
   */
  cancel(): Promise<void> {
    return this.#stop(this.#graceMs);
  }

  /** Ends the workers (no grace: used after a run completed or failed). */
  close(): Promise<void> {
    return this.#stop(0);
  }

  #stop(graceMs: number): Promise<void> {
    this.#stopping ??= (async () => {
      Atomics.store(this.#cancelFlag, 0, 1);
      for (const task of this.#queue.splice(0)) task.reject(cancelledError());
      const busy = this.#slots.filter((slot) => slot.task !== null);
      if (busy.length > 0 && graceMs > 0) {
        const settled = Promise.all(
          busy.map((slot) => new Promise<void>((resolve) => (slot.onIdle = resolve))),
        );
        let timer: NodeJS.Timeout | undefined;
        const grace = new Promise((resolve) => (timer = setTimeout(resolve, graceMs)));
        await Promise.race([settled, grace]);
        clearTimeout(timer);
      }
      await Promise.all(this.#slots.map((slot) => slot.worker.terminate().then(() => slot.exited)));
    })();
    return this.#stopping;
  }
}
