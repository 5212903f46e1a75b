// Order-rate throttle: at most `perBot` new orders per second from one bot (default 10) and
// `perVenue` per venue connection (default 50); the excess is refused `rate_limited`. Cancels are
// never counted or refused. A sliding one-second window kept as a ring of the last N accepted
// times per bot and per venue: the check reads one slot, so it costs the same at any rate.
import type { Refusal } from './breaker.ts';

export interface OrderRateSettings {
  perBot: number;
  perVenue: number;
}

const windowMs = 1_000;

/** The last `limit` times, oldest at `head`. */
class Ring {
  readonly times: Float64Array;
  head = 0;
  count = 0;

  constructor(limit: number) {
    this.times = new Float64Array(limit);
  }

  /** Room for one more at `now`: fewer than the limit in the last second. */
  hasRoom(now: number): boolean {
    return this.count < this.times.length || this.times[this.head]! <= now - windowMs;
  }

  push(now: number): void {
    this.times[this.head] = now;
    this.head = (this.head + 1) % this.times.length;
    if (this.count < this.times.length) this.count++;
  }
}

export class OrderRateThrottle {
  readonly name = 'order-rate';
  private readonly settings: OrderRateSettings;
  private readonly bots = new Map<string, Ring>();
  private readonly venues = new Map<string, Ring>();
  private readonly botRefusal: Refusal;
  private readonly venueRefusal: Refusal;

  constructor(settings: OrderRateSettings) {
    this.settings = settings;
    this.botRefusal = Object.freeze({
      accepted: false,
      code: 'rate_limited',
      breaker: 'order-rate',
      message: `more than ${settings.perBot} orders in one second from this bot`,
    });
    this.venueRefusal = Object.freeze({
      accepted: false,
      code: 'rate_limited',
      breaker: 'order-rate',
      message: `more than ${settings.perVenue} orders in one second on this venue connection`,
    });
  }

  /** null when the order fits both windows. */
  check(owner: string, venue: string, now: number): Refusal | null {
    const bot = this.bots.get(owner);
    if (bot !== undefined && !bot.hasRoom(now)) return this.botRefusal;
    const connection = this.venues.get(venue);
    if (connection !== undefined && !connection.hasRoom(now)) return this.venueRefusal;
    return null;
  }

  /** Counts an order that was let through. */
  note(owner: string, venue: string, now: number): void {
    ring(this.bots, owner, this.settings.perBot).push(now);
    ring(this.venues, venue, this.settings.perVenue).push(now);
  }
}

function ring(rings: Map<string, Ring>, key: string, limit: number): Ring {
  let found = rings.get(key);
  if (found === undefined) {
    found = new Ring(limit);
    rings.set(key, found);
  }
  return found;
}
