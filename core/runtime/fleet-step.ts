// Bars for many paper bots at once, committed together. Each write to the order journal is a commit
// of its own by default, and with `synchronous = FULL` each commit waits for the disk (~1–10 ms
// here): a fleet of paper bots would spend its life flushing. Wrapping bars — every bot's intents
// and every venue event of them — in one transaction makes it one commit per `commitEvery` bars for
// the whole fleet. Nothing of those bars is durable before COMMIT returns.
//
// Only for simulated venues in this process: intents are written before the simulated venue hears
// of them but committed after it has "executed" them, and a crash in between loses both together.
// A crash loses at most the last `commitEvery` bars (or `commitWithinMs` of work), which a restart
// re-derives: a runner resumed on the same journal replays its bars from the first, and every
// signal not in the journal is sent again under the same signal key (docs/runtime.md, "Paper bots
// and the flush"). A bot on a real venue must commit each intent before sending (OrderRouter's
// default).
import type { Bar } from '../domain/bar.ts';
import type { Database } from '../storage/database.ts';
import type { StrategyRunner } from './strategy-runner.ts';

export interface FleetStepOptions {
  /** Bars per transaction (default 1: every bar is durable before the next starts). */
  commitEvery?: number | undefined;
  /**
   * Commits sooner once the open transaction is this old (default 250 ms), so a slow feed's bars
   * are not held back for `commitEvery` of them. A caller that then waits for its next bar
   * (a live feed) calls commit() before waiting: an open transaction holds the file's write lock.
   */
  commitWithinMs?: number | undefined;
  now?: (() => number) | undefined;
}

/** Steps a fleet bar by bar; call `commit()` after the last bar (and before reading the file elsewhere). */
export class FleetStep {
  private readonly db: Database;
  private readonly commitEvery: number;
  private readonly commitWithinMs: number;
  private readonly now: () => number;
  /** Bars stepped inside the transaction this stepper opened (0: none open). */
  private open = 0;
  private openedAt = 0;

  constructor(db: Database, options: FleetStepOptions = {}) {
    const commitEvery = options.commitEvery ?? 1;
    if (!(Number.isInteger(commitEvery) && commitEvery >= 1))
      throw new RangeError(`commitEvery: must be a whole number of bars ≥ 1, got ${commitEvery}`);
    this.db = db;
    this.commitEvery = commitEvery;
    this.commitWithinMs = options.commitWithinMs ?? 250;
    this.now = options.now ?? performance.now.bind(performance);
  }

  /** One bar to each bot; its writes join the open transaction, committed every `commitEvery` bars. */
  async step(steps: readonly (readonly [StrategyRunner, Bar])[]): Promise<void> {
    if (this.open === 0) {
      // A caller's own transaction already groups the writes: leave its commit to it.
      if (this.db.inTransaction) return runBar(steps);
      this.db.exec('BEGIN');
      this.openedAt = this.now();
    }
    this.open++;
    try {
      await runBar(steps);
    } catch (error) {
      this.commit();
      throw error;
    }
    if (this.open >= this.commitEvery || this.now() - this.openedAt >= this.commitWithinMs) this.commit();
  }

  /** Commits the bars stepped since the last commit. */
  commit(): void {
    if (this.open === 0) return;
    this.open = 0;
    this.db.exec('COMMIT');
  }
}

async function runBar(steps: readonly (readonly [StrategyRunner, Bar])[]): Promise<void> {
  // A runner catches its strategy's errors itself (status 'failed'): one bot never stops the others.
  // Indexed, not for…of: in an async function each iteration's result object is a heap allocation,
  // a million of them per fleet run.
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!;
    const settling = step[0].step(step[1]);
    if (settling !== undefined) await settling;
  }
}
