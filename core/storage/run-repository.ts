// The one saved-runs history (table `saved_runs`, core/storage/saved-runs-migration.ts): backtests
// and optimisations side by side, numbered in one sequence, each written once when it finishes
// (committed before the user sees "saved"), listed by its kind's headline and reopened whole. An
// optimisation's evaluations are rows of `run_evaluations`, written in the same transaction.
import type { BacktestResult } from '../backtest/spec.ts';
import { detectPriceDecimals } from '../domain/detect-precision.ts';
import type { ParamSet } from '../optimize/parameter-space.ts';
import type { Evaluation, OptimizeResult, OptimizeRunSummary, Validation } from '../optimize/spec.ts';
import type { Database } from './database.ts';

export type RunKind = 'backtest' | 'optimize';

/** Where a run's candles came from and what it is listed as. */
export interface RunSource {
  source: 'stored' | 'csv';
  symbol: string | null;
  timeframe: string | null;
  label: string;
}

export interface BacktestRunSummary extends RunSource {
  id: number;
  createdAt: string;
  strategy: string;
  params: Record<string, number>;
  returnPct: number;
  trades: number;
}

interface CommonRow {
  id: number;
  created_at: string;
  label: string;
  symbol: string | null;
  timeframe: string | null;
  source: 'stored' | 'csv';
  strategy: string;
}

interface BacktestRow extends CommonRow {
  params: string;
  return_pct: number;
  trades: number;
}

interface OptimizeRow extends CommonRow {
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

const commonColumns = 'id, created_at, label, symbol, timeframe, source, strategy';
const headlineColumns: Record<RunKind, string> = {
  backtest: `${commonColumns}, params, return_pct, trades`,
  optimize: `${commonColumns}, method, objective, validation, best_params, best_score, oos_score,
    collapsed, evaluation_count, elapsed_ms`,
};

function common(row: CommonRow) {
  return {
    id: row.id,
    createdAt: row.created_at,
    label: row.label,
    symbol: row.symbol,
    timeframe: row.timeframe,
    source: row.source,
    strategy: row.strategy,
  };
}

function backtestSummary(row: BacktestRow): BacktestRunSummary {
  return {
    ...common(row),
    params: JSON.parse(row.params) as Record<string, number>,
    returnPct: row.return_pct,
    trades: row.trades,
  };
}

function optimizeSummary(row: OptimizeRow): OptimizeRunSummary {
  return {
    ...common(row),
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

export class RunRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  saveBacktest(source: RunSource, result: BacktestResult, now = new Date()): BacktestRunSummary {
    const info = this.#db
      .prepare(
        `INSERT INTO saved_runs (kind, created_at, label, symbol, timeframe, source, strategy, result,
           params, return_pct, trades)
         VALUES ('backtest', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        now.toISOString(),
        source.label,
        source.symbol,
        source.timeframe,
        source.source,
        result.strategy,
        JSON.stringify(result),
        JSON.stringify(result.params),
        result.metrics.returnPct,
        result.metrics.trades,
      );
    return this.#backtestSummary(Number(info.lastInsertRowid))!;
  }

  saveOptimization(source: RunSource, result: OptimizeResult, now = new Date()): OptimizeRunSummary {
    const insertRun = this.#db.prepare(
      `INSERT INTO saved_runs (kind, created_at, label, symbol, timeframe, source, strategy, result,
         method, objective, validation, best_params, best_score, oos_score, collapsed, evaluation_count,
         elapsed_ms)
       VALUES ('optimize', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertEvaluation = this.#db.prepare(
      `INSERT INTO run_evaluations (run_id, seq, fold, params, score, qualified, trades, return_pct,
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
        JSON.stringify(rest),
        result.method,
        result.objective,
        JSON.stringify(result.validation),
        best === null ? null : JSON.stringify(best.params),
        best?.score ?? null,
        best?.oosScore ?? null,
        best?.collapsed === null || best === null ? null : best.collapsed ? 1 : 0,
        result.evaluationCount,
        result.elapsedMs,
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
    return this.#optimizeSummary(id)!;
  }

  /** Saved backtests, newest first. */
  listBacktests(limit = 200): BacktestRunSummary[] {
    return (this.#list('backtest', limit) as BacktestRow[]).map(backtestSummary);
  }

  /** Saved optimisations, newest first. */
  listOptimizations(limit = 200): OptimizeRunSummary[] {
    return (this.#list('optimize', limit) as OptimizeRow[]).map(optimizeSummary);
  }

  getBacktest(id: number): { summary: BacktestRunSummary; result: BacktestResult } | null {
    const row = this.#get('backtest', id) as (BacktestRow & { result: string }) | undefined;
    if (!row) return null;
    const result = JSON.parse(row.result) as BacktestResult;
    // Runs saved before results carried their decimals: read them off the traded prices.
    result.priceDecimals ??= detectPriceDecimals(result.trades.flatMap((t) => [t.entryPrice, t.exitPrice]));
    return { summary: backtestSummary(row), result };
  }

  getOptimization(id: number): { summary: OptimizeRunSummary; result: OptimizeResult } | null {
    const row = this.#get('optimize', id) as (OptimizeRow & { result: string }) | undefined;
    if (!row) return null;
    const rest = JSON.parse(row.result) as Omit<OptimizeResult, 'evaluations'>;
    // Optimisations saved before results carried their decimals show prices at 2.
    const result = { ...rest, priceDecimals: rest.priceDecimals ?? 2, evaluations: this.evaluations(id) };
    return { summary: optimizeSummary(row), result };
  }

  /** Every evaluation of an optimisation, in the order they were made. */
  evaluations(id: number): Evaluation[] {
    const rows = this.#db
      .prepare(
        `SELECT fold, params, score, qualified, trades, return_pct, profit_factor, win_rate_pct,
           max_drawdown_pct, sharpe, calmar
         FROM run_evaluations WHERE run_id = ? ORDER BY seq`,
      )
      .all(id) as EvaluationRow[];
    return rows.map(toEvaluation);
  }

  /** Deletes a run of this kind (an optimisation's evaluations go with it); false if there was none. */
  remove(kind: RunKind, id: number): boolean {
    return this.#db.prepare('DELETE FROM saved_runs WHERE id = ? AND kind = ?').run(id, kind).changes > 0;
  }

  #list(kind: RunKind, limit: number): unknown[] {
    return this.#db
      .prepare(`SELECT ${headlineColumns[kind]} FROM saved_runs WHERE kind = ? ORDER BY id DESC LIMIT ?`)
      .all(kind, limit);
  }

  #get(kind: RunKind, id: number): unknown {
    return this.#db
      .prepare(`SELECT ${headlineColumns[kind]}, result FROM saved_runs WHERE id = ? AND kind = ?`)
      .get(id, kind);
  }

  #backtestSummary(id: number): BacktestRunSummary | null {
    const row = this.#db
      .prepare(`SELECT ${headlineColumns.backtest} FROM saved_runs WHERE id = ?`)
      .get(id) as BacktestRow | undefined;
    return row ? backtestSummary(row) : null;
  }

  #optimizeSummary(id: number): OptimizeRunSummary | null {
    const row = this.#db
      .prepare(`SELECT ${headlineColumns.optimize} FROM saved_runs WHERE id = ?`)
      .get(id) as OptimizeRow | undefined;
    return row ? optimizeSummary(row) : null;
  }
}
