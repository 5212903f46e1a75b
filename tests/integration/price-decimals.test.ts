// Prices at the instrument's decimals, end to end on real data: EURUSD imported from ../shared/data
// is recorded at 5 decimals (schema 9), candles.list, candles.window, backtest.run and optimize.run
// say so, derived timeframes inherit it, and a series stored before schema 9 gets its decimals on
// first use. Then the CLI: EURUSD trades print at 5 decimals and sizes without float noise.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../core/app/app.ts';
import type { CallResult } from '../../core/contract/result.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { migrations } from '../../core/storage/migrations.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const eurusd = sharedDataFile('EURUSD.csv');
const goog = sharedDataFile('GOOG.csv');
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const temp = makeTempDir('autobot-price-decimals-');
afterAll(() => temp.cleanup());

function value<T>(answer: CallResult): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

function openApp(dataDir: string): App {
  return createApp({ dataDir, host: 'test', keychainService: 'AUTOBOT-price-decimals-test' });
}

type Series = { symbol: string; timeframe: string; priceDecimals: number };
type Trade = { size: number; entryPrice: number; exitPrice: number };

describe.skipIf(eurusd === null || goog === null)(
  `price decimals per series (${sharedDataSkipReason})`,
  () => {
    it('EURUSD imports at 5 decimals and every call that shows its prices says so; GOOG at 2', async () => {
      const dataDir = path.join(temp.dir, 'imported');
      const app = openApp(dataDir);
      try {
        for (const [symbol, file] of [
          ['EURUSD', eurusd!],
          ['GOOG', goog!],
        ] as const) {
          const timeframe = symbol === 'EURUSD' ? '1h' : '1d';
          value(await app.dispatch('candles.import', { symbol, timeframe, csv: readFileSync(file, 'utf8') }));
        }
        const { series } = value<{ series: Series[] }>(await app.dispatch('candles.list', {}));
        const decimalsOf = (symbol: string, timeframe: string) =>
          series.find((s) => s.symbol === symbol && s.timeframe === timeframe)?.priceDecimals;
        expect(decimalsOf('EURUSD', '1h')).toBe(5);
        // Resampled from the hourly bars: the same prices, so the same decimals.
        expect(decimalsOf('EURUSD', '1d')).toBe(5);
        expect(decimalsOf('GOOG', '1d')).toBe(2);

        const window = value<{ priceDecimals: number }>(
          await app.dispatch('candles.window', { symbol: 'EURUSD', maxBars: 500 }),
        );
        expect(window.priceDecimals).toBe(5);

        const spec = {
          strategy: 'sma-cross',
          params: { fast: 10, slow: 30 },
          lotSize: 0.0001,
          sizing: { mode: 'fraction', fraction: 0.37 },
        };
        const { result } = value<{ result: { priceDecimals: number; trades: Trade[] } }>(
          await app.dispatch('backtest.run', {
            data: { source: 'stored', symbol: 'EURUSD', timeframe: '1h' },
            spec,
            save: false,
          }),
        );
        expect(result.priceDecimals).toBe(5);
        expect(result.trades.length).toBeGreaterThan(10);
        // Sizes are whole lots of 0.0001 as a decimal, not lots × 0.0001 with its float noise.
        for (const trade of result.trades) expect(trade.size).toBe(Number(trade.size.toFixed(4)));

        const optimized = value<{ result: { priceDecimals: number } }>(
          await app.dispatch('optimize.run', {
            data: { source: 'stored', symbol: 'GOOG', timeframe: '1d' },
            request: {
              strategy: 'sma-cross',
              ranges: [
                { name: 'fast', from: 5, to: 6, step: 1 },
                { name: 'slow', from: 20, to: 20, step: 1 },
              ],
            },
            workers: 1,
            save: false,
          }),
        );
        expect(optimized.result.priceDecimals).toBe(2);
      } finally {
        app.close();
      }
    });

    it('a series stored before schema 9 gets its decimals on first use, and keeps them', async () => {
      const dataDir = path.join(temp.dir, 'legacy');
      const app = openApp(dataDir);
      try {
        value(
          await app.dispatch('candles.import', {
            symbol: 'EURUSD',
            timeframe: '1h',
            csv: readFileSync(eurusd!, 'utf8'),
          }),
        );
      } finally {
        app.close();
      }
      // What a database of schema 8 holds: the series without a record of its decimals.
      const db = openDatabase(path.join(dataDir, 'autobot.db'), migrations);
      db.prepare('UPDATE series SET price_decimals = NULL').run();
      db.close();
      const again = openApp(dataDir);
      try {
        const { series } = value<{ series: Series[] }>(await again.dispatch('candles.list', {}));
        expect(series.find((s) => s.timeframe === '1h')?.priceDecimals).toBe(5);
      } finally {
        again.close();
      }
      const reopened = openDatabase(path.join(dataDir, 'autobot.db'), migrations);
      const stored = reopened
        .prepare("SELECT price_decimals FROM series WHERE symbol = 'EURUSD' AND timeframe = '1h'")
        .pluck()
        .get();
      reopened.close();
      expect(stored).toBe(5);
    });

    it('the CLI prints EURUSD prices at 5 decimals and sizes without float noise', async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.join(repoRoot, 'bin', 'autobot.js'),
          'backtest',
          '--csv',
          eurusd!,
          '--strategy',
          'sma-cross',
          '--param',
          'fast=10',
          '--param',
          'slow=30',
          '--lot',
          '0.0001',
          '--sizing',
          'fraction:0.37',
          '--full',
          '--no-save',
          '--data-dir',
          path.join(temp.dir, 'cli'),
        ],
        { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 },
      );
      const lines = stdout.split('\n');
      const header = lines.findIndex((line) => /^side\s+size\s+entry/.test(line));
      expect(header).toBeGreaterThan(0);
      // The table pads its columns with two spaces or more; a date's own space is a single one.
      const rows = lines
        .slice(header + 1)
        .filter((line) => /^(long|short)\s/.test(line))
        .map((line) => line.split(/\s{2,}/));
      expect(rows.length).toBeGreaterThan(10);
      for (const [, size, , entryPrice, , exitPrice] of rows) {
        // Lots of 0.0001 print with exactly 4 decimals: 39.6825, never 39.682500000000005.
        expect(size).toMatch(/^\d+\.\d{4}$/);
        // EURUSD prices at exactly 5 decimals: 1.07219, never 1.07 or 1.0721900000000001.
        expect(entryPrice).toMatch(/^1\.\d{5}$/);
        expect(exitPrice).toMatch(/^1\.\d{5}$/);
      }
    });
  },
);
