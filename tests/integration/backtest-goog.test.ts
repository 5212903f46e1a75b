// The independent cross-check: sma-cross 10/20 on GOOG daily, cash 10,000, commission 0.2 %, whole
// shares, default fill rules, must reproduce backtesting.py 0.6.6's published run of the same
// strategy — through the strategy-object API, the kernel, and the CLI.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import type { BacktestResult } from '../../core/backtest/spec.ts';
import { parseCandlesCsv } from '../../core/data/csv-candles.ts';
import { sliceCandles } from '../../core/storage/candle-columns.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const goog = sharedDataFile('GOOG.csv');
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** The CLI's data folder: never the user's own. */
const temp = makeTempDir('autobot-goog-cli-');
afterAll(() => temp.cleanup());

/** backtesting.py 0.6.6, SmaCross(10, 20) on GOOG, cash 10,000, commission .002. */
const published = {
  trades: 93,
  finalEquity: 56_263.52,
  returnPct: 462.635,
  winRatePct: 52.688,
  maxDrawdownPct: -33.932,
  exposurePct: 94.27,
};

interface Figures {
  trades: number;
  finalEquity: number;
  returnPct: number;
  winRatePct: number | null;
  maxDrawdownPct: number;
  exposurePct: number;
}

function expectPublished(figures: Figures): void {
  expect(figures.trades).toBe(published.trades);
  expect(Math.abs(figures.finalEquity - published.finalEquity)).toBeLessThanOrEqual(0.01);
  for (const key of ['returnPct', 'winRatePct', 'maxDrawdownPct', 'exposurePct'] as const) {
    expect(Math.abs(figures[key]! - published[key]), key).toBeLessThanOrEqual(0.01);
  }
}

// Skipped only on a clone without ../shared/data (sharedDataSkipReason says so in the name); under CI
// a missing file fails instead (tests/support/shared-data.ts).
describe.skipIf(goog === null)(
  `sma-cross on GOOG matches backtesting.py 0.6.6 (${sharedDataSkipReason})`,
  () => {
    const spec = {
      strategy: 'sma-cross',
      params: { fast: 10, slow: 20 },
      cash: 10_000,
      commission: 0.002,
      lotSize: 1,
    };
    const load = () => {
      const { candles, length } = parseCandlesCsv(readFileSync(goog!, 'utf8'));
      return sliceCandles(candles, 0, length);
    };

    it.each(['api', 'kernel'] as const)('through the %s path', (mode) => {
      const candles = load();
      expect(candles.close.length).toBe(2_148);
      const result: BacktestResult = runBacktest(candles, spec, { mode });
      expectPublished(result.metrics);
      // One more trade is still open at the end: long, marked to the last close, not counted.
      expect(result.openTrade).toMatchObject({ side: 'long', markPrice: candles.close[2_147] });
      expect(result.trades.length).toBe(93);
      // The first crossover after the 20-bar warm-up fills at the next day's open.
      expect(result.trades[0]).toMatchObject({ entryPrice: candles.open[result.trades[0]!.entryBar] });
    });

    it('both paths agree on every trade and every bar', () => {
      const candles = load();
      const api = runBacktest(candles, spec, { mode: 'api' });
      const kernel = runBacktest(candles, spec, { mode: 'kernel' });
      expect(kernel).toEqual(api);
    });

    it('through the CLI', async () => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.join(repoRoot, 'bin', 'autobot.js'),
          'backtest',
          '--csv',
          goog!,
          '--strategy',
          'sma-cross',
          '--param',
          'fast=10',
          '--param',
          'slow=20',
          '--cash',
          '10000',
          '--commission',
          '0.002',
          '--lot',
          '1',
          '--data-dir',
          temp.dir,
          '--no-save',
          '--json',
        ],
        { cwd: repoRoot },
      );
      const json = JSON.parse(stdout) as Figures & { openTrade: unknown; equity?: unknown };
      expectPublished(json);
      expect(json.openTrade).not.toBeNull();
      expect(json.equity).toBeUndefined();
    });
  },
);
