// Schema of the risk journal (issue #12), appended to the migrations list. Every trip, recovery
// and re-arm of a circuit breaker is one append-only row: the trips in force at start are a replay
// of it (a trip with no later recovery or re-arm), never a row updated in place. Beside it, the
// counters breakers remember so the next trip does not start from zero after a restart. Imports only the
// Migration type (migration.ts): no migration file imports another.
import type { Migration } from './migration.ts';

export const riskMigration: Migration = {
  version: 8,
  name: 'risk journal',
  sql: `
    CREATE TABLE risk_events (
      seq          INTEGER PRIMARY KEY,
      kind         TEXT    NOT NULL CHECK (kind IN ('trip', 'recover', 'rearm')),
      breaker      TEXT    NOT NULL,
      scope        TEXT    NOT NULL CHECK (scope IN ('account', 'bot', 'symbol')),
      -- '*' for the account, else the bot id or the symbol the trip holds.
      scope_key    TEXT    NOT NULL,
      state        TEXT    NOT NULL CHECK (state IN ('reducing', 'halted')),
      -- Epoch ms of this event; of the trip it belongs to; when the trip is expected to recover
      -- (NULL: when a rule says so, e.g. calm bars, or when the user re-arms it).
      at           INTEGER NOT NULL,
      tripped_at   INTEGER NOT NULL,
      until        INTEGER,
      recovery     TEXT    NOT NULL,
      -- JSON object of what tripped it (loss %, streak, move %…).
      trip_values  TEXT    NOT NULL,
      message      TEXT    NOT NULL
    );
    CREATE INDEX risk_events_at ON risk_events (at);
    -- The counters the next trip depends on (start-of-day equity, peak equity, a loss streak in
    -- progress): the latest value per breaker and name, replaced in place — a counter, not history.
    CREATE TABLE risk_memory (
      breaker TEXT    NOT NULL,
      name    TEXT    NOT NULL,
      value   REAL    NOT NULL,
      at      INTEGER NOT NULL,
      PRIMARY KEY (breaker, name)
    ) WITHOUT ROWID;
  `,
};
