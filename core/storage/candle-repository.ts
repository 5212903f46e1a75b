// Candles in and out of the journal. Bars are stored in chunks of one fixed time span each
// (see migrations.ts); this class is the only code that knows that.
import type { Statement } from 'better-sqlite3';
import type { Timeframe } from '../contract/calls.ts';
import type { Database } from './database.ts';
import { allocateCandleColumns, candleFields, sliceCandles, type CandleColumns } from './candle-columns.ts';
import { decodeChunk, decodeChunkInto, encodeChunk } from './candle-chunk.ts';
import { timeframeSeconds } from './timeframe-seconds.ts';

export { allocateCandleColumns, type CandleColumns } from './candle-columns.ts';

export interface SeriesSummary {
  symbol: string;
  timeframe: Timeframe;
  count: number;
  first: number | null;
  last: number | null;
}

/** Bars per chunk when bars are spaced at their timeframe: 4096 × 48 B ≈ 192 KiB per row. */
const barsPerBucket = 4096;
const farFuture = Number.MAX_SAFE_INTEGER;

interface ChunkRow {
  bucket: number;
  count: number;
  columns: Buffer;
}

export class CandleRepository {
  readonly #db: Database;
  readonly #seriesId: Statement<[string, string]>;
  readonly #createSeries: Statement<[string, string]>;
  readonly #chunk: Statement<[number, number]>;
  readonly #writeChunk: Statement<[number, number, number, number, number, Buffer]>;
  readonly #chunksInRange: Statement<[number, number, number]>;
  readonly #series: Statement<[]>;

  constructor(db: Database) {
    this.#db = db;
    this.#seriesId = db.prepare('SELECT id FROM series WHERE symbol = ? AND timeframe = ?').pluck();
    this.#createSeries = db
      .prepare('INSERT INTO series (symbol, timeframe) VALUES (?, ?) RETURNING id')
      .pluck();
    this.#chunk = db.prepare(
      'SELECT bucket, count, columns FROM candle_chunks WHERE series_id = ? AND bucket = ?',
    );
    this.#writeChunk = db.prepare(
      `INSERT OR REPLACE INTO candle_chunks (series_id, bucket, count, first_time, last_time, columns)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#chunksInRange = db.prepare(
      `SELECT bucket, count, columns FROM candle_chunks
       WHERE series_id = ? AND last_time >= ? AND first_time <= ? ORDER BY bucket`,
    );
    this.#series = db.prepare(`
      SELECT s.symbol, s.timeframe, sum(c.count) AS count, min(c.first_time) AS first, max(c.last_time) AS last
      FROM series s JOIN candle_chunks c ON c.series_id = s.id
      GROUP BY s.id ORDER BY s.symbol, s.timeframe`);
  }

  /**
   * Stores bars (sorted by time, unique times) in one transaction: all or nothing. A bar already
   * stored at the same time is replaced, so importing a file twice leaves one copy.
   * Returns how many bars were new.
   */
  upsert(symbol: string, timeframe: Timeframe, candles: CandleColumns, length = candles.time.length): number {
    const span = timeframeSeconds(timeframe) * barsPerBucket;
    return this.#db.transaction(() => {
      const seriesId = this.#seriesIdFor(symbol, timeframe, true)!;
      let inserted = 0;
      let start = 0;
      while (start < length) {
        const bucket = Math.floor(candles.time[start]! / span);
        let end = start + 1;
        while (end < length && Math.floor(candles.time[end]! / span) === bucket) end++;
        const incoming = sliceCandles(candles, start, end);
        const existing = this.#chunk.get(seriesId, bucket) as ChunkRow | undefined;
        const merged = existing
          ? mergeByTime(decodeChunk(existing.columns, existing.count), incoming)
          : incoming;
        const count = merged.time.length;
        this.#writeChunk.run(
          seriesId,
          bucket,
          count,
          merged.time[0]!,
          merged.time[count - 1]!,
          encodeChunk(merged, 0, count),
        );
        inserted += count - (existing?.count ?? 0);
        start = end;
      }
      return inserted;
    })();
  }

  count(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): number {
    return this.read(symbol, timeframe, from, to).time.length;
  }

  /** Bars of one series with from <= time <= to, in time order. */
  read(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): CandleColumns {
    // One read transaction: every chunk comes from the same snapshot.
    return this.#db.transaction(() => {
      const seriesId = this.#seriesIdFor(symbol, timeframe, false);
      if (seriesId === undefined) return allocateCandleColumns(0);
      const chunks = this.#chunksInRange.all(seriesId, from, to) as ChunkRow[];
      const capacity = chunks.reduce((sum, chunk) => sum + chunk.count, 0);
      const columns = allocateCandleColumns(capacity);
      let length = 0;
      for (const chunk of chunks)
        length += decodeChunkInto(chunk.columns, chunk.count, columns, length, from, to);
      return length === capacity ? columns : sliceCandles(columns, 0, length);
    })();
  }

  listSeries(): SeriesSummary[] {
    return this.#series.all() as SeriesSummary[];
  }

  totalCount(): number {
    return this.#db.prepare('SELECT coalesce(sum(count), 0) FROM candle_chunks').pluck().get() as number;
  }

  #seriesIdFor(symbol: string, timeframe: Timeframe, create: boolean): number | undefined {
    const existing = this.#seriesId.get(symbol, timeframe) as number | undefined;
    if (existing !== undefined || !create) return existing;
    return this.#createSeries.get(symbol, timeframe) as number;
  }
}

/** Merges two time-sorted runs; on equal times the incoming bar wins. */
function mergeByTime(stored: CandleColumns, incoming: CandleColumns): CandleColumns {
  const merged = allocateCandleColumns(stored.time.length + incoming.time.length);
  let i = 0;
  let j = 0;
  let k = 0;
  const take = (source: CandleColumns, index: number) => {
    for (const field of candleFields) merged[field][k] = source[field][index]!;
    k++;
  };
  while (i < stored.time.length || j < incoming.time.length) {
    const storedTime = i < stored.time.length ? stored.time[i]! : Infinity;
    const incomingTime = j < incoming.time.length ? incoming.time[j]! : Infinity;
    if (incomingTime <= storedTime) {
      if (incomingTime === storedTime) i++;
      take(incoming, j++);
    } else {
      take(stored, i++);
    }
  }
  return sliceCandles(merged, 0, k);
}
