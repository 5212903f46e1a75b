// Schema of the bot store (issue #11): what each paper bot is (its definition, as JSON so a new
// field needs no migration), where it stands (status, the error that stopped it), where it came
// from (a saved backtest or optimisation) and whom it shadows (ghost_of). `last_bar_time` is the
// replay's checkpoint: the last bar the bot finished, so a restart resumes after it. Orders and
// fills are not here: they live in the order journal under the owner "bot-<id>". Imports only the
// Migration type (migration.ts): no migration file imports another.
import type { Migration } from './migration.ts';

export const botsMigration: Migration = {
  version: 10,
  name: 'bots',
  sql: `
    CREATE TABLE bots (
      id            INTEGER PRIMARY KEY,
      name          TEXT    NOT NULL,
      created_at    TEXT    NOT NULL,
      -- JSON: strategy, params, symbol, timeframe, venue, costs, sizing, replay speed.
      definition    TEXT    NOT NULL,
      status        TEXT    NOT NULL
                    CHECK (status IN ('created', 'running', 'paused', 'stopped', 'failed')),
      status_at     TEXT    NOT NULL,
      -- Why the bot failed or stopped on its own (a strategy's exception, the end of the replay).
      message       TEXT,
      -- JSON {kind: 'backtest' | 'optimize', id}: the saved run it was made from, or NULL.
      created_from  TEXT,
      ghost_of      INTEGER REFERENCES bots (id) ON DELETE SET NULL,
      last_bar_time INTEGER,
      bars          INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX bots_ghost_of ON bots (ghost_of);
  `,
};
