// `autobot optimize` as a user types it, on real EURUSD hourly data: the best set with its
// in-sample and out-of-sample figures (checked against a plain backtest of each window), refusals of
// a malformed --range that name it, and a seeded genetic search that prints the same run twice.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import type { BacktestMetrics } from '../../core/backtest/spec.ts';
import { parseCandlesCsv } from '../../core/data/csv-candles.ts';
import { scoreMetrics } from '../../core/optimize/objective.ts';
import type { Evaluation, OptimizeResult } from '../../core/optimize/spec.ts';
import { sliceCandles } from '../../core/storage/candle-columns.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const eurusd = sharedDataFile('EURUSD.csv');
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
/** The CLI's data folder: never the user's own. */
const temp = makeTempDir('autobot-optimize-cli-');
afterAll(() => temp.cleanup());

/** What `--json` prints (`--full` adds the evaluations). */
type OptimizeJson = Omit<OptimizeResult, 'evaluations' | 'heatmap' | 'rsiAtEntry'> & {
  rsiAtEntryCorrelation: number | null;
  evaluations?: Evaluation[];
};

async function autobot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'bin', 'autobot.js'), ...args],
      { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

// Skipped only on a clone without ../shared/data (sharedDataSkipReason says so in the name); under CI
// a missing file fails instead (tests/support/shared-data.ts).
describe.skipIf(eurusd === null)(
  `autobot optimize on EURUSD (${eurusd === null ? sharedDataSkipReason : 'hourly'})`,
  () => {
    // Two workers at most: the suite shares the machine.
    const base = () => [
      'optimize',
      '--csv',
      eurusd!,
      '--strategy',
      'rsi',
      '--data-dir',
      temp.dir,
      '--no-save',
      '--workers',
      '2',
    ];

    it('prints the best set with its in-sample and out-of-sample metrics', async () => {
      const { code, stdout, stderr } = await autobot([
        ...base(),
        '--range',
        'lower=20:40:5',
        '--range',
        'upper=60:80:5',
        '--split',
        '0.7',
        '--json',
      ]);
      expect(code, stderr).toBe(0);
      const json = JSON.parse(stdout) as OptimizeJson;
      expect(json).toMatchObject({ strategy: 'rsi', method: 'grid', spaceSize: 25, evaluationCount: 25 });
      expect(json.evaluations).toBeUndefined();
      expect(json.best).not.toBeNull();
      const best = json.best!;
      expect([20, 25, 30, 35, 40]).toContain(best.params.lower);
      expect([60, 65, 70, 75, 80]).toContain(best.params.upper);
      expect(json.leaderboard[0]!.params).toEqual(best.params);

      const [row] = json.validationRows;
      expect(json.validationRows).toHaveLength(1);
      expect(row!.params).toEqual(best.params);
      expect(row!.inSample.score).toBe(best.score);
      expect(row!.outOfSample!.score).toBe(best.oosScore);
      expect(row!.collapsed).toBe(best.collapsed);

      // The printed figures are those of a plain backtest of the best set on each window.
      const { candles, length } = parseCandlesCsv(readFileSync(eurusd!, 'utf8'));
      const cut = Math.floor(length * 0.7);
      expect(row!.train).toMatchObject({ start: 0, end: cut });
      expect(row!.test).toMatchObject({ start: cut, end: length });
      const backtest = (start: number, end: number): BacktestMetrics =>
        runBacktest(sliceCandles(candles, start, end), { strategy: 'rsi', params: best.params }).metrics;
      const inSample = backtest(0, cut);
      const outOfSample = backtest(cut, length);
      expect(row!.inSample.metrics).toEqual(inSample);
      expect(row!.outOfSample!.metrics).toEqual(outOfSample);
      expect(scoreMetrics(inSample, 'default', 10).score).toBe(best.score);
    });

    it.each([
      ['lower=40:20:1', /range "lower": to \(20\) must not be below from \(40\)/],
      ['lower=abc', /--range lower: expected from:to:step/],
      ['lower=20:x:1', /--range lower: to "x" is not a number/],
      ['lower=20:40:0', /range "lower": step must be above 0/],
    ])('refuses --range %s, naming it, and prints no result', async (range, message) => {
      const { code, stdout, stderr } = await autobot([
        ...base(),
        '--range',
        range,
        '--range',
        'upper=60:80:5',
        '--json',
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stdout).toBe('');
    });

    it('prints the same genetic run twice for the same --seed, on one worker or two', async () => {
      const genetic = (workers: string) =>
        autobot([
          ...base().slice(0, -2),
          '--workers',
          workers,
          '--range',
          'lower=10:45:1',
          '--range',
          'upper=55:90:1',
          '--method',
          'genetic',
          '--seed',
          '3',
          '--budget',
          '60',
          '--json',
          '--full',
        ]);
      const runs = await Promise.all([genetic('1'), genetic('2')]);
      const [first, second] = runs.map(({ code, stdout, stderr }) => {
        expect(code, stderr).toBe(0);
        return JSON.parse(stdout) as OptimizeJson;
      });
      expect(first).toMatchObject({ method: 'genetic', seed: 3, spaceSize: 36 * 36 });
      expect(first!.evaluationCount).toBeLessThanOrEqual(60);
      expect(first!.best).not.toBeNull();
      expect(second!.best).toEqual(first!.best);
      expect(second!.validationRows).toEqual(first!.validationRows);
      expect(second!.evaluations).toEqual(first!.evaluations);
    });
  },
);
