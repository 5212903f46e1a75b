// When reconciliation runs, and what becomes of what it finds (reconcile.ts does one pass):
//  - at connect (start()), after every reconnect (the venue's connection goes back to connected),
//    periodically while this venue has orders in flight (default every 30 s), and on demand (run());
//  - never two at once: a run asked for during another waits for it and then runs once, however
//    many were asked for meanwhile (the latest state is what matters);
//  - each run's diff is saved (reconcile_runs, migration 14) and returned;
//  - venue orders and balances the journal cannot explain are adopted as external
//    (venue_adoptions) and the account goes REDUCING through the risk governor until the user
//    acknowledges them: the app never trades on against a position it does not understand.
import type { Database } from '../storage/database.ts';
import { accountKey } from '../risk/breaker.ts';
import type { RiskGovernor } from '../risk/risk-governor.ts';
import type { Venue } from '../venues/venue.ts';
import type { OrderJournal } from './order-journal.ts';
import { reconcile, type ReconcileChange, type ReconcileOptions, type ReconcileReport } from './reconcile.ts';

export type ReconcileTrigger = 'connect' | 'reconnect' | 'periodic' | 'manual';

export interface ReconcileRun {
  id: number;
  venue: string;
  trigger: ReconcileTrigger;
  startedAt: number;
  finishedAt: number;
  /** Why the run failed (the venue did not answer…); the report is then empty. */
  error: string | null;
  changes: ReconcileChange[];
  report?: ReconcileReport | undefined;
}

export interface Adoption {
  id: number;
  venue: string;
  kind: 'order' | 'balance';
  /** The venue order id, or the symbol of a balance. */
  ref: string;
  symbol: string;
  quantity: number;
  detail: string;
  adoptedAt: number;
  acknowledgedAt: number | null;
}

export interface ReconcilerOptions {
  db: Database;
  journal: OrderJournal;
  venue: Venue;
  /** Appends through the router, so new fills reach the portfolio. */
  record?: ReconcileOptions['record'];
  /** Holds the account REDUCING while adoptions are unacknowledged. */
  governor?: Pick<RiskGovernor, 'trip' | 'rearm'> | undefined;
  /** Periodic run while orders are in flight, ms (default 30,000; 0: none). */
  intervalMs?: number;
  closeLostAfterMs?: number;
  now?: () => number;
}

interface RunRow {
  id: number;
  venue: string;
  trigger: ReconcileTrigger;
  started_at: number;
  finished_at: number;
  error: string | null;
  diff: string;
}

interface AdoptionRow {
  id: number;
  venue: string;
  kind: 'order' | 'balance';
  ref: string;
  symbol: string;
  quantity: number;
  detail: string;
  adopted_at: number;
  acknowledged_at: number | null;
}

export class Reconciler {
  private readonly options: ReconcilerOptions;
  private readonly now: () => number;
  private current: Promise<ReconcileRun> | undefined;
  private queued: Promise<ReconcileRun> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly listeners = new Set<(run: ReconcileRun) => void>();

