// The risk journal: every trip, recovery and re-arm the governor makes is committed to SQLite as
// it happens (schema: core/storage/risk-migration.ts), and at start the trips in force are rebuilt
// from it. `attach` is the one start-up step: journal first, then restore, so a cooldown that ran
// out while the app was closed is recovered now with an event saying so — and that event is
// journaled like any other. The counters breakers remember (start-of-day equity, peak, streaks)
// are handed back to them first, so the next trip counts from where the last run stopped.
//
// Each event says which clock judged it: 'wall' (the account's governor) or 'bars' (a paper bot's
// breakers on its replay's bar times, core/app/bot-risk.ts). Only wall-clock trips are restored
// into the account's governor: a bars-clock trip's times are market times.
import type { Database } from '../storage/database.ts';
import type {
  BreakerMemory,
  BreakerName,
  BreakerScope,
  RiskEvent,
  RiskEventKind,
  Trip,
  TripState,
} from './breaker.ts';
import type { RiskGovernor } from './risk-governor.ts';

/** The clock an event was judged on: now, or the bar times of a bot's replay. */
export type RiskClock = 'wall' | 'bars';

/** A journaled event, with the clock it was judged on. */
export interface JournaledRiskEvent extends RiskEvent {
  clock: RiskClock;
}

interface EventRow {
  kind: RiskEventKind;
  breaker: BreakerName;
  scope: BreakerScope;
  scope_key: string;
  state: TripState;
  at: number;
  tripped_at: number;
  until: number | null;
  recovery: string;
  trip_values: string;
  message: string;
  clock: RiskClock;
}

export class RiskJournal {
  private readonly db: Database;
  private readonly insert;
  private readonly keep;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare(
      `INSERT INTO risk_events (kind, breaker, scope, scope_key, state, at, tripped_at, until, recovery,
         trip_values, message, clock)
       VALUES (@kind, @breaker, @scope, @key, @state, @time, @trippedAt, @until, @recovery, @values, @message,
         @clock)`,
    );
    this.keep = db.prepare(
      `INSERT INTO risk_memory (breaker, name, value, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (breaker, name) DO UPDATE SET value = excluded.value, at = excluded.at`,
    );
  }

  /** Commits one event; returns once it is in the file. */
  record(event: RiskEvent, clock: RiskClock = 'wall'): void {
    this.insert.run({ ...event, values: JSON.stringify(event.values), clock });
  }

  /** Stores the latest value of one remembered counter. */
  remember(memory: BreakerMemory, at: number): void {
    this.keep.run(memory.breaker, memory.name, memory.value, at);
  }

  /** Stores the latest value of several counters in one transaction (a bot's checkpoint). */
  rememberAll(memories: Iterable<BreakerMemory>, at: number): void {
    this.db.transaction(() => {
      for (const memory of memories) this.keep.run(memory.breaker, memory.name, memory.value, at);
    })();
  }

  /** Every remembered counter. */
  memories(): BreakerMemory[] {
    return this.db.prepare('SELECT breaker, name, value FROM risk_memory').all() as BreakerMemory[];
  }

  /** Every event, oldest first: the trip history. */
  events(): JournaledRiskEvent[] {
    const rows = this.db.prepare('SELECT * FROM risk_events ORDER BY seq').all() as EventRow[];
    return rows.map((row) => ({
      kind: row.kind,
      breaker: row.breaker,
      scope: row.scope,
      key: row.scope_key,
      time: row.at,
      state: row.state,
      trippedAt: row.tripped_at,
      until: row.until,
      recovery: row.recovery,
      values: JSON.parse(row.trip_values) as Record<string, number>,
      message: row.message,
      clock: row.clock,
    }));
  }

  /**
   * The trips the journal says are in force on one clock: tripped, and neither recovered nor
   * re-armed since.
   */
  trips(clock: RiskClock = 'wall'): Omit<Trip, 'refusal'>[] {
    const open = new Map<string, Omit<Trip, 'refusal'>>();
    for (const event of this.events()) {
      if (event.clock !== clock) continue;
      const id = JSON.stringify([event.breaker, event.key]);
      if (event.kind !== 'trip') {
        open.delete(id);
        continue;
      }
      open.set(id, {
        breaker: event.breaker,
        scope: event.scope,
        key: event.key,
        state: event.state,
        at: event.trippedAt,
        until: event.until,
        recovery: event.recovery,
        values: event.values,
        message: event.message,
      });
    }
    return [...open.values()];
  }

  /**
   * Journals every event of `governor` from now on and restores the trips in force: call once at
   * start, before the first order. Returns the unsubscribe.
   */
  attach(governor: RiskGovernor): () => void {
    governor.recall(this.memories());
    const unsubscribeEvents = governor.onEvent((event) => this.record(event));
    const unsubscribeMemory = governor.onMemory((memory) => this.remember(memory, governor.clock()));
    governor.restore(this.trips());
    return () => {
      unsubscribeEvents();
      unsubscribeMemory();
    };
  }
}
