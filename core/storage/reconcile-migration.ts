// Schema of reconciliation (issue #13), appended to the migrations list. Each run's diff — what it
// changed in the journal and what it found the journal cannot explain, each with why — is one
// append-only row, so the user can see after the fact why an order was closed or a fill inferred.
// Beside it, what was adopted as external (venue orders and balances this app did not make): the
// account stays REDUCING while any of it is unacknowledged, across restarts. Imports only the
// Migration type (migration.ts): no migration file imports another.
import type { Migration } from './migration.ts';

export const reconcileMigration: Migration = {
  version: 14,
  name: 'reconciliation runs and adoptions',
  sql: `
    CREATE TABLE reconcile_runs (
      id          INTEGER PRIMARY KEY,
      venue       TEXT    NOT NULL,
      trigger     TEXT    NOT NULL CHECK (trigger IN ('connect', 'reconnect', 'periodic', 'manual')),
      started_at  INTEGER NOT NULL,
      finished_at INTEGER NOT NULL,
      error       TEXT,
      changes     INTEGER NOT NULL,
      diff        TEXT    NOT NULL
    );
    CREATE INDEX reconcile_runs_venue ON reconcile_runs (venue, id);
    CREATE TABLE venue_adoptions (
      id              INTEGER PRIMARY KEY,
      venue           TEXT    NOT NULL,
      kind            TEXT    NOT NULL CHECK (kind IN ('order', 'balance')),
      ref             TEXT    NOT NULL,
      symbol          TEXT    NOT NULL,
      quantity        REAL    NOT NULL,
      detail          TEXT    NOT NULL,
      adopted_at      INTEGER NOT NULL,
      acknowledged_at INTEGER
    );
    CREATE UNIQUE INDEX venue_adoptions_order ON venue_adoptions (venue, ref) WHERE kind = 'order';
  `,
};
