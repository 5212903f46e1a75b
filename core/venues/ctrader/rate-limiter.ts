// cTrader allows 50 requests per second per connection, and 5 per second of history requests
// (trendbars, deals). Over that it answers REQUEST_FREQUENCY_EXCEEDED with `retryAfter`. This
// limiter keeps us under both with a sliding one-second window of send times, and holds every send
// after the venue asks us to wait. Waiting is by timers; nothing here spins.

export interface RateLimits {
  perSecond: number;
  historyPerSecond: number;
}

export const ctraderRateLimits: RateLimits = { perSecond: 50, historyPerSecond: 5 };

// A tenth of a second more than cTrader's one-second window: requests sent evenly can arrive
// bunched by the network, and a refusal costs a whole retryAfter.
const windowMs = 1100;

export class RateLimiter {
  readonly #limits: RateLimits;
  readonly #now: () => number;
  readonly #all: number[] = [];
  readonly #history: number[] = [];
  #pausedUntil = 0;
  #queue: Promise<void> = Promise.resolve();

  constructor(limits: RateLimits = ctraderRateLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  /** The venue asked us to wait: no request leaves before `until` (epoch ms). */
  pauseUntil(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }

  /** Resolves when one more request (a history one when `history`) may be sent; requests keep their order. */
  acquire(history = false): Promise<void> {
    const turn = this.#queue.then(() => this.#waitForSlot(history));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #waitForSlot(history: boolean): Promise<void> {
    for (;;) {
      const now = this.#now();
      prune(this.#all, now);
      prune(this.#history, now);
      let wait = this.#pausedUntil - now;
      if (this.#all.length >= this.#limits.perSecond) wait = Math.max(wait, this.#all[0]! + windowMs - now);
      if (history && this.#history.length >= this.#limits.historyPerSecond)
        wait = Math.max(wait, this.#history[0]! + windowMs - now);
      if (wait <= 0) {
        this.#all.push(now);
        if (history) this.#history.push(now);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, wait + 1));
    }
  }
}

function prune(times: number[], now: number): void {
  while (times.length > 0 && times[0]! + windowMs <= now) times.shift();
}
