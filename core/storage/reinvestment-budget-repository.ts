// The monthly reinvestment budget ledger (reinvestment-budget-migration.ts): one entry per month.
import type { Database } from './database.ts';

export interface BudgetEntry {
  /** YYYY-MM (UTC). */
  month: string;
  revenue: number;
  orders: number;
  currency: string;
  /** Percent of revenue set aside, 0–100. */
  reinvestPct: number;
  /** Money set aside, rounded down to the cent. */
  amount: number;
  recordedAt: string;
}

const columns = `month, revenue, orders, currency, reinvest_pct AS reinvestPct, amount, recorded_at AS recordedAt`;

export class BudgetLedger {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(month: string): BudgetEntry | null {
    const row = this.#db.prepare(`SELECT ${columns} FROM reinvestment_budgets WHERE month = ?`).get(month);
    return (row as BudgetEntry | undefined) ?? null;
  }

  /** Records a month's entry, replacing one already there. */
  record(entry: BudgetEntry): void {
    this.#db
      .prepare(
        `INSERT INTO reinvestment_budgets (month, revenue, orders, currency, reinvest_pct, amount, recorded_at)
         VALUES (@month, @revenue, @orders, @currency, @reinvestPct, @amount, @recordedAt)
         ON CONFLICT (month) DO UPDATE SET revenue = excluded.revenue, orders = excluded.orders,
           currency = excluded.currency, reinvest_pct = excluded.reinvest_pct, amount = excluded.amount,
           recorded_at = excluded.recorded_at`,
      )
      .run(entry);
  }

  /** Newest month first. */
  list(): BudgetEntry[] {
    return this.#db
      .prepare(`SELECT ${columns} FROM reinvestment_budgets ORDER BY month DESC`)
      .all() as BudgetEntry[];
  }
}
