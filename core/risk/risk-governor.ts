// The account's risk governor (issue #12): one object consulted before every order of every bot on
// every venue. It keeps the trips its breakers asked for and answers one question fast — may this
// order go? — from the trips that hold the order's account, bot or symbol, and the order-rate
// throttle:
//
//   ACTIVE    every order passes;
//   REDUCING  only orders that shrink a position (exits) pass;
//   HALTED    no new position: exits pass, as in REDUCING — closing risk is never refused.
//
// Cancels always pass (not even the throttle counts them). `check` is pure: it reads the clock but
// changes nothing, so a bench or a property test can call it as often as it likes; `admit` is the
// check plus counting the order for the throttle, which is what the order router calls.
// Time comes from the injected clock only, so tests jump it instead of sleeping.
import type { Bar } from '../domain/bar.ts';
import type { Side } from '../domain/order-terms.ts';
import type { TradingState } from './risk-engine.ts';
import {
  accountKey,
  type Breaker,
  type BreakerHost,
  type BreakerMemory,
  type BreakerName,
  type ClosedTrade,
  type Refusal,
  type RiskEvent,
  type RiskEventKind,
  type Trip,
  type TripRequest,
} from './breaker.ts';
import type { OrderRateThrottle } from './order-rate-breaker.ts';

export type { TradingState } from './risk-engine.ts';

/** What the governor needs of an order: an OrderIntent fits. */
export interface RiskIntent {
  owner: string;
  venue: string;
  symbol: string;
  side: Side;
  quantity: number;
  /** 'cancel' always passes; default 'new'. */
  action?: 'new' | 'cancel';
}

export interface RiskContext {
  /** The owner's signed position in the symbol on the venue before this order (> 0 long). */
  position: number;
}

export interface Accepted {
  readonly accepted: true;
}

export type GovernorDecision = Accepted | Refusal;

export const accepted: Accepted = Object.freeze({ accepted: true });

export interface RiskGovernorOptions {
  breakers: readonly Breaker[];
  throttle?: OrderRateThrottle | undefined;
  /** Epoch ms. Injected so tests move time instead of waiting for it. */
  clock?: () => number;
}

/**
 * An order shrinks a position when it is on the other side of it and no bigger than it: a sell of
 * at most what a long holds, a buy of at most what a short owes. Anything else opens or grows one
 * (a flip grows the other side).
 */
export function isExit(side: Side, quantity: number, position: number): boolean {
  if (position === 0) return false;
  const held = side === 'buy' ? -position : position;
  // A relative 1e-9 of float noise: closing 0.3 of a 0.1 + 0.2 position is an exit.
  return held > 0 && quantity <= held * (1 + 1e-9);
}

export class RiskGovernor {
  private readonly breakers: readonly Breaker[];
  /** The breakers that listen to each signal: a backtest sends every bar's, so no optional calls per bar. */
  private readonly equityBreakers: readonly Breaker[];
  private readonly tradeBreakers: readonly Breaker[];
  private readonly barBreakers: readonly Breaker[];
  /** Epoch ms of the earliest `until` among the trips (∞: none): tick() has nothing to do before it. */
  private nextDue = Number.POSITIVE_INFINITY;
  private readonly throttle: OrderRateThrottle | undefined;
  readonly clock: () => number;
  /** Active trips, at most one per breaker and key. Usually empty, so the check is a short loop. */
  private trips: Trip[] = [];
  private readonly listeners = new Set<(event: RiskEvent) => void>();
  private readonly memoryListeners = new Set<(memory: BreakerMemory) => void>();
  private readonly host: BreakerHost;

  constructor(options: RiskGovernorOptions) {
    this.breakers = options.breakers;
    this.equityBreakers = options.breakers.filter((breaker) => breaker.onEquity !== undefined);
    this.tradeBreakers = options.breakers.filter((breaker) => breaker.onTrade !== undefined);
    this.barBreakers = options.breakers.filter((breaker) => breaker.onBar !== undefined);
    this.throttle = options.throttle;
    this.clock = options.clock ?? Date.now;
    this.host = {
      now: this.clock,
      trip: (request) => this.trip(request),
      recover: (breaker, key, reason) => this.end('recover', breaker, key, reason),
      isTripped: (breaker, key) => this.find(breaker, key) !== undefined,
      remember: (breaker, name, value) => {
        for (const listener of this.memoryListeners) listener({ breaker, name, value });
      },
    };
  }

