// Versioned schema changes, applied in order at start. Never edit a shipped migration: add the next one.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

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
];
