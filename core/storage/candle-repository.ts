// Candles in and out of the journal. Bars are stored in chunks of one fixed time span each
// (see migrations.ts); this class is the only code that knows that.
import type { Statement } from 'better-sqlite3';
import { timeframes, type Timeframe } from '../domain/timeframe.ts';
import { bucketStart, canDerive, nextBucketStart, resample } from '../data/resample.ts';
import type { Database } from './database.ts';
import { allocateCandleColumns, candleFields, sliceCandles, type CandleColumns } from './candle-columns.ts';
import { countChunkInRange, decodeChunk, decodeChunkInto, encodeChunk, lowerBound } from './candle-chunk.ts';
import { timeframeSeconds } from './timeframe-seconds.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import { detectCandleDecimals } from '../domain/detect-precision.ts';

export { allocateCandleColumns, type CandleColumns } from './candle-columns.ts';

/** A window of one symbol's bars at the finest stored resolution that fits the screen. */
export interface CandleWindow {
  timeframe: Timeframe;
  derivedFrom: Timeframe | null;
  /** Bars in [from, to] at this timeframe; when even the coarsest holds more than asked, the last `maxBars`. */
  candles: CandleColumns;
  /** True when the coarsest timeframe held more than maxBars bars in the range and the earliest were left out. */
  truncated: boolean;
  /** Decimals the series' prices carry (EURUSD 5, shares 2): what the chart's axis shows. */
  priceDecimals: number;
}

export interface SeriesSummary {
  symbol: string;
  timeframe: Timeframe;
  count: number;
  first: number | null;
  last: number | null;
  /** The timeframe these bars were resampled from; null for bars a user imported or downloaded. */
  derivedFrom: Timeframe | null;
  /** Decimals the series' prices carry, detected when its bars were stored (EURUSD 5, shares 2). */
  priceDecimals: number;
}

interface SeriesRow {
  id: number;
  derived_from: Timeframe | null;
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
  readonly #createSeries: Statement<[string, string, string | null]>;
  readonly #markImported: Statement<[number]>;
  readonly #deleteChunks: Statement<[number]>;
  readonly #seriesOfSymbol: Statement<[string]>;
  readonly #chunk: Statement<[number, number]>;
  readonly #writeChunk: Statement<[number, number, number, number, number, Buffer]>;
  readonly #chunksInRange: Statement<[number, number, number, number, number]>;
  readonly #chunkBoundsInRange: Statement<[number, number, number, number, number]>;
  readonly #series: Statement<[]>;

