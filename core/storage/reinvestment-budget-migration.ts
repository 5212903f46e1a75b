// Schema of the monthly reinvestment budget ledger (issue #16): for each month recorded, the Shopify
// store's revenue, the share set aside and the amount (rounded down to the cent). A ledger entry
// only: no money moves. Only real revenue is recorded, never demo data (docs/reinvestment.md).
// Imports only the Migration type (migration.ts): no migration file imports another.
import type { Migration } from './migration.ts';

export const reinvestmentBudgetMigration: Migration = {
  version: 16,
  name: 'reinvestment budgets',
  sql: `
    CREATE TABLE reinvestment_budgets (
      -- YYYY-MM, a calendar month in UTC.
      month        TEXT    PRIMARY KEY CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
      revenue      REAL    NOT NULL,
      orders       INTEGER NOT NULL,
      currency     TEXT    NOT NULL,
      reinvest_pct REAL    NOT NULL CHECK (reinvest_pct >= 0 AND reinvest_pct <= 100),
      amount       REAL    NOT NULL CHECK (amount >= 0),
      -- ISO time of recording; a month recorded again replaces its entry.
      recorded_at  TEXT    NOT NULL
    );
  `,
};
