// Every timeframe from one import: the coarser timeframes a chart zooms out to and a backtest may
// run on are kept equal to resampling the imported bars, through later overlapping imports too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeframes, type Timeframe } from '../../core/contract/calls.ts';
import { canDerive, resample } from '../../core/data/resample.ts';
import { allocateCandleColumns, type CandleColumns } from '../../core/storage/candle-columns.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase } from '../../core/storage/database.ts';

const monday = Date.UTC(2024, 0, 1) / 1000;

function minutes(count: number, start = monday, step = 1, level = 100): CandleColumns {
  const candles = allocateCandleColumns(count);
  for (let i = 0; i < count; i++) {
    const price = level + Math.sin(i / 50) * 5 + (i % 7) / 8;
    candles.time[i] = start + i * step * 60;
    candles.open[i] = price;
    candles.high[i] = price + 0.5;
    candles.low[i] = price - 0.5;
    candles.close[i] = price + 0.125;
    candles.volume[i] = (i % 13) + 1;
  }
  return candles;
}

function rows(candles: CandleColumns) {
  return Array.from(candles.time, (time, i) => [
    time,
    candles.open[i],
    candles.high[i],
    candles.low[i],
    candles.close[i],
    candles.volume[i],
  ]);
}

const derivedFromMinutes = timeframes.filter((tf) => canDerive('1m', tf));

describe('derived timeframes', () => {
  it('one 1-minute import makes every coarser timeframe, each equal to resampling the minutes', () => {
    const db = openDatabase(':memory:');
    const repository = new CandleRepository(db);
    repository.upsert('BTCUSD', '1m', minutes(3 * 24 * 60));
    const listed = repository.listSeries();
    expect(listed.map((series) => [series.timeframe, series.derivedFrom])).toEqual([
      ['1m', null],
      ...derivedFromMinutes.map((tf) => [tf, '1m']),
    ]);
    const stored = repository.read('BTCUSD', '1m');
    for (const tf of derivedFromMinutes) {
      expect(rows(repository.read('BTCUSD', tf))).toEqual(rows(resample(stored, tf)));
    }
    expect(repository.read('BTCUSD', '1d').time.length).toBe(3);
    db.close();
  });

  it('property: later overlapping imports keep every derived timeframe equal to resampling the minutes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            startMinute: fc.integer({ min: 0, max: 20_000 }),
            count: fc.integer({ min: 1, max: 3000 }),
            step: fc.integer({ min: 1, max: 4 }),
            level: fc.integer({ min: 1, max: 1000 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (imports) => {
          const db = openDatabase(':memory:');
          const repository = new CandleRepository(db);
          for (const write of imports) {
            repository.upsert(
              'X',
              '1m',
              minutes(write.count, monday + write.startMinute * 60, write.step, write.level),
            );
          }
          const stored = repository.read('X', '1m');
          for (const tf of derivedFromMinutes) {
            expect(rows(repository.read('X', tf))).toEqual(rows(resample(stored, tf)));
          }
          db.close();
        },
      ),
      { numRuns: 40 },
    );
  });

  it("an import into a derived timeframe replaces the derived bars and becomes the user's own", () => {
    const db = openDatabase(':memory:');
    const repository = new CandleRepository(db);
    repository.upsert('GOOG', '1m', minutes(600));
    const daily = minutes(2, monday, 24 * 60, 500);
    repository.upsert('GOOG', '1d', daily);
    expect(rows(repository.read('GOOG', '1d'))).toEqual(rows(daily));
    expect(repository.timeframesOf('GOOG').find((entry) => entry.timeframe === '1d')?.derivedFrom).toBeNull();
    // A later minute import no longer touches the user's daily bars.
    repository.upsert('GOOG', '1m', minutes(600, monday + 600 * 60));
    expect(rows(repository.read('GOOG', '1d'))).toEqual(rows(daily));
    db.close();
  });
});

describe('windowed reads', () => {
  const db = openDatabase(':memory:');
  const repository = new CandleRepository(db);
  const total = 60 * 24 * 30;
  repository.upsert('EURUSD', '1m', minutes(total));
  const first = monday;
  const last = monday + (total - 1) * 60;

  it('counts the bars of a range without reading them', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Timeframe>(...['1m' as const, ...derivedFromMinutes]),
        fc.integer({ min: first - 10_000, max: last + 10_000 }),
        fc.integer({ min: 0, max: 40 * 86_400 }),
        (tf, from, width) => {
          expect(repository.countInRange('EURUSD', tf, from, from + width)).toBe(
            repository.read('EURUSD', tf, from, from + width).time.length,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('picks the finest stored timeframe whose bars in the range fit the screen', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: first, max: last }),
        fc.integer({ min: 60, max: 31 * 86_400 }),
        fc.integer({ min: 50, max: 5000 }),
        (from, width, maxBars) => {
          const window = repository.readWindow('EURUSD', { from, to: from + width, maxBars })!;
          const length = window.candles.time.length;
          expect(length).toBeLessThanOrEqual(maxBars);
          const finer = ['1m' as Timeframe, ...derivedFromMinutes].filter(
            (tf) => timeframes.indexOf(tf) < timeframes.indexOf(window.timeframe),
          );
          for (const tf of finer) {
            expect(repository.countInRange('EURUSD', tf, from, from + width)).toBeGreaterThan(maxBars);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('zoomed in shows 1-minute bars, zoomed out to the whole month shows coarser ones', () => {
    const zoomedIn = repository.readWindow('EURUSD', { from: first, to: first + 3 * 3600, maxBars: 2000 })!;
    expect(zoomedIn.timeframe).toBe('1m');
    expect(zoomedIn.derivedFrom).toBeNull();
    expect(zoomedIn.candles.time.length).toBe(181);
    const whole = repository.readWindow('EURUSD', { maxBars: 2000 })!;
    expect(whole.timeframe).toBe('30m');
    expect(whole.derivedFrom).toBe('1m');
    expect(whole.candles.time[0]).toBe(first);
    const coarsestOnly = repository.readWindow('EURUSD', { maxBars: 2, finest: '1w' })!;
    expect(coarsestOnly.timeframe).toBe('1M');
    expect(repository.readWindow('NOPE', { maxBars: 10 })).toBeNull();
  });
});