  constructor(db: Database) {
    this.#db = db;
    this.#seriesId = db.prepare('SELECT id, derived_from FROM series WHERE symbol = ? AND timeframe = ?');
    this.#createSeries = db
      .prepare('INSERT INTO series (symbol, timeframe, derived_from) VALUES (?, ?, ?) RETURNING id')
      .pluck();
    this.#markImported = db.prepare(
      'UPDATE series SET derived_from = NULL, price_decimals = NULL WHERE id = ?',
    );
    this.#deleteChunks = db.prepare('DELETE FROM candle_chunks WHERE series_id = ?');
    this.#seriesOfSymbol = db.prepare('SELECT timeframe, derived_from FROM series WHERE symbol = ?');
    this.#chunk = db.prepare(
      'SELECT bucket, count, columns FROM candle_chunks WHERE series_id = ? AND bucket = ?',
    );
    this.#writeChunk = db.prepare(
      `INSERT OR REPLACE INTO candle_chunks (series_id, bucket, count, first_time, last_time, columns)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // The bucket range comes from the time range (bucket = floor(time / span)), so SQLite walks the
    // primary key (series_id, bucket) straight to the chunks it needs instead of every chunk.
    this.#chunksInRange = db.prepare(
      `SELECT bucket, count, columns FROM candle_chunks
       WHERE series_id = ? AND bucket BETWEEN ? AND ? AND last_time >= ? AND first_time <= ?
       ORDER BY bucket`,
    );
    this.#chunkBoundsInRange = db.prepare(
      `SELECT bucket, count, first_time, last_time FROM candle_chunks
       WHERE series_id = ? AND bucket BETWEEN ? AND ? AND last_time >= ? AND first_time <= ?`,
    );
    this.#series = db.prepare(`
      SELECT s.symbol, s.timeframe, sum(c.count) AS count, min(c.first_time) AS first, max(c.last_time) AS last,
             s.derived_from AS derivedFrom, s.price_decimals AS priceDecimals
      FROM series s JOIN candle_chunks c ON c.series_id = s.id
      WHERE s.symbol NOT LIKE '${stagingPrefix}%'
      GROUP BY s.id ORDER BY s.symbol`);
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
      // The timeframes resampled from it go with it: nothing is left to keep them true.
      const derived = this.#db
        .prepare('SELECT id FROM series WHERE symbol = ? AND derived_from = ?')
        .pluck()
        .all(symbol, timeframe) as number[];
      for (const id of derived) {
        this.#db.prepare('DELETE FROM candle_chunks WHERE series_id = ?').run(id);
        this.#db.prepare('DELETE FROM series WHERE id = ?').run(id);
      }
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
    return this.#createSeries.get(name, timeframe, null) as number;
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
      const span = this.#db
        .prepare(
          'SELECT min(first_time) AS first, max(last_time) AS last FROM candle_chunks WHERE series_id = ?',
        )
        .get(stagingId) as { first: number | null; last: number | null };
      const refresh = () => {
        if (span.first !== null && span.last !== null)
          this.#refreshDerived(symbol, timeframe, span.first, span.last);
      };
      let existing = this.#seriesId.get(symbol, timeframe) as SeriesRow | undefined;
      // Imported bars replace derived ones, as in upsert: a derived bar never mixes with an imported one.
      if (existing !== undefined && existing.derived_from !== null) {
        this.#deleteChunks.run(existing.id);
        this.#db.prepare('DELETE FROM series WHERE id = ?').run(existing.id);
        existing = undefined;
      }
      const targetId = existing?.id;
      if (targetId === undefined) {
        this.#db.prepare('UPDATE series SET symbol = ? WHERE id = ?').run(symbol, stagingId);
        refresh();
        return staged.bars;
      }
      const target = countOf.get(targetId) as { chunks: number; bars: number };
      // On a bar stored on both sides, the file's (staged) bar wins whichever side is moved.
      const replaced =
        staged.chunks <= target.chunks
          ? this.#moveChunks(stagingId, targetId, 'incoming')
          : this.#moveChunks(targetId, stagingId, 'stored');
      this.#mergeDecimals(staged.chunks <= target.chunks ? targetId : stagingId, targetId, stagingId);
      if (staged.chunks > target.chunks) {
        this.#db.prepare('DELETE FROM series WHERE id = ?').run(targetId);
        this.#db.prepare('UPDATE series SET symbol = ? WHERE id = ?').run(symbol, stagingId);
      } else {
        this.#db.prepare('DELETE FROM series WHERE id = ?').run(stagingId);
      }
      refresh();
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
   * Stores bars a user imported or downloaded (sorted by time, unique times) in one transaction: all
   * or nothing. A bar already stored at the same time is replaced, so importing a file twice leaves
   * one copy. Every coarser timeframe derived from this one is rebuilt over the span the bars
   * touched, in the same transaction, so the chart and backtests never see them disagree.
   * Returns how many bars were new.
   */
  upsert(symbol: string, timeframe: Timeframe, candles: CandleColumns, length = candles.time.length): number {
    if (length === 0) return 0;
    return this.#db.transaction(() => {
      const series = this.#seriesFor(symbol, timeframe, null);
      // Bars imported into a timeframe that was derived replace the derived bars and make the series
      // the user's own from now on: a derived bar never mixes with an imported one.
      if (series.derived_from !== null) {
        this.#deleteChunks.run(series.id);
        this.#markImported.run(series.id);
      }
      const inserted = this.#upsertInto(series.id, timeframe, candles, length);
      this.#refreshDerived(symbol, timeframe, candles.time[0]!, candles.time[length - 1]!);
      return inserted;
    })();
  }

  #upsertInto(
    seriesId: number,
    timeframe: Timeframe,
    candles: CandleColumns,
    length: number,
    detect = true,
  ): number {
    if (detect) this.#raiseDecimals(seriesId, candles, length);
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

  /**
   * Rebuilds the derived timeframes of `symbol` from `source` over the coarse bars that hold
   * [first, last]. A derived series is created for every timeframe `source` can make that the
   * symbol does not hold yet; one imported by the user, or derived from another source, is left
   * as it is.
   */
  #refreshDerived(symbol: string, source: Timeframe, first: number, last: number): void {
    const existing = new Map(
      (
        this.#seriesOfSymbol.all(symbol) as Array<{ timeframe: Timeframe; derived_from: Timeframe | null }>
      ).map((row) => [row.timeframe, row.derived_from]),
    );
    const targets = timeframes.filter(
      (target) => canDerive(source, target) && (!existing.has(target) || existing.get(target) === source),
    );
    if (targets.length === 0) return;
    const ranges = targets.map((target) => ({
      target,
      from: bucketStart(first, target),
      to: nextBucketStart(bucketStart(last, target), target) - 1,
    }));
    // One read of the source covering every target's span. Targets are built finest first, each
    // from the coarsest timeframe already built that divides it (1m → 5m → 15m → … → 1d → 1w, 1M):
    // equal to resampling the source directly (tests/unit/resample.property.test.ts) and touching
    // the million source bars once instead of once per target. The span starts and ends on a
    // boundary of every target that divides a day, so those are built whole and sliced; weeks and
    // months, whose boundaries do not nest, resample only their own slice.
    const base = this.read(
      symbol,
      source,
      Math.min(...ranges.map((range) => range.from)),
      Math.max(...ranges.map((range) => range.to)),
    );
    const built: Array<{ timeframe: Timeframe; bars: CandleColumns }> = [{ timeframe: source, bars: base }];
    for (const range of ranges) {
      const from = built.findLast(
        (entry) => entry.timeframe === source || canDerive(entry.timeframe, range.target),
      )!;
      let coarse: CandleColumns;
      if (day % timeframeSeconds(range.target) === 0 && range.target !== '1M') {
        const whole = resample(from.bars, range.target);
        built.push({ timeframe: range.target, bars: whole });
        coarse = sliceByTime(whole, range.from, range.to);
      } else {
        coarse = resample(sliceByTime(from.bars, range.from, range.to), range.target);
      }
      // A week can open before the epoch (Monday 1969-12-29 holds 1970's first days); the store
      // keeps only bars from 1970 on, so that one partial bar is left out.
      if (coarse.time.length > 0 && coarse.time[0]! < earliestTime)
        coarse = sliceByTime(coarse, earliestTime, latestTime);
      if (coarse.time.length === 0) continue;
      const series = this.#seriesFor(symbol, range.target, source);
      // Resampled bars carry the source's prices: the derived series shows the source's decimals.
      this.#upsertInto(series.id, range.target, coarse, coarse.time.length, false);
      this.#db
        .prepare(
          `UPDATE series SET price_decimals =
             (SELECT price_decimals FROM series WHERE symbol = ? AND timeframe = ?) WHERE id = ?`,
        )
        .run(symbol, source, series.id);
    }
  }

  count(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): number {
    return this.read(symbol, timeframe, from, to).time.length;
  }

  /** Bars of one series with from <= time <= to, in time order. */
  read(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): CandleColumns {
    // One read transaction: every chunk comes from the same snapshot.
    return this.#db.transaction(() => {
      const series = this.#seriesId.get(symbol, timeframe) as SeriesRow | undefined;
      if (series === undefined) return allocateCandleColumns(0);
      const span = timeframeSeconds(timeframe) * barsPerBucket;
      const chunks = this.#chunksInRange.all(
        series.id,
        Math.floor(Math.max(from, 0) / span),
        Math.floor(Math.min(to, farFuture) / span),
        from,
        to,
      ) as ChunkRow[];
      const capacity = chunks.reduce((sum, chunk) => sum + chunk.count, 0);
      const columns = allocateCandleColumns(capacity);
      let length = 0;
      for (const chunk of chunks)
        length += decodeChunkInto(chunk.columns, chunk.count, columns, length, from, to);
      return length === capacity ? columns : sliceCandles(columns, 0, length);
    })();
  }

  /** Every series, by symbol and then from the finest timeframe to the coarsest. */
  listSeries(): SeriesSummary[] {
    const rows = (
      this.#series.all() as Array<Omit<SeriesSummary, 'priceDecimals'> & { priceDecimals: number | null }>
    ).map((row) => ({
      ...row,
      priceDecimals: row.priceDecimals ?? this.priceDecimals(row.symbol, row.timeframe),
    }));
    return rows.sort(
      (a, b) =>
        (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) ||
        timeframes.indexOf(a.timeframe) - timeframes.indexOf(b.timeframe),
    );
  }

  /** Bars the user imported (derived timeframes are copies of them, not more data). */
  totalCount(): number {
    return this.#db
      .prepare(
        `SELECT coalesce(sum(c.count), 0) FROM candle_chunks c JOIN series s ON s.id = c.series_id
         WHERE s.symbol NOT LIKE '${stagingPrefix}%' AND s.derived_from IS NULL`,
      )
      .pluck()
      .get() as number;
  }

  /**
   * How many bars of one series lie in [from, to]: from the chunks' counts and time bounds, decoding
   * only a chunk that straddles an end of the range (at most two), so asking costs no blob reads.
   */
  countInRange(symbol: string, timeframe: Timeframe, from = 0, to = farFuture): number {
    const series = this.#seriesId.get(symbol, timeframe) as SeriesRow | undefined;
    if (series === undefined) return 0;
    const span = timeframeSeconds(timeframe) * barsPerBucket;
    const chunks = this.#chunkBoundsInRange.all(
      series.id,
      Math.floor(Math.max(from, 0) / span),
      Math.floor(Math.min(to, farFuture) / span),
      from,
      to,
    ) as Array<{ bucket: number; count: number; first_time: number; last_time: number }>;
    let total = 0;
    for (const chunk of chunks) {
      if (chunk.first_time >= from && chunk.last_time <= to) {
        total += chunk.count;
        continue;
      }
      const row = this.#chunk.get(series.id, chunk.bucket) as ChunkRow;
      total += countChunkInRange(row.columns, row.count, from, to);
    }
    return total;
  }

  /**
   * The bars of `symbol` in [from, to] at the finest stored timeframe (no finer than `finest`) that
   * has at most `maxBars` of them: what a chart of a few thousand pixels can show. Zooming out
   * moves to coarser stored timeframes, zooming in back to finer ones. With `exact`, only that
   * timeframe (the latest `maxBars` bars of the range when it holds more).
   */
  readWindow(
    symbol: string,
    options: { from?: number; to?: number; maxBars: number; finest?: Timeframe; exact?: Timeframe },
  ): CandleWindow | null {
    const from = options.from ?? 0;
    const to = options.to ?? farFuture;
    const { finest, exact } = options;
    return this.#db.transaction(() => {
      const stored = this.timeframesOf(symbol).filter((entry) =>
        exact
          ? entry.timeframe === exact
          : !finest || timeframes.indexOf(entry.timeframe) >= timeframes.indexOf(finest),
      );
      if (stored.length === 0) return null;
      const fits = stored.find(
        (entry) => this.countInRange(symbol, entry.timeframe, from, to) <= options.maxBars,
      );
      const chosen = fits ?? stored.at(-1)!;
      const candles = this.read(symbol, chosen.timeframe, from, to);
      const length = candles.time.length;
      const truncated = length > options.maxBars;
      return {
        timeframe: chosen.timeframe,
        derivedFrom: chosen.derivedFrom,
        candles: truncated ? sliceCandles(candles, length - options.maxBars, length) : candles,
        truncated,
        priceDecimals: this.priceDecimals(symbol, chosen.timeframe),
      };
    })();
  }

  /** The timeframes stored for `symbol`, each with the timeframe it was derived from (null: imported). */
  timeframesOf(symbol: string): Array<{ timeframe: Timeframe; derivedFrom: Timeframe | null }> {
    return (
      this.#seriesOfSymbol.all(symbol) as Array<{ timeframe: Timeframe; derived_from: Timeframe | null }>
    )
      .map((row) => ({ timeframe: row.timeframe, derivedFrom: row.derived_from }))
      .sort((a, b) => timeframes.indexOf(a.timeframe) - timeframes.indexOf(b.timeframe));
  }

  /**
   * Decimals the prices of a series carry (2 when it does not exist). Series stored before schema
   * version 9 have none recorded: their bars are read once, detected and the answer kept.
   */
  priceDecimals(symbol: string, timeframe: Timeframe): number {
    const row = this.#db
      .prepare('SELECT id, price_decimals AS decimals FROM series WHERE symbol = ? AND timeframe = ?')
      .get(symbol, timeframe) as { id: number; decimals: number | null } | undefined;
    if (row === undefined) return detectCandleDecimals(allocateCandleColumns(0));
    if (row.decimals !== null) return row.decimals;
    const decimals = detectCandleDecimals(this.read(symbol, timeframe));
    // A read-only connection (a worker's) answers without keeping it; the host's keeps it.
    if (!this.#db.readonly)
      this.#db.prepare('UPDATE series SET price_decimals = ? WHERE id = ?').run(decimals, row.id);
    return decimals;
  }

  /**
   * Raises a series' recorded decimals to those of bars being written. A series without a record
   * (stored before schema 9) that already holds bars keeps none, so its first use reads them all.
   */
  #raiseDecimals(seriesId: number, candles: CandleColumns, length: number): void {
    if (length === 0) return;
    const current = this.#db
      .prepare(
        `SELECT price_decimals AS decimals,
                EXISTS (SELECT 1 FROM candle_chunks WHERE series_id = series.id) AS held
         FROM series WHERE id = ?`,
      )
      .get(seriesId) as { decimals: number | null; held: number } | undefined;
    if (current === undefined || (current.decimals === null && current.held === 1)) return;
    const detected = detectCandleDecimals(sliceCandles(candles, 0, length), { min: current.decimals ?? 2 });
    if (detected !== current.decimals)
      this.#db.prepare('UPDATE series SET price_decimals = ? WHERE id = ?').run(detected, seriesId);
  }

  /** Records on `into` the decimals of two series being merged: the larger, or none if either has none. */
  #mergeDecimals(into: number, a: number, b: number): void {
    this.#db
      .prepare(
        `UPDATE series SET price_decimals = (
           SELECT CASE WHEN count(price_decimals) = 2 THEN max(price_decimals) END
           FROM series WHERE id IN (?, ?))
         WHERE id = ?`,
      )
      .run(a, b, into);
  }

  #seriesIdFor(symbol: string, timeframe: Timeframe, create: boolean): number | undefined {
    const existing = this.#seriesId.get(symbol, timeframe) as SeriesRow | undefined;
    if (existing !== undefined || !create) return existing?.id;
    return this.#seriesFor(symbol, timeframe, null).id;
  }

  #seriesFor(symbol: string, timeframe: Timeframe, derivedFrom: Timeframe | null): SeriesRow {
    const existing = this.#seriesId.get(symbol, timeframe) as SeriesRow | undefined;
    if (existing !== undefined) return existing;
    return {
      id: this.#createSeries.get(symbol, timeframe, derivedFrom) as number,
      derived_from: derivedFrom,
    };
  }
}

const day = 86_400;

/** The bars with from <= time <= to, as views. */
function sliceByTime(candles: CandleColumns, from: number, to: number): CandleColumns {
  return sliceCandles(candles, lowerBound(candles.time, from), lowerBound(candles.time, to + 1));
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
