import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../core/storage/database.ts';
import { allocateCandleColumns, CandleRepository } from '../../core/storage/candle-repository.ts';
import { migrations } from '../../core/storage/migrations.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()));

function tempDbFile(): string {
  const temp = makeTempDir();
  temps.push(temp.cleanup);
  return `${temp.dir}/autobot.db`;
}

function syntheticCandles(length: number, start = 1_700_000_000) {
  const candles = allocateCandleColumns(length);
  for (let i = 0; i < length; i++) {
    const price = 100 + Math.sin(i / 10) * 5;
    candles.time[i] = start + i * 60;
    candles.open[i] = price;
    candles.high[i] = price + 1;
    candles.low[i] = price - 1;
    candles.close[i] = price + 0.25;
    candles.volume[i] = i;
  }
  return candles;
}

describe('the SQLite journal', () => {
  it('opens in WAL mode at the latest schema version, and reopening does not migrate twice', () => {
    const file = tempDbFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    db.close();
    const again = openDatabase(file);
    expect(schemaVersion(again)).toBe(migrations.at(-1)!.version);
    again.close();
  });

  it('refuses a database from a newer AUTOBOT instead of damaging it', () => {
    const file = tempDbFile();
    const raw = new BetterSqlite3(file);
    raw.pragma('user_version = 999');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/schema version 999, newer than this AUTOBOT understands/);
  });

  it('rolls back a migration that fails half-way, leaving the version unchanged', () => {
    const file = tempDbFile();
    const broken = [
      ...migrations,
      { version: 99, name: 'broken', sql: 'CREATE TABLE ok_table (x); CREATE TABLE candle_chunks (x);' },
    ];
    expect(() => openDatabase(file, broken)).toThrow(/already exists/);
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ok_table'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('CandleRepository', () => {
  it('reads back exactly what it stored, as Float64Array columns in time order, across batch boundaries', () => {
    const db = openDatabase(tempDbFile());
    const repository = new CandleRepository(db);
    const candles = syntheticCandles(1000); // not a multiple of the insert batch size
    expect(repository.upsert('BTC/USDT', '1m', candles)).toBe(1000);
    const stored = repository.read('BTC/USDT', '1m');
    for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(stored[field]).toBeInstanceOf(Float64Array);
      expect(Array.from(stored[field])).toEqual(Array.from(candles[field]));
    }
    db.close();
  });

  it('reads a time range inclusively and keeps series apart', () => {
    const db = openDatabase(tempDbFile());
    const repository = new CandleRepository(db);
    repository.upsert('A', '1m', syntheticCandles(100));
    repository.upsert('A', '5m', syntheticCandles(10));
    repository.upsert('B', '1m', syntheticCandles(50));
    const range = repository.read('A', '1m', 1_700_000_000 + 10 * 60, 1_700_000_000 + 19 * 60);
    expect(range.time.length).toBe(10);
    expect(range.time[0]).toBe(1_700_000_000 + 600);
    expect(repository.listSeries().filter((series) => series.derivedFrom === null)).toEqual([
      {
        symbol: 'A',
        timeframe: '1m',
        count: 100,
        first: 1_700_000_000,
        last: 1_700_000_000 + 99 * 60,
        derivedFrom: null,
        // syntheticCandles' prices are computed: more decimals than any quote, so the cap.
        priceDecimals: 8,
      },
      {
        symbol: 'A',
        timeframe: '5m',
        count: 10,
        first: 1_700_000_000,
        last: 1_700_000_000 + 9 * 60,
        derivedFrom: null,
        priceDecimals: 8,
      },
      {
        symbol: 'B',
        timeframe: '1m',
        count: 50,
        first: 1_700_000_000,
        last: 1_700_000_000 + 49 * 60,
        derivedFrom: null,
        priceDecimals: 8,
      },
    ]);
    expect(repository.read('NONE', '1m').time.length).toBe(0);
    db.close();
  });

  it('replaces an overlapping bar instead of duplicating it', () => {
    const db = openDatabase(tempDbFile());
    const repository = new CandleRepository(db);
    repository.upsert('A', '1m', syntheticCandles(100));
    const overlap = syntheticCandles(100, 1_700_000_000 + 50 * 60);
    overlap.close.fill(42);
    expect(repository.upsert('A', '1m', overlap)).toBe(50);
    const stored = repository.read('A', '1m');
    expect(stored.time.length).toBe(150);
    expect(stored.close[49]).not.toBe(42);
    expect(stored.close[50]).toBe(42);
    db.close();
  });

  it('keeps committed candles after the process is gone (the file is the journal of record)', () => {
    const file = tempDbFile();
    const db = openDatabase(file);
    new CandleRepository(db).upsert('A', '1d', syntheticCandles(7));
    // No close(): simulate a crash by opening a second connection while the first still holds the WAL.
    const other = openDatabase(file);
    expect(new CandleRepository(other).count('A', '1d')).toBe(7);
    other.close();
    db.close();
  });
});

describe('CandleRepository chunking', () => {
  it('property: any sequence of overlapping upserts reads back like a map from time to the last bar written', async () => {
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 20_000 }),
            fc.integer({ min: 1, max: 3000 }),
            fc.integer({ min: 1, max: 4 }),
          ),
          { minLength: 1, maxLength: 5 },
        ),
        (writes) => {
          const db = openDatabase(':memory:');
          const repository = new CandleRepository(db);
          const expected = new Map<number, number>();
          writes.forEach(([startBar, length, step], writeIndex) => {
            const candles = allocateCandleColumns(length);
            for (let i = 0; i < length; i++) {
              const time = (startBar + i * step) * 60;
              candles.time[i] = time;
              candles.open[i] = candles.high[i] = candles.low[i] = candles.close[i] = writeIndex + i / 1e4;
              expected.set(time, writeIndex + i / 1e4);
            }
            repository.upsert('P', '1m', candles);
          });
          const times = [...expected.keys()].sort((a, b) => a - b);
          const stored = repository.read('P', '1m');
          expect(Array.from(stored.time)).toEqual(times);
          expect(Array.from(stored.close)).toEqual(times.map((t) => expected.get(t)));
          const from = times[Math.floor(times.length / 3)]!;
          const to = times[Math.floor((2 * times.length) / 3)]!;
          expect(Array.from(repository.read('P', '1m', from, to).time)).toEqual(
            times.filter((t) => t >= from && t <= to),
          );
          expect(repository.listSeries().find((series) => series.timeframe === '1m')).toMatchObject({
            count: times.length,
            first: times[0],
            last: times.at(-1),
          });
          db.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});
