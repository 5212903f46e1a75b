// A provider's published request rate as a token bucket: `burst` requests at once, then one every
// `intervalMs`. Callers wait their turn (in order) rather than earning a 429. The clock and the
// sleep are injected so tests drive time instead of waiting for it.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface RateLimit {
  /** Requests allowed back to back. */
  burst: number;
  /** Then one more every intervalMs. */
  intervalMs: number;
}

export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(limit: RateLimit, clock: Clock = systemClock) {
    if (!(limit.burst >= 1)) throw new RangeError('burst must be at least 1');
    if (!(limit.intervalMs >= 0)) throw new RangeError('intervalMs must not be negative');
    this.#limit = limit;
    this.#clock = clock;
    this.#tokens = limit.burst;
    this.#updatedAt = clock.now();
  }

  /** Resolves when one more request may go out; requests are served in the order they asked. */
  take(): Promise<void> {
    const turn = this.#queue.then(() => this.#takeNow());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #takeNow(): Promise<void> {
    for (;;) {
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const wait = Math.ceil((1 - this.#tokens) * this.#limit.intervalMs);
      await this.#clock.sleep(Math.max(1, wait));
    }
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#updatedAt;
    this.#updatedAt = now;
    if (this.#limit.intervalMs === 0) {
      this.#tokens = this.#limit.burst;
      return;
    }
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + elapsed / this.#limit.intervalMs);
  }
}
