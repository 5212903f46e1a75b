// Saved backtests: written once when a run finishes (committed before the user sees "saved"),
// listed by their headline figures, reopened whole for side-by-side comparison.
import type { BacktestResult } from '../backtest/spec.ts';
import type { Database } from './database.ts';

export interface BacktestRunSource {
  source: 'stored' | 'csv';
  symbol: string | null;
  timeframe: string | null;
  label: string;
}

export interface BacktestRunSummary extends BacktestRunSource {
  id: number;
  createdAt: string;
  strategy: string;
  params: Record<string, number>;
  returnPct: number;
  trades: number;
}

interface RunRow {
  id: number;
  created_at: string;
  label: string;
  symbol: string | null;
  timeframe: string | null;
  source: 'stored' | 'csv';
  strategy: string;
  params: string;
  return_pct: number;
  trades: number;
}

const summaryColumns =
  'id, created_at, label, symbol, timeframe, source, strategy, params, return_pct, trades';

function toSummary(row: RunRow): BacktestRunSummary {
  return {
    id: row.id,
    createdAt: row.created_at,
    label: row.label,
    symbol: row.symbol,
    timeframe: row.timeframe,
    source: row.source,
    strategy: row.strategy,
    params: JSON.parse(row.params) as Record<string, number>,
    returnPct: row.return_pct,
    trades: row.trades,
  };
}

export class BacktestRunRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  save(source: BacktestRunSource, result: BacktestResult, now = new Date()): BacktestRunSummary {
    const info = this.#db
      .prepare(
        `INSERT INTO backtest_runs (created_at, label, symbol, timeframe, source, strategy, params, return_pct, trades, result)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        now.toISOString(),
        source.label,
        source.symbol,
        source.timeframe,
        source.source,
        result.strategy,
        JSON.stringify(result.params),
        result.metrics.returnPct,
        result.metrics.trades,
        JSON.stringify(result),
      );
    return this.#summary(Number(info.lastInsertRowid))!;
  }

  list(limit = 200): BacktestRunSummary[] {
    const rows = this.#db
      .prepare(`SELECT ${summaryColumns} FROM backtest_runs ORDER BY id DESC LIMIT ?`)
      .all(limit) as RunRow[];
    return rows.map(toSummary);
  }

  get(id: number): { summary: BacktestRunSummary; result: BacktestResult } | null {
    const row = this.#db
      .prepare(`SELECT ${summaryColumns}, result FROM backtest_runs WHERE id = ?`)
      .get(id) as (RunRow & { result: string }) | undefined;
    if (!row) return null;
    return { summary: toSummary(row), result: JSON.parse(row.result) as BacktestResult };
  }

  remove(id: number): boolean {
    return this.#db.prepare('DELETE FROM backtest_runs WHERE id = ?').run(id).changes > 0;
  }

  #summary(id: number): BacktestRunSummary | null {
    const row = this.#db.prepare(`SELECT ${summaryColumns} FROM backtest_runs WHERE id = ?`).get(id) as
      RunRow | undefined;
    return row ? toSummary(row) : null;
  }
}
