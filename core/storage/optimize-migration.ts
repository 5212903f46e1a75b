// Schema of saved optimisations (issue #4), to be appended to the migrations list as version 3.
// A run keeps what was asked and its headline as columns (for listing), the result without its
// evaluations as JSON (to reopen it), and every evaluation as one row (to export or query them
// without parsing a large JSON document).
import type { Migration } from './migration.ts';

export const optimizeMigration: Migration = {
  version: 3,
  name: 'optimisation runs',
  sql: `
    CREATE TABLE optimize_runs (
      id               INTEGER PRIMARY KEY,
      created_at       TEXT    NOT NULL,
      label            TEXT    NOT NULL,
      symbol           TEXT,
      timeframe        TEXT,
      source           TEXT    NOT NULL CHECK (source IN ('stored', 'csv')),
      strategy         TEXT    NOT NULL,
      method           TEXT    NOT NULL CHECK (method IN ('grid', 'genetic')),
      objective        TEXT    NOT NULL,
      validation       TEXT    NOT NULL,
      best_params      TEXT,
      best_score       REAL,
      oos_score        REAL,
      collapsed        INTEGER CHECK (collapsed IN (0, 1)),
      evaluation_count INTEGER NOT NULL,
      elapsed_ms       REAL    NOT NULL,
      result           TEXT    NOT NULL
    );
    CREATE INDEX optimize_runs_created ON optimize_runs (created_at);
    CREATE TABLE optimize_evaluations (
      run_id           INTEGER NOT NULL REFERENCES optimize_runs (id) ON DELETE CASCADE,
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
  `,
};
