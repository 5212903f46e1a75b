// Candles in and out of the journal. Bars are stored in chunks of one fixed time span each
// (see migrations.ts); this class is the only code that knows that.
import type { Statement } from 'better-sqlite3';
import type { Timeframe } from '../contract/calls.ts';
import type { Database } from './database.ts';
import { allocateCandleColumns, candleFields, sliceCandles, type CandleColumns } from './candle-columns.ts';
import { decodeChunk, decodeChunkInto, encodeChunk } from './candle-chunk.ts';
import { timeframeSeconds } from './timeframe-seconds.ts';
import { AutobotError } from '../contract/errors.ts';

export { allocateCandleColumns, type CandleColumns } from './candle-columns.ts';

export interface SeriesSummary {
  symbol: string;
  timeframe: Timeframe;
  count: number;
  first: number | null;
  last: number | null;
}

/** Bar times the store accepts (epoch seconds, 1970-01-01 … 2100-01-01): every stored bar can be read back. */
const earliestTime = 0;
const latestTime = Date.UTC(2100, 0, 1) / 1000;
/**
 * Staging series (an import in progress) are named with a prefix no symbol can start with
 * (symbolSchema allows letters, digits and . _ / : - only), so no listing or call ever sees them.
 */
const stagingPrefix = '~import-';
const stagingMaxAgeMs = 24 * 3600 * 1000;

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
      WHERE s.symbol NOT LIKE '${stagingPrefix}%'
      GROUP BY s.id ORDER BY s.symbol, s.timeframe`);
  }

  /** Whether a series holds any bar. */
  exists(symbol: string, timeframe: Timeframe): boolean {
    const seriesId = this.#seriesIdFor(symbol, timeframe, false);
    if (seriesId === undefined) return false;
    return (
      this.#db.prepare('SELECT 1 FROM candle_chunks WHERE series_id = ? LIMIT 1').get(seriesId) !== undefined
    );
  }

  /**
   * The stored bars of one chunk nearest to `time` (the one holding it or the last before it, else
   * the first after it): a sample of the series where new bars would join it.
   */
  sampleNear(symbol: string, timeframe: Timeframe, time: number): CandleColumns | null {
    const seriesId = this.#seriesIdFor(symbol, timeframe, false);
    if (seriesId === undefined) return null;
    const bucket = Math.floor(time / (timeframeSeconds(timeframe) * barsPerBucket));
    const row = (this.#db
      .prepare(
        `SELECT bucket, count, columns FROM candle_chunks WHERE series_id = ? AND bucket <= ?
         ORDER BY bucket DESC LIMIT 1`,
      )
      .get(seriesId, bucket) ??
      this.#db
        .prepare(
          'SELECT bucket, count, columns FROM candle_chunks WHERE series_id = ? ORDER BY bucket LIMIT 1',
        )
        .get(seriesId)) as ChunkRow | undefined;
    return row ? decodeChunk(row.columns, row.count) : null;
  }

  /** Deletes a series and all its bars in one transaction; returns how many bars went. */
  remove(symbol: string, timeframe: Timeframe): number {
    return this.#db.transaction(() => {
      const seriesId = this.#seriesIdFor(symbol, timeframe, false);
      if (seriesId === undefined) return 0;
      const bars = this.#db
        .prepare('SELECT coalesce(sum(count), 0) FROM candle_chunks WHERE series_id = ?')
        .pluck()
        .get(seriesId) as number;
      this.#db.prepare('DELETE FROM candle_chunks WHERE series_id = ?').run(seriesId);
      this.#db.prepare('DELETE FROM series WHERE id = ?').run(seriesId);
      return bars;
    })();
  }

  /**
   * A hidden series an import writes into in short transactions, so a long import never holds the
   * database's write lock; commitStaging then moves its bars into the real series in one
   * transaction (all or nothing), dropStaging throws them away.
   */
  createStaging(timeframe: Timeframe): number {
    const name = `${stagingPrefix}${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
    return this.#createSeries.get(name, timeframe) as number;
  }

  /** Adds time-sorted bars to a staging series (merged by time with what it already holds). */
  stage(stagingId: number, timeframe: Timeframe, candles: CandleColumns, length: number): void {
    this.#db.transaction(() => this.#upsertInto(stagingId, timeframe, candles, length))();
  }

  /**
   * Moves a staging series' bars into (symbol, timeframe), in one transaction; returns how many
   * were new. Only the smaller side is touched: a new series is the staging series renamed (no bar
   * rewritten), a small file merges into a large series, a large file absorbs a small series.
   */
  commitStaging(stagingId: number, symbol: string, timeframe: Timeframe): number {
    return this.#db.transaction(() => {
      const stillThere = this.#db.prepare('SELECT 1 FROM series WHERE id = ?').get(stagingId);
      if (stillThere === undefined) throw new Error(`staging series ${stagingId} vanished before its commit`);
      const countOf = this.#db.prepare(
        'SELECT count(*) AS chunks, coalesce(sum(count), 0) AS bars FROM candle_chunks WHERE series_id = ?',
      );
      const staged = countOf.get(stagingId) as { chunks: number; bars: number };
      const targetId = this.#seriesIdFor(symbol, timeframe, false);
      if (targetId === undefined) {
        this.#db.prepare('UPDATE series SET symbol = ? WHERE id = ?').run(symbol, stagingId);
        return staged.bars;
      }
      const target = countOf.get(targetId) as { chunks: number; bars: number };
      // On a bar stored on both sides, the file's (staged) bar wins whichever side is moved.
      const replaced =
        staged.chunks <= target.chunks
          ? this.#moveChunks(stagingId, targetId, 'incoming')
          : this.#moveChunks(targetId, stagingId, 'stored');
      if (staged.chunks > target.chunks) {
        this.#db.prepare('DELETE FROM series WHERE id = ?').run(targetId);
        this.#db.prepare('UPDATE series SET symbol = ? WHERE id = ?').run(symbol, stagingId);
      } else {
        this.#db.prepare('DELETE FROM series WHERE id = ?').run(stagingId);
      }
      return staged.bars - replaced;
    })();
  }

  /**
   * Moves every chunk of series `from` into series `to`, merging where both hold the same bucket;
   * `moving` says whose bar wins a tie: the moved side's ('incoming') or the receiver's ('stored').
   * Returns how many bars were on both sides.
   */
  #moveChunks(from: number, to: number, moving: 'incoming' | 'stored'): number {
    let both = 0;
    const colliding = this.#db
      .prepare(
        `SELECT f.bucket, f.count, f.columns FROM candle_chunks f
         JOIN candle_chunks t ON t.series_id = ? AND t.bucket = f.bucket
         WHERE f.series_id = ?`,
      )
      .all(to, from) as ChunkRow[];
    for (const chunk of colliding) {
      const kept = this.#chunk.get(to, chunk.bucket) as ChunkRow;
      const moved = decodeChunk(chunk.columns, chunk.count);
      const receiving = decodeChunk(kept.columns, kept.count);
      const merged = moving === 'incoming' ? mergeByTime(receiving, moved) : mergeByTime(moved, receiving);
      this.#writeMerged(to, chunk.bucket, merged);
      both += chunk.count + kept.count - merged.time.length;
    }
    this.#db
      .prepare(
        `DELETE FROM candle_chunks WHERE series_id = ? AND bucket IN
         (SELECT bucket FROM candle_chunks WHERE series_id = ?)`,
      )
      .run(from, to);
    // The rest are spans of time only one side has: they change owner without being rewritten.
    this.#db.prepare('UPDATE candle_chunks SET series_id = ? WHERE series_id = ?').run(to, from);
    return both;
  }

  dropStaging(stagingId: number): void {
    this.#db.transaction(() => {
      this.#db.prepare('DELETE FROM candle_chunks WHERE series_id = ?').run(stagingId);
      this.#db.prepare(`DELETE FROM series WHERE id = ? AND symbol LIKE '${stagingPrefix}%'`).run(stagingId);
    })();
  }

  /**
   * Housekeeping at start: staging series left by an import that died with its process (older
   * than a day, so an import running in another process is left alone), and bars no read can
   * return (times outside 1970–2100, stored by versions before the parser refused them), which
   * would otherwise be counted by listSeries yet never shown.
   */
  sweep(now = Date.now()): void {
    const stale = this.#db
      .prepare(`SELECT id, symbol FROM series WHERE symbol LIKE '${stagingPrefix}%'`)
      .all() as Array<{ id: number; symbol: string }>;
    for (const { id, symbol } of stale) {
      const startedAt = Number(symbol.slice(stagingPrefix.length).split('-')[0]);
      if (!(now - startedAt < stagingMaxAgeMs)) this.dropStaging(id);
    }
    const unreadable = this.#db
      .prepare(
        `SELECT series_id AS seriesId, bucket, count, columns FROM candle_chunks
         WHERE NOT (first_time >= ? AND last_time <= ?)`,
      )
      .all(earliestTime, latestTime) as Array<ChunkRow & { seriesId: number }>;
    if (unreadable.length === 0) return;
    this.#db.transaction(() => {
      for (const chunk of unreadable) {
        const bars = decodeChunk(chunk.columns, chunk.count);
        let kept = 0;
        for (let i = 0; i < bars.time.length; i++) {
          if (bars.time[i]! >= earliestTime && bars.time[i]! <= latestTime) {
            for (const field of candleFields) bars[field][kept] = bars[field][i]!;
            kept++;
          }
        }
        this.#db
          .prepare('DELETE FROM candle_chunks WHERE series_id = ? AND bucket = ?')
          .run(chunk.seriesId, chunk.bucket);
        if (kept > 0)
          this.#writeMerged(chunk.seriesId, Math.floor(chunk.bucket), sliceCandles(bars, 0, kept));
      }
    })();
  }

  /**
   * Stores bars (sorted by time, unique times) in one transaction: all or nothing. A bar already
   * stored at the same time is replaced, so importing a file twice leaves one copy.
   * Returns how many bars were new.
   */
  upsert(symbol: string, timeframe: Timeframe, candles: CandleColumns, length = candles.time.length): number {
    return this.#db.transaction(() =>
      this.#upsertInto(this.#seriesIdFor(symbol, timeframe, true)!, timeframe, candles, length),
    )();
  }

  #upsertInto(seriesId: number, timeframe: Timeframe, candles: CandleColumns, length: number): number {
    // The parser refuses such times with the line; this guards every other writer, so the store
    // never holds a bar that read() cannot return.
    for (let i = 0; i < length; i++) {
      const time = candles.time[i]!;
      if (!(time >= earliestTime && time <= latestTime)) {
        throw new AutobotError('invalid_input', `bar ${i}: time ${time} is outside 1970-01-01 … 2100-01-01`, {
          issues: [{ path: 'time', message: `time ${time} is outside 1970-01-01 … 2100-01-01` }],
        });
      }
    }
    const span = timeframeSeconds(timeframe) * barsPerBucket;
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
      this.#writeMerged(seriesId, bucket, merged);
      inserted += merged.time.length - (existing?.count ?? 0);
      start = end;
    }
    return inserted;
  }

  #writeMerged(seriesId: number, bucket: number, merged: CandleColumns): void {
    const count = merged.time.length;
    this.#writeChunk.run(
      seriesId,
      bucket,
      count,
      merged.time[0]!,
      merged.time[count - 1]!,
      encodeChunk(merged, 0, count),
    );
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
    return this.#db
      .prepare(
        `SELECT coalesce(sum(c.count), 0) FROM candle_chunks c JOIN series s ON s.id = c.series_id
         WHERE s.symbol NOT LIKE '${stagingPrefix}%'`,
      )
      .pluck()
      .get() as number;
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
