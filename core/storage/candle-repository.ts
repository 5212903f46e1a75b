// Candles in and out of the journal. Reads are columnar (one Float64Array per field) because every
// consumer — charts, indicators, the backtester — walks fields, not bar objects.
import type { Statement } from 'better-sqlite3';
import type { Timeframe } from '../contract/calls.ts';
import type { Database } from './database.ts';

export interface CandleColumns {
  /** Bar open time, epoch seconds UTC. */
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

export interface SeriesSummary {
  symbol: string;
  timeframe: Timeframe;
  count: number;
  first: number | null;
  last: number | null;
}

export function allocateCandleColumns(length: number): CandleColumns {
  return {
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

const farFuture = Number.MAX_SAFE_INTEGER;
const fieldsPerRow = 7;
/** Rows per INSERT statement: one native call binds a whole batch instead of one bar. */
const batchRows = 64;

function upsertSql(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?)').join(', ');
  return `INSERT INTO candles (series_id, time, open, high, low, close, volume) VALUES ${values}
    ON CONFLICT (series_id, time) DO UPDATE SET
      open = excluded.open, high = excluded.high, low = excluded.low,
      close = excluded.close, volume = excluded.volume`;
}

export class CandleRepository {
  readonly #db: Database;
  readonly #upsertBatch: Statement<unknown[]>;
  readonly #upsertOne: Statement<unknown[]>;
  readonly #seriesId: Statement<[string, string]>;
  readonly #createSeries: Statement<[string, string]>;
  readonly #countRange: Statement<[number, number, number]>;
  readonly #readRange: Statement<[number, number, number]>;
  readonly #series: Statement<[]>;

  constructor(db: Database) {
    this.#db = db;
    this.#upsertBatch = db.prepare(upsertSql(batchRows));
    this.#upsertOne = db.prepare(upsertSql(1));
    this.#seriesId = db.prepare('SELECT id FROM series WHERE symbol = ? AND timeframe = ?').pluck();
    this.#createSeries = db.prepare('INSERT INTO series (symbol, timeframe) VALUES (?, ?) RETURNING id').pluck();
    this.#countRange = db
      .prepare('SELECT count(*) FROM candles WHERE series_id = ? AND time BETWEEN ? AND ?')
      .pluck();
    this.#readRange = db
      .prepare(
        `SELECT time, open, high, low, close, volume FROM candles
         WHERE series_id = ? AND time BETWEEN ? AND ? ORDER BY time`,
      )
      .raw();
    this.#series = db.prepare(`
      SELECT s.symbol, s.timeframe, count(c.time) AS count, min(c.time) AS first, max(c.time) AS last
      FROM series s LEFT JOIN candles c ON c.series_id = s.id
      GROUP BY s.id HAVING count(c.time) > 0 ORDER BY s.symbol, s.timeframe`);
  }

  /**
   * Stores every bar in one transaction: all or nothing. A bar already stored at the same time is
   * replaced, so importing the same file twice leaves one copy. Returns how many bars were new.
   */
  upsert(symbol: string, timeframe: Timeframe, candles: CandleColumns, length = candles.time.length): number {
    return this.#db.transaction(() => {
      const seriesId = this.#seriesIdFor(symbol, timeframe, true)!;
      const before = this.#countRange.get(seriesId, 0, farFuture) as number;
      const { time, open, high, low, close, volume } = candles;
      const params: number[] = new Array<number>(batchRows * fieldsPerRow);
      let i = 0;
      for (; i + batchRows <= length; i += batchRows) {
        for (let k = 0; k < batchRows; k++) {
          const bar = i + k;
          const at = k * fieldsPerRow;
          params[at] = seriesId;
          params[at + 1] = time[bar]!;
          params[at + 2] = open[bar]!;
          params[at + 3] = high[bar]!;
          params[at + 4] = low[bar]!;
          params[at + 5] = close[bar]!;
          params[at + 6] = volume[bar]!;
        }
        this.#upsertBatch.run(params);
      }
      for (; i < length; i++) {
        this.#upsertOne.run(seriesId, time[i]!, open[i]!, high[i]!, low[i]!, close[i]!, volume[i]!);
      }
      return (this.#countRange.get(seriesId, 0, farFuture) as number) - before;
    })();
  }

  count(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): number {
    const seriesId = this.#seriesIdFor(symbol, timeframe, false);
    return seriesId === undefined ? 0 : (this.#countRange.get(seriesId, from, to) as number);
  }

  /** Bars of one series with from <= time <= to, in time order. */
  read(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): CandleColumns {
    // One read transaction so the count and the rows see the same snapshot.
    return this.#db.transaction(() => {
      const seriesId = this.#seriesIdFor(symbol, timeframe, false);
      if (seriesId === undefined) return allocateCandleColumns(0);
      const columns = allocateCandleColumns(this.#countRange.get(seriesId, from, to) as number);
      const { time, open, high, low, close, volume } = columns;
      // all() beats iterate() here: one native call instead of a JS iterator step per bar.
      const rows = this.#readRange.all(seriesId, from, to) as number[][];
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        time[i] = row[0]!;
        open[i] = row[1]!;
        high[i] = row[2]!;
        low[i] = row[3]!;
        close[i] = row[4]!;
        volume[i] = row[5]!;
      }
      return columns;
    })();
  }

  listSeries(): SeriesSummary[] {
    return this.#series.all() as SeriesSummary[];
  }

  totalCount(): number {
    return this.#db.prepare('SELECT count(*) FROM candles').pluck().get() as number;
  }

  #seriesIdFor(symbol: string, timeframe: Timeframe, create: boolean): number | undefined {
    const existing = this.#seriesId.get(symbol, timeframe) as number | undefined;
    if (existing !== undefined || !create) return existing;
    return this.#createSeries.get(symbol, timeframe) as number;
  }
}
