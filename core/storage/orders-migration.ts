// Schema of the order journal (issue #11), appended to the migrations list. The journal is
// append-only: an intent row is committed before anything is sent, every event after it is one more
// row, and state (open orders, positions) is a replay, never an update in place — so a crash can cut
// the log short but never leave a row half-changed. Imports only the Migration type (migration.ts):
// no migration file imports another.
import type { Migration } from './migration.ts';

export const ordersMigration: Migration = {
  version: 5,
  name: 'order journal',
  sql: `
    -- Settings of the runtime that belong to this database, e.g. its client-order-id tag.
    CREATE TABLE runtime_meta (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) WITHOUT ROWID;
    -- One row per start of an id generator; AUTOINCREMENT never reuses a number, even after a delete,
    -- so ids made in different sessions can never collide.
    CREATE TABLE order_id_sessions (
      session    INTEGER PRIMARY KEY AUTOINCREMENT,
      started_at INTEGER NOT NULL
    );
    CREATE TABLE order_intents (
      seq             INTEGER PRIMARY KEY,
      client_order_id TEXT    NOT NULL UNIQUE CHECK (length(client_order_id) BETWEEN 1 AND 32),
      owner           TEXT    NOT NULL,
      venue           TEXT    NOT NULL,
      symbol          TEXT    NOT NULL,
      side            TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
      type            TEXT    NOT NULL CHECK (type IN ('market', 'limit', 'stop')),
      quantity        REAL    NOT NULL CHECK (quantity > 0),
      price           REAL,
      time_in_force   TEXT    NOT NULL CHECK (time_in_force IN ('GTC', 'IOC', 'FOK', 'DAY')),
      created_at      INTEGER NOT NULL,
      -- What decided the order (a bot's signal on a bar): at most one order per signal, ever.
      signal_key      TEXT    UNIQUE
    );
    CREATE TABLE order_events (
      seq             INTEGER PRIMARY KEY,
      client_order_id TEXT    NOT NULL REFERENCES order_intents (client_order_id),
      kind            TEXT    NOT NULL,
      -- Makes an append idempotent: "trade:<venue trade id>" for a fill, the venue's event id for
      -- others; NULL when the venue gives none (replaying such a duplicate changes nothing anyway).
      event_key       TEXT,
      payload         TEXT    NOT NULL,
      recorded_at     INTEGER NOT NULL,
      UNIQUE (client_order_id, event_key)
    );
    CREATE INDEX order_events_order ON order_events (client_order_id, seq);
  `,
};
