// An import stages its bars in a hidden series and commits them in one transaction, moving
// whichever side is smaller. Whatever the sizes, the result must read like the plain upsert: the
// file's bar wins at a shared time, nothing else changes, and the hidden series never shows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCandleColumns, CandleRepository } from '../../core/storage/candle-repository.ts';
import { detectCandleDecimals } from '../../core/domain/detect-precision.ts';
import { openDatabase } from '../../core/storage/database.ts';

function bars(start: number, length: number, step: number, value: number) {
  const candles = allocateCandleColumns(length);
  for (let i = 0; i < length; i++) {
    candles.time[i] = (start + i * step) * 60;
    candles.open[i] = candles.high[i] = candles.low[i] = candles.close[i] = value + i / 1e4;
  }
  return candles;
}

describe('staged imports', () => {
  it('property: committing a staging series equals upserting its bars, in either direction', () => {
    fc.assert(
      fc.property(
        fc.option(
          fc.tuple(
            fc.integer({ min: 0, max: 40_000 }),
            fc.integer({ min: 1, max: 9000 }),
            fc.integer({ min: 1, max: 3 }),
          ),
        ),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 1, max: 9000 })), {
          minLength: 1,
          maxLength: 3,
        }),
        (stored, batches) => {
          const db = openDatabase(':memory:');
          const repository = new CandleRepository(db);
          const expected = new Map<number, number>();
          // The series keeps the most decimals any bar written to either side carried.
          let decimals = 2;
          if (stored) {
            const candles = bars(stored[0], stored[1], stored[2], 1);
            decimals = Math.max(decimals, detectCandleDecimals(candles));
            repository.upsert('S', '1m', candles);
            candles.time.forEach((t, i) => expected.set(t, candles.close[i]!));
          }
          const before = expected.size;
          const staging = repository.createStaging('1m');
          const staged = new Set<number>();
          batches.forEach(([start, length], index) => {
            const candles = bars(start, length, 1, 10 + index);
            repository.stage(staging, '1m', candles, length);
            decimals = Math.max(decimals, detectCandleDecimals(candles));
            candles.time.forEach((t, i) => {
              expected.set(t, candles.close[i]!);
              staged.add(t);
            });
          });
          const imported = () => repository.listSeries().filter((s) => s.derivedFrom === null);
          expect(imported().map((s) => s.symbol)).toEqual(stored ? ['S'] : []);

          const inserted = repository.commitStaging(staging, 'S', '1m');
          expect(inserted).toBe(expected.size - before);
          const times = [...expected.keys()].sort((a, b) => a - b);
          const read = repository.read('S', '1m');
          expect(Array.from(read.time)).toEqual(times);
          expect(Array.from(read.close)).toEqual(times.map((t) => expected.get(t)));
          expect(imported()).toEqual([
            {
              symbol: 'S',
              timeframe: '1m',
              count: times.length,
              first: times[0],
              last: times.at(-1),
              derivedFrom: null,
              priceDecimals: decimals,
            },
          ]);
          expect(staged.size).toBeGreaterThan(0);
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('drops a staging series without touching the real one, and sweeps stale or unreadable data at start', () => {
    const db = openDatabase(':memory:');
    const repository = new CandleRepository(db);
    repository.upsert('S', '1m', bars(0, 10, 1, 1));
    const staging = repository.createStaging('1m');
    repository.stage(staging, '1m', bars(5, 10, 1, 2), 10);
    repository.dropStaging(staging);
    expect(repository.totalCount()).toBe(10);

    // A staging series left by a process that died more than a day ago.
    const orphan = repository.createStaging('1m');
    repository.stage(orphan, '1m', bars(100, 10, 1, 3), 10);
    // A bar no read can return, as versions before the range check could store it.
    db.prepare('INSERT INTO series (symbol, timeframe) VALUES (?, ?)').run('INF', '1m');
    const broken = bars(0, 2, 1, 1);
    broken.time[1] = Infinity;
    const packed = new Float64Array(12);
    (['time', 'open', 'high', 'low', 'close', 'volume'] as const).forEach((field, column) =>
      packed.set(broken[field], column * 2),
    );
    db.prepare(
      'INSERT INTO candle_chunks VALUES ((SELECT id FROM series WHERE symbol = ?), 0, 2, 0, ?, ?)',
    ).run('INF', Infinity, Buffer.from(packed.buffer));
    repository.sweep(Date.now() + 2 * 24 * 3600 * 1000);
    expect(db.prepare("SELECT count(*) FROM series WHERE symbol LIKE '~%'").pluck().get()).toBe(0);
    expect(repository.listSeries().find((s) => s.symbol === 'INF')).toMatchObject({ count: 1 });
    expect(repository.read('INF', '1m').time.length).toBe(1);
    db.close();
  });
});
