// Schema of the news headlines sentiment series are built from (issue #16), appended to the
// migrations list. Only real headlines are stored — fetched from NewsAPI with the user's key or
// imported from the user's own file — never demo data (docs/providers.md). Each keeps its score
// as computed when stored, so a series rebuilt later gives the same backtest. Imports only the
// Migration type (migration.ts): no migration file imports another.
import type { Migration } from './migration.ts';

export const headlinesMigration: Migration = {
  version: 12,
  name: 'headlines',
  sql: `
    CREATE TABLE headlines (
      id           INTEGER PRIMARY KEY,
      symbol       TEXT    NOT NULL,
      -- Epoch seconds of publication.
      published_at INTEGER NOT NULL,
      title        TEXT    NOT NULL,
      source       TEXT    NOT NULL,
      url          TEXT,
      -- 'newsapi' or 'import' (a file of recorded headlines).
      origin       TEXT    NOT NULL CHECK (origin IN ('newsapi', 'import')),
      score        REAL    NOT NULL CHECK (score > -1 AND score < 1),
      UNIQUE (symbol, published_at, title)
    );
    CREATE INDEX headlines_symbol_time ON headlines (symbol, published_at);
  `,
};
