// The one way a run on worker threads is told to stop. A flag in shared memory is raised by the host
// and read by the thread between two units of work (a parameter set, 65,536 bars): a thread busy in
// synchronous code cannot read a message, but it can read memory. A thread still busy after a grace
// period is terminated by its host (worker-job.ts, core/optimize/worker-pool.ts).
export class CancelFlag {
  /** Sent to the thread inside its run's first message; every run has its own, never reused. */
  readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  readonly #view = new Int32Array(this.buffer);

  raise(): void {
    Atomics.store(this.#view, 0, 1);
  }

  get raised(): boolean {
    return isRaised(this.#view);
  }
}

/** The thread's side: a view over the buffer it was sent. */
export function cancelFlagView(buffer: SharedArrayBuffer): Int32Array {
  return new Int32Array(buffer);
}

export function isRaised(view: Int32Array): boolean {
  return Atomics.load(view, 0) !== 0;
}
