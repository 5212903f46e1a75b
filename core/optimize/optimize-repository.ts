// Saved optimisations (tables from core/storage/optimize-migration.ts): a run and all its
// evaluations are written in one transaction, listed by their headline, reopened whole.
import type { BacktestRunSource } from '../storage/backtest-run-repository.ts';
import type { Database } from '../storage/database.ts';
import type { ParamSet } from './parameter-space.ts';
import type { Evaluation, OptimizeResult, OptimizeRunSummary, Validation } from './spec.ts';

/** Where the candles came from and the run's label: the same as a saved backtest's. */
export type OptimizeRunSource = BacktestRunSource;

interface RunRow {
  id: number;
  created_at: string;
  label: string;
  symbol: string | null;
  timeframe: string | null;
  source: 'stored' | 'csv';
  strategy: string;
  method: OptimizeRunSummary['method'];
  objective: OptimizeRunSummary['objective'];
  validation: string;
  best_params: string | null;
  best_score: number | null;
  oos_score: number | null;
  collapsed: number | null;
  evaluation_count: number;
  elapsed_ms: number;
}

interface EvaluationRow {
  fold: number;
  params: string;
  score: number;
  qualified: number;
  trades: number;
  return_pct: number;
  profit_factor: number | null;
  win_rate_pct: number | null;
  max_drawdown_pct: number;
  sharpe: number | null;
  calmar: number | null;
}

const summaryColumns = `id, created_at, label, symbol, timeframe, source, strategy, method, objective,
  validation, best_params, best_score, oos_score, collapsed, evaluation_count, elapsed_ms`;

function toSummary(row: RunRow): OptimizeRunSummary {
  return {
    id: row.id,
    createdAt: row.created_at,
    label: row.label,
    symbol: row.symbol,
    timeframe: row.timeframe,
    source: row.source,
    strategy: row.strategy,
    method: row.method,
    objective: row.objective,
    validation: JSON.parse(row.validation) as Validation,
    bestParams: row.best_params === null ? null : (JSON.parse(row.best_params) as ParamSet),
    bestScore: row.best_score,
    oosScore: row.oos_score,
    collapsed: row.collapsed === null ? null : row.collapsed === 1,
    evaluationCount: row.evaluation_count,
    elapsedMs: row.elapsed_ms,
  };
}

function toEvaluation(row: EvaluationRow): Evaluation {
  return {
    fold: row.fold,
    params: JSON.parse(row.params) as ParamSet,
    score: row.score,
    qualified: row.qualified === 1,
    metrics: {
      trades: row.trades,
      returnPct: row.return_pct,
      profitFactor: row.profit_factor,
      winRatePct: row.win_rate_pct,
      maxDrawdownPct: row.max_drawdown_pct,
      sharpe: row.sharpe,
      calmar: row.calmar,
    },
  };
}

export class OptimizeRunRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  save(source: OptimizeRunSource, result: OptimizeResult, now = new Date()): OptimizeRunSummary {
    const insertRun = this.#db.prepare(
      `INSERT INTO optimize_runs (created_at, label, symbol, timeframe, source, strategy, method, objective,
         validation, best_params, best_score, oos_score, collapsed, evaluation_count, elapsed_ms, result)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertEvaluation = this.#db.prepare(
      `INSERT INTO optimize_evaluations (run_id, seq, fold, params, score, qualified, trades, return_pct,
         profit_factor, win_rate_pct, max_drawdown_pct, sharpe, calmar)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const id = this.#db.transaction(() => {
      const { evaluations, ...rest } = result;
      const best = result.best;
      const info = insertRun.run(
        now.toISOString(),
        source.label,
        source.symbol,
        source.timeframe,
        source.source,
        result.strategy,
        result.method,
        result.objective,
        JSON.stringify(result.validation),
        best === null ? null : JSON.stringify(best.params),
        best?.score ?? null,
        best?.oosScore ?? null,
        best?.collapsed === null || best === null ? null : best.collapsed ? 1 : 0,
        result.evaluationCount,
        result.elapsedMs,
        JSON.stringify(rest),
      );
      const runId = Number(info.lastInsertRowid);
      evaluations.forEach((evaluation, seq) => {
        const m = evaluation.metrics;
        insertEvaluation.run(
          runId,
          seq,
          evaluation.fold,
          JSON.stringify(evaluation.params),
          evaluation.score,
          evaluation.qualified ? 1 : 0,
          m.trades,
          m.returnPct,
          m.profitFactor,
          m.winRatePct,
          m.maxDrawdownPct,
          m.sharpe,
          m.calmar,
        );
      });
      return runId;
    })();
    return this.#summary(id)!;
  }

  list(limit = 200): OptimizeRunSummary[] {
    const rows = this.#db
      .prepare(`SELECT ${summaryColumns} FROM optimize_runs ORDER BY id DESC LIMIT ?`)
      .all(limit) as RunRow[];
    return rows.map(toSummary);
  }

  get(id: number): { summary: OptimizeRunSummary; result: OptimizeResult } | null {
    const row = this.#db
      .prepare(`SELECT ${summaryColumns}, result FROM optimize_runs WHERE id = ?`)
      .get(id) as (RunRow & { result: string }) | undefined;
    if (!row) return null;
    const rest = JSON.parse(row.result) as Omit<OptimizeResult, 'evaluations'>;
    return { summary: toSummary(row), result: { ...rest, evaluations: this.evaluations(id) } };
  }

  /** Every evaluation of a run, in the order they were made. */
  evaluations(id: number): Evaluation[] {
    const rows = this.#db
      .prepare(
        `SELECT fold, params, score, qualified, trades, return_pct, profit_factor, win_rate_pct,
           max_drawdown_pct, sharpe, calmar
         FROM optimize_evaluations WHERE run_id = ? ORDER BY seq`,
      )
      .all(id) as EvaluationRow[];
    return rows.map(toEvaluation);
  }

  remove(id: number): boolean {
    return this.#db.prepare('DELETE FROM optimize_runs WHERE id = ?').run(id).changes > 0;
  }

  #summary(id: number): OptimizeRunSummary | null {
    const row = this.#db.prepare(`SELECT ${summaryColumns} FROM optimize_runs WHERE id = ?`).get(id) as
      RunRow | undefined;
    return row ? toSummary(row) : null;
  }
}
