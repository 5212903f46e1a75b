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
    // `series` and candles carry its integer id: the b-tree key shrinks from two strings to two
    // integers, which halves import and read times on million-bar series (docs/storage.md).
    // WITHOUT ROWID: the key is the row's address, so a range read walks one b-tree in time order.
    sql: `
      CREATE TABLE series (
        id        INTEGER PRIMARY KEY,
        symbol    TEXT NOT NULL,
        timeframe TEXT NOT NULL,
        UNIQUE (symbol, timeframe)
      );
      CREATE TABLE candles (
        series_id INTEGER NOT NULL REFERENCES series (id) ON DELETE CASCADE,
        time      INTEGER NOT NULL,
        open      REAL    NOT NULL,
        high      REAL    NOT NULL,
        low       REAL    NOT NULL,
        close     REAL    NOT NULL,
        volume    REAL    NOT NULL,
        PRIMARY KEY (series_id, time)
      ) WITHOUT ROWID;
      CREATE VIEW candles_by_symbol AS
        SELECT s.symbol, s.timeframe, c.time, c.open, c.high, c.low, c.close, c.volume
        FROM candles c JOIN series s ON s.id = c.series_id;
    `,
  },
];
