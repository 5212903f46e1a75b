// Versioned schema changes, applied in order at start. Never edit a shipped migration: add the next one.
// Each later migration lives in its own file and imports only the Migration type (migration.ts),
// so no migration file imports another.
import { derivedSeriesMigration } from './derived-series-migration.ts';
import { drawingsMigration } from './drawings-migration.ts';
import { headlinesMigration } from './headlines-migration.ts';
import type { Migration } from './migration.ts';
import { optimizeMigration } from './optimize-migration.ts';
import { priceDecimalsMigration } from './price-decimals-migration.ts';
import { savedRunsMigration } from './saved-runs-migration.ts';
import { ordersMigration } from './orders-migration.ts';
import { reconcileMigration } from './reconcile-migration.ts';
import { riskMigration } from './risk-migration.ts';
import { rlMigration } from './rl-migration.ts';
import { botsMigration } from './bots-migration.ts';
import { riskSettingsMigration } from './risk-settings-migration.ts';
import { riskClockMigration } from './risk-clock-migration.ts';
import { reinvestmentBudgetMigration } from './reinvestment-budget-migration.ts';

export type { Migration } from './migration.ts';

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'candles',
    // A candle's key is (symbol, timeframe, time). The (symbol, timeframe) pair lives once in
    // `series`; its bars are stored column-wise in chunks, one row per fixed span of time
    // (`bucket`), each chunk holding its bars' six fields as packed float64 columns in time order.
    // One row per bar would cost ~0.5 µs per bar in the driver on every read; chunks read a
    // million bars in a few milliseconds (docs/storage.md has the measurements and the layout).
    sql: `
      CREATE TABLE series (
        id        INTEGER PRIMARY KEY,
        symbol    TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        UNIQUE (symbol, timeframe)
      );
      CREATE TABLE candle_chunks (
        series_id  INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
        bucket     INTEGER NOT NULL,
        count      INTEGER NOT NULL CHECK (count > 0),
        first_time INTEGER NOT NULL,
        last_time  INTEGER NOT NULL,
        columns    BLOB    NOT NULL CHECK (length(columns) = count * 48),
        PRIMARY KEY (series_id, bucket)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'backtest runs',
    // A finished backtest as the user saw it: what was asked (spec, data), the headline figures
    // as columns for listing and comparing, and the whole result as JSON to reopen it later.
    sql: `
      CREATE TABLE backtest_runs (
        id          INTEGER PRIMARY KEY,
        created_at  TEXT    NOT NULL,
        label       TEXT    NOT NULL,
        symbol      TEXT,
        timeframe   TEXT,
        source      TEXT    NOT NULL CHECK (source IN ('stored', 'csv')),
        strategy    TEXT    NOT NULL,
        params      TEXT    NOT NULL,
        return_pct  REAL    NOT NULL,
        trades      INTEGER NOT NULL,
        result      TEXT    NOT NULL
      );
      CREATE INDEX backtest_runs_created ON backtest_runs (created_at);
    `,
  },
  optimizeMigration,
  savedRunsMigration,
  ordersMigration,
  derivedSeriesMigration,
  drawingsMigration,
  riskMigration,
  priceDecimalsMigration,
  botsMigration,
  riskSettingsMigration,
  headlinesMigration,
  rlMigration,
  reconcileMigration,
  riskClockMigration,
  reinvestmentBudgetMigration,
];