  /** Journals every trip, recovery and re-arm (risk-journal.ts). Returns the unsubscribe. */
  onEvent(listener: (event: RiskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores the counters breakers remember (risk-journal.ts). Returns the unsubscribe. */
  onMemory(listener: (memory: BreakerMemory) => void): () => void {
    this.memoryListeners.add(listener);
    return () => this.memoryListeners.delete(listener);
  }

  /** Hands each breaker the counters it remembered before a restart. */
  recall(memories: readonly BreakerMemory[]): void {
    for (const memory of memories) {
      for (const breaker of this.breakers)
        if (breaker.name === memory.breaker) breaker.recall?.(memory.name, memory.value);
    }
  }

  /** May this order go? Pure: changes nothing (the throttle is only read). */
  check(intent: RiskIntent, context: RiskContext): GovernorDecision {
    if (intent.action === 'cancel') return accepted;
    const now = this.clock();
    if (!isExit(intent.side, intent.quantity, context.position)) {
      const held = this.holding(intent.owner, intent.symbol, now);
      if (held !== undefined) return held.refusal;
    }
    return this.throttle?.check(intent.owner, intent.venue, now) ?? accepted;
  }

  /** The check, then the order counted for the throttle when it may go: the router's call. */
  admit(intent: RiskIntent, context: RiskContext): GovernorDecision {
    const decision = this.check(intent, context);
    if (decision.accepted && intent.action !== 'cancel')
      this.throttle?.note(intent.owner, intent.venue, this.clock());
    return decision;
  }

  /** The account's state: the most severe account-scope trip in force. */
  get state(): TradingState {
    return this.stateOf(this.holding(undefined, undefined, this.clock()));
  }

  /** The state one bot trading one symbol is held in, by any trip of any scope. */
  stateFor(owner: string, symbol: string): TradingState {
    return this.stateOf(this.holding(owner, symbol, this.clock()));
  }

  /** Trips in force now (expired ones are left out even before `tick` ends them). */
  activeTrips(): Trip[] {
    const now = this.clock();
    return this.trips.filter((trip) => trip.until === null || now < trip.until);
  }

  onEquity(equity: number): void {
    this.tick();
    const breakers = this.equityBreakers;
    for (let i = 0; i < breakers.length; i++) breakers[i]!.onEquity!(equity, this.host);
  }

  onTrade(trade: ClosedTrade): void {
    this.tick();
    const breakers = this.tradeBreakers;
    for (let i = 0; i < breakers.length; i++) breakers[i]!.onTrade!(trade, this.host);
  }

  onBar(symbol: string, bar: Bar): void {
    this.tick();
    const breakers = this.barBreakers;
    for (let i = 0; i < breakers.length; i++) breakers[i]!.onBar!(symbol, bar, this.host);
  }

  /** Epoch ms before which tick() has nothing to end (∞: no trip with a time). */
  get dueAt(): number {
    return this.nextDue;
  }

  /** Whether a trip of `breaker` for `key` is held, expired or not (what its breaker sees). */
  holds(breaker: BreakerName, key: string): boolean {
    return this.find(breaker, key) !== undefined;
  }

  /** The breakers the governor consults, for a caller that must know which signals they read. */
  get breakerList(): readonly Breaker[] {
    return this.breakers;
  }

  /** Ends every trip whose time is up, with a recovery event each. */
  tick(): void {
    const now = this.clock();
    if (now < this.nextDue) return;
    for (const trip of this.trips) {
      if (trip.until !== null && now >= trip.until)
        this.end('recover', trip.breaker, trip.key, `${trip.breaker} recovered: ${trip.recovery}`);
    }
    this.updateNextDue();
  }

  private updateNextDue(): void {
    let next = Number.POSITIVE_INFINITY;
    for (const trip of this.trips) if (trip.until !== null && trip.until < next) next = trip.until;
    this.nextDue = next;
  }

  /** Trips a breaker by hand (the kill switch, a test) or on a breaker's behalf. */
  trip(request: TripRequest): void {
    if (this.find(request.breaker, request.key) !== undefined) return;
    const at = this.clock();
    const trip: Trip = {
      ...request,
      at,
      refusal: Object.freeze({
        accepted: false,
        code: request.state,
        breaker: request.breaker,
        message: request.message,
      }),
    };
    this.trips.push(trip);
    if (trip.until !== null && trip.until < this.nextDue) this.nextDue = trip.until;
    this.emit('trip', trip, at, request.message);
  }

  /**
   * The user lifts a trip: every trip of `breaker` (or only the one of `key`). Returns how many were
   * lifted. The breaker forgets what tripped it (a drawdown's peak restarts from today's equity).
   */
  rearm(breaker: BreakerName, key?: string): number {
    const lifted = this.trips.filter(
      (trip) => trip.breaker === breaker && (key === undefined || trip.key === key),
    );
    for (const trip of lifted) {
      this.end('rearm', trip.breaker, trip.key, `${trip.breaker} re-armed by the user`);
      for (const b of this.breakers) if (b.name === breaker) b.onRearm?.(trip.key, this.host);
    }
    return lifted.length;
  }

  /**
   * Puts back the trips the journal held at the last stop. One whose time ran out while the app was
   * closed is not restored: it recovers now, with an event saying so.
   */
  restore(trips: readonly Omit<Trip, 'refusal'>[]): void {
    const now = this.clock();
    for (const saved of trips) {
      if (this.find(saved.breaker, saved.key) !== undefined) continue;
      const trip: Trip = {
        ...saved,
        refusal: Object.freeze({
          accepted: false,
          code: saved.state,
          breaker: saved.breaker,
          message: saved.message,
        }),
      };
      if (trip.until !== null && now >= trip.until) {
        this.emit(
          'recover',
          trip,
          now,
          `${trip.breaker} recovered while AUTOBOT was closed: ${trip.recovery}`,
        );
      } else {
        this.trips.push(trip);
        if (trip.until !== null && trip.until < this.nextDue) this.nextDue = trip.until;
      }
    }
  }

  /** The most severe trip holding an order of this owner and symbol (undefined: account-scope only). */
  private holding(owner: string | undefined, symbol: string | undefined, now: number): Trip | undefined {
    let found: Trip | undefined;
    // An index loop over a usually empty array: the check's whole cost when nothing is tripped.
    const trips = this.trips;
    for (let i = 0; i < trips.length; i++) {
      const trip = trips[i]!;
      if (trip.until !== null && now >= trip.until) continue;
      const applies =
        trip.scope === 'account' ||
        (trip.scope === 'bot' && trip.key === owner) ||
        (trip.scope === 'symbol' && trip.key === symbol);
      if (!applies) continue;
      if (trip.state === 'halted') return trip;
      found ??= trip;
    }
    return found;
  }

  private stateOf(trip: Trip | undefined): TradingState {
    return trip === undefined ? 'active' : trip.state;
  }

  private find(breaker: BreakerName, key: string): Trip | undefined {
    // An index loop: breakers ask on every bar of a backtest, and the list is usually empty.
    const trips = this.trips;
    for (let i = 0; i < trips.length; i++) {
      const trip = trips[i]!;
      if (trip.breaker === breaker && trip.key === key) return trip;
    }
    return undefined;
  }

  private end(kind: RiskEventKind, breaker: BreakerName, key: string, message: string): void {
    const trip = this.find(breaker, key);
    if (trip === undefined) return;
    this.trips = this.trips.filter((t) => t !== trip);
    this.emit(kind, trip, this.clock(), message);
  }

  private emit(kind: RiskEventKind, trip: Omit<Trip, 'refusal'>, time: number, message: string): void {
    const event: RiskEvent = {
      kind,
      breaker: trip.breaker,
      scope: trip.scope,
      key: trip.key,
      time,
      state: trip.state,
      trippedAt: trip.at,
      until: trip.until,
      recovery: trip.recovery,
      values: trip.values,
      message,
    };
    for (const listener of this.listeners) listener(event);
  }
}

export { accountKey };
