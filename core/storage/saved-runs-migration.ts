// Version 4: backtests and optimisations in one saved-runs history (issue #10). One table with a
// `kind` column, so every kind of run (later training runs too) is listed, numbered and deleted
// the same way; the headline figures each kind is listed by stay typed columns (a JSON summary
// would round REALs to 15 digits when migrated in SQL). Runs saved before keep everything but
// their number: both old tables counted from 1, so the runs are renumbered in the order they
// were saved. Optimisation evaluations move to `run_evaluations`, keyed by the new number.
import type { Migration } from './migration.ts';

export const savedRunsMigration: Migration = {
  version: 4,
  name: 'one saved-runs history',
  sql: `
    CREATE TABLE saved_runs (
      id               INTEGER PRIMARY KEY,
      kind             TEXT    NOT NULL CHECK (kind IN ('backtest', 'optimize')),
      created_at       TEXT    NOT NULL,
      label            TEXT    NOT NULL,
      symbol           TEXT,
      timeframe        TEXT,
      source           TEXT    NOT NULL CHECK (source IN ('stored', 'csv')),
      strategy         TEXT    NOT NULL,
      -- the whole result as JSON (an optimisation's without its evaluations)
      result           TEXT    NOT NULL,
      -- a backtest's headline
      params           TEXT,
      return_pct       REAL,
      trades           INTEGER,
      -- an optimisation's headline
      method           TEXT    CHECK (method IN ('grid', 'genetic')),
      objective        TEXT,
      validation       TEXT,
      best_params      TEXT,
      best_score       REAL,
      oos_score        REAL,
      collapsed        INTEGER CHECK (collapsed IN (0, 1)),
      evaluation_count INTEGER,
      elapsed_ms       REAL,
      CHECK (kind <> 'backtest' OR (params IS NOT NULL AND return_pct IS NOT NULL AND trades IS NOT NULL)),
      CHECK (kind <> 'optimize' OR (method IS NOT NULL AND objective IS NOT NULL AND validation IS NOT NULL
                                    AND evaluation_count IS NOT NULL AND elapsed_ms IS NOT NULL))
    );
    CREATE INDEX saved_runs_kind ON saved_runs (kind, id);
    CREATE TABLE run_evaluations (
      run_id           INTEGER NOT NULL REFERENCES saved_runs (id) ON DELETE CASCADE,
      seq              INTEGER NOT NULL,
      fold             INTEGER NOT NULL,
      params           TEXT    NOT NULL,
      score            REAL    NOT NULL,
      qualified        INTEGER NOT NULL CHECK (qualified IN (0, 1)),
      trades           INTEGER NOT NULL,
      return_pct       REAL    NOT NULL,
      profit_factor    REAL,
      win_rate_pct     REAL,
      max_drawdown_pct REAL    NOT NULL,
      sharpe           REAL,
      calmar           REAL,
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;

    CREATE TEMP TABLE saved_run_numbers AS
      SELECT kind, old_id, row_number() OVER (ORDER BY created_at, kind, old_id) AS new_id
      FROM (SELECT 'backtest' AS kind, id AS old_id, created_at FROM backtest_runs
            UNION ALL
            SELECT 'optimize', id, created_at FROM optimize_runs);

    INSERT INTO saved_runs (id, kind, created_at, label, symbol, timeframe, source, strategy, result,
                            params, return_pct, trades)
      SELECT n.new_id, 'backtest', b.created_at, b.label, b.symbol, b.timeframe, b.source, b.strategy,
             b.result, b.params, b.return_pct, b.trades
      FROM backtest_runs b JOIN saved_run_numbers n ON n.kind = 'backtest' AND n.old_id = b.id;

    INSERT INTO saved_runs (id, kind, created_at, label, symbol, timeframe, source, strategy, result,
                            method, objective, validation, best_params, best_score, oos_score,
                            collapsed, evaluation_count, elapsed_ms)
      SELECT n.new_id, 'optimize', o.created_at, o.label, o.symbol, o.timeframe, o.source, o.strategy,
             o.result, o.method, o.objective, o.validation, o.best_params, o.best_score, o.oos_score,
             o.collapsed, o.evaluation_count, o.elapsed_ms
      FROM optimize_runs o JOIN saved_run_numbers n ON n.kind = 'optimize' AND n.old_id = o.id;

    INSERT INTO run_evaluations (run_id, seq, fold, params, score, qualified, trades, return_pct,
                                 profit_factor, win_rate_pct, max_drawdown_pct, sharpe, calmar)
      SELECT n.new_id, e.seq, e.fold, e.params, e.score, e.qualified, e.trades, e.return_pct,
             e.profit_factor, e.win_rate_pct, e.max_drawdown_pct, e.sharpe, e.calmar
      FROM optimize_evaluations e JOIN saved_run_numbers n ON n.kind = 'optimize' AND n.old_id = e.run_id;

    DROP TABLE saved_run_numbers;
    DROP TABLE optimize_evaluations;
    DROP TABLE optimize_runs;
    DROP TABLE backtest_runs;
  `,
};
