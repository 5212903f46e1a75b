// What a circuit breaker is, shared by the governor and every breaker file. A breaker watches one
// kind of signal (equity, closed trades, bars, the user's hand) and, when its trigger fires, asks the
// governor for a trip: a state (REDUCING or HALTED) over a scope (the account, one bot, one symbol)
// until a time or until a recovery rule says so. The governor owns the list of active trips, so the
// pre-trade check reads one short array and never asks a breaker anything.
import type { Bar } from '../domain/bar.ts';

/** Whom a trip holds: every order of the account, the orders of one bot, or one symbol's orders. */
export type BreakerScope = 'account' | 'bot' | 'symbol';

/** REDUCING lets only orders that shrink a position through; HALTED refuses every new position too. */
export type TripState = 'reducing' | 'halted';

export type BreakerName =
  'daily-loss' | 'loss-streak' | 'volatility' | 'max-drawdown' | 'kill-switch' | 'order-rate' | 'reconcile';

/** The key of an account-scope trip: one per breaker. */
export const accountKey = '*';

export interface TripRequest {
  breaker: BreakerName;
  scope: BreakerScope;
  /** accountKey, a bot id or a symbol. */
  key: string;
  state: TripState;
  /** Epoch ms when it recovers by itself; null when a rule (calm bars) or a re-arm ends it. */
  until: number | null;
  /** How it ends, in words: "at the next trading day (00:00 UTC)", "when re-armed". */
  recovery: string;
  /** What tripped it (loss %, streak, move %…): shown to the user and journaled. */
  values: Readonly<Record<string, number>>;
  message: string;
}

/** A refusal as the check returns it: made once per trip, so refusing allocates nothing. */
export interface Refusal {
  readonly accepted: false;
  readonly code: 'halted' | 'reducing' | 'rate_limited';
  readonly breaker: BreakerName;
  readonly message: string;
}

export interface Trip extends TripRequest {
  /** Epoch ms it tripped. */
  at: number;
  readonly refusal: Refusal;
}

export type RiskEventKind = 'trip' | 'recover' | 'rearm';

/** One line of the risk journal: every trip, recovery and re-arm. */
export interface RiskEvent {
  kind: RiskEventKind;
  breaker: BreakerName;
  scope: BreakerScope;
  key: string;
  /** Epoch ms of the event. */
  time: number;
  /** For a trip: its state, when it trips, when it is expected to recover. */
  state: TripState;
  trippedAt: number;
  until: number | null;
  recovery: string;
  values: Readonly<Record<string, number>>;
  message: string;
}

/** A trade that closed (fully or partly), as the loss-streak breaker counts it. */
export interface ClosedTrade {
  owner: string;
  symbol: string;
  /** Net of fees, in the account currency: < 0 is a loss. */
  pnl: number;
}

/** What a breaker may do to the governor. */
export interface BreakerHost {
  now(): number;
  trip(request: TripRequest): void;
  recover(breaker: BreakerName, key: string, reason: string): void;
  isTripped(breaker: BreakerName, key: string): boolean;
  /**
   * Keeps a counter the next trip depends on (start-of-day equity, peak equity, a loss streak in
   * progress) so a restart carries on from it: the risk journal stores the latest value per name.
   */
  remember(breaker: BreakerName, name: string, value: number): void;
}

/** One remembered counter, as the risk journal stores it. */
export interface BreakerMemory {
  breaker: BreakerName;
  name: string;
  value: number;
}

export interface Breaker {
  readonly name: BreakerName;
  readonly scope: BreakerScope;
  /** The account's equity after a fill or a mark. */
  onEquity?(equity: number, host: BreakerHost): void;
  onTrade?(trade: ClosedTrade, host: BreakerHost): void;
  onBar?(symbol: string, bar: Bar, host: BreakerHost): void;
  /** The user re-armed one of this breaker's trips: forget what tripped it. */
  onRearm?(key: string, host: BreakerHost): void;
  /** At start, before any signal: a counter this breaker remembered before the restart. */
  recall?(name: string, value: number): void;
}