  constructor(options: ReconcilerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  /** Runs the connect reconciliation, then follows reconnects and runs periodically. */
  async start(): Promise<ReconcileRun> {
    let wasDown = false;
    this.unsubscribe = this.options.venue.onEvent((event) => {
      if (event.type !== 'connection') return;
      if (event.state === 'reconnecting' || event.state === 'disconnected') wasDown = true;
      else if (event.state === 'connected' && wasDown) {
        wasDown = false;
        void this.run('reconnect').catch(() => undefined);
      }
    });
    const every = this.options.intervalMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => {
        if (this.hasOrdersInFlight()) void this.run('periodic').catch(() => undefined);
      }, every);
      this.timer.unref();
    }
    return this.run('connect');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.queued?.catch(() => undefined);
    await this.current?.catch(() => undefined);
  }

  onRun(listener: (run: ReconcileRun) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One reconciliation; if one is running, the next one after it (shared by every caller meanwhile). */
  run(trigger: ReconcileTrigger = 'manual'): Promise<ReconcileRun> {
    if (this.current === undefined) {
      this.current = this.runNow(trigger).finally(() => (this.current = undefined));
      return this.current;
    }
    this.queued ??= this.current
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.run(trigger);
      });
    return this.queued;
  }

  hasOrdersInFlight(): boolean {
    return this.options.journal.openOrders().some((order) => order.intent.venue === this.options.venue.id);
  }

  /** Saved runs of this venue, newest first. */
  runs(limit = 20): ReconcileRun[] {
    const rows = this.options.db
      .prepare('SELECT * FROM reconcile_runs WHERE venue = ? ORDER BY id DESC LIMIT ?')
      .all(this.options.venue.id, limit) as RunRow[];
    return rows.map((row) => ({
      id: row.id,
      venue: row.venue,
      trigger: row.trigger,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      error: row.error,
      changes: JSON.parse(row.diff) as ReconcileChange[],
    }));
  }

  adoptions(): Adoption[] {
    const rows = this.options.db
      .prepare('SELECT * FROM venue_adoptions WHERE venue = ? ORDER BY id')
      .all(this.options.venue.id) as AdoptionRow[];
    return rows.map((row) => ({
      id: row.id,
      venue: row.venue,
      kind: row.kind,
      ref: row.ref,
      symbol: row.symbol,
      quantity: row.quantity,
      detail: row.detail,
      adoptedAt: row.adopted_at,
      acknowledgedAt: row.acknowledged_at,
    }));
  }

  /** Whether the account is held REDUCING by adoptions the user has not acknowledged. */
  get reducing(): boolean {
    return this.adoptions().some((a) => a.acknowledgedAt === null);
  }

  /** The user has seen what was adopted: the REDUCING hold is lifted. Returns how many were acknowledged. */
  acknowledge(): number {
    const { changes } = this.options.db
      .prepare('UPDATE venue_adoptions SET acknowledged_at = ? WHERE venue = ? AND acknowledged_at IS NULL')
      .run(this.now(), this.options.venue.id);
    this.options.governor?.rearm('reconcile', accountKey);
    return changes;
  }

  private async runNow(trigger: ReconcileTrigger): Promise<ReconcileRun> {
    const { db, journal, venue } = this.options;
    const startedAt = this.now();
    let report: ReconcileReport | undefined;
    let error: string | null = null;
    try {
      report = await reconcile(journal, venue, {
        ...(this.options.record !== undefined ? { record: this.options.record } : {}),
        now: startedAt,
        ...(this.options.closeLostAfterMs !== undefined
          ? { closeLostAfterMs: this.options.closeLostAfterMs }
          : {}),
        baselines: this.baselines(),
      });
      this.adopt(report);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    const changes = report?.changes ?? [];
    const finishedAt = this.now();
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO reconcile_runs (venue, trigger, started_at, finished_at, error, changes, diff)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(venue.id, trigger, startedAt, finishedAt, error, changes.length, JSON.stringify(changes));
    const run: ReconcileRun = {
      id: Number(lastInsertRowid),
      venue: venue.id,
      trigger,
      startedAt,
      finishedAt,
      error,
      changes,
      report,
    };
    for (const listener of this.listeners) listener(run);
    return run;
  }

  /** Balances already adopted, per symbol: explained from now on, REDUCING until acknowledged. */
  private baselines(): Map<string, number> {
    const rows = this.options.db
      .prepare(
        `SELECT symbol, sum(quantity) AS quantity FROM venue_adoptions
         WHERE venue = ? AND kind = 'balance' GROUP BY symbol`,
      )
      .all(this.options.venue.id) as { symbol: string; quantity: number }[];
    return new Map(rows.map((row) => [row.symbol, row.quantity]));
  }

  private adopt(report: ReconcileReport): void {
    const { db, venue, governor } = this.options;
    const at = this.now();
    const insert = db.prepare(
      `INSERT OR IGNORE INTO venue_adoptions (venue, kind, ref, symbol, quantity, detail, adopted_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    let adopted = 0;
    db.transaction(() => {
      for (const order of report.externalOrders) {
        const detail = `${order.side} ${order.quantity} ${order.symbol}${order.price !== undefined ? ` at ${order.price}` : ''}`;
        adopted += insert.run(
          venue.id,
          'order',
          order.venueOrderId,
          order.symbol,
          order.quantity,
          detail,
          at,
        ).changes;
      }
      for (const diff of report.positionDiffs) {
        const delta = diff.venue - diff.journal;
        const detail = `the venue holds ${diff.venue} ${diff.symbol}, the journal explains ${diff.journal}`;
        adopted += insert.run(venue.id, 'balance', diff.symbol, diff.symbol, delta, detail, at).changes;
      }
    })();
    if (governor !== undefined && (adopted > 0 || this.reducing)) {
      governor.trip({
        breaker: 'reconcile',
        scope: 'account',
        key: accountKey,
        state: 'reducing',
        until: null,
        recovery: 'when the user acknowledges the external orders and balances',
        values: { adopted: this.adoptions().filter((a) => a.acknowledgedAt === null).length },
        message: `${venue.id} holds orders or balances this app did not make: only reducing orders until you acknowledge them`,
      });
    }
  }
}
