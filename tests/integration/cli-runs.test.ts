// `autobot backtest` and `autobot optimize` are hosts like the others: their runs go through the
// app's dispatcher and land in the saved history the UI reads from the same data folder, they start
// from the same defaults as the contract (and so the Backtest and Optimizer pages), and a free call
// needs no keychain.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../core/app/app.ts';
import { backtestDefaults } from '../../core/contract/defaults.ts';
import { openGate } from '../../core/contract/dispatch.ts';
import type { CallResult } from '../../core/contract/result.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const temp = makeTempDir('autobot-cli-runs-');
afterAll(() => temp.cleanup());

/** A seeded mean-reverting hourly series: rsi trades on it every few dozen bars. */
function syntheticCsv(bars: number): string {
  let state = 7;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ['time,open,high,low,close,volume'];
  let price = 100;
  for (let i = 0; i < bars; i++) {
    const open = price;
    price = Math.max(1, price + (random() - 0.5) * 2 + (100 - price) * 0.05);
    lines.push(
      `${1_600_000_000 + i * 3600},${open},${Math.max(open, price) + 0.1},${Math.min(open, price) - 0.1},${price},1`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const csvText = syntheticCsv(2_000);
const csvFile = path.join(temp.dir, 'SYNTH.csv');
writeFileSync(csvFile, csvText);

async function autobot(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot, 'bin', 'autobot.js'), ...args],
      { cwd: repoRoot, env, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function value<T>(answer: CallResult): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as T;
}

/** The app the UI would talk to, on the same data folder as the CLI. */
function openApp(dataDir: string): App {
  return createApp({ dataDir, host: 'test', keychainService: 'AUTOBOT-cli-runs-test' });
}

type Listed = { runs: Array<{ id: number; label: string; source: string; strategy: string }> };

describe('the CLI runs through the app', () => {
  it('saves a backtest where backtest.list of the same data dir finds it; --no-save saves nothing', async () => {
    const dataDir = path.join(temp.dir, 'backtest-history');
    const args = ['backtest', '--csv', csvFile, '--strategy', 'rsi', '--data-dir', dataDir, '--json'];
    const saved = await autobot([...args, '--label', 'from the terminal']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toContain(`Saved as backtest #1 "from the terminal" in ${dataDir}.`);
    const printed = JSON.parse(saved.stdout) as { returnPct: number; trades: number };

    const app = openApp(dataDir);
    try {
      const { runs } = value<Listed>(await app.dispatch('backtest.list', {}));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ label: 'from the terminal', source: 'csv', strategy: 'rsi' });
      const reopened = value<{ result: { metrics: { returnPct: number; trades: number } } }>(
        await app.dispatch('backtest.get', { id: runs[0]!.id }),
      );
      expect(reopened.result.metrics).toMatchObject({ returnPct: printed.returnPct, trades: printed.trades });
    } finally {
      app.close();
    }

    const unsaved = await autobot([...args, '--no-save']);
    expect(unsaved.code, unsaved.stderr).toBe(0);
    expect(unsaved.stderr).not.toContain('Saved as');
    const again = openApp(dataDir);
    try {
      expect(value<Listed>(await again.dispatch('backtest.list', {})).runs).toHaveLength(1);
    } finally {
      again.close();
    }
  });

  it('backtests a stored series by --symbol and --timeframe', async () => {
    const dataDir = path.join(temp.dir, 'stored');
    // Importing is not what this test is about: an open gate spares it a licence.
    const app = createApp({ dataDir, host: 'test', secretStore: new MemorySecretStore(), gate: openGate });
    try {
      value(await app.dispatch('candles.import', { symbol: 'SYNTH', timeframe: '1h', csv: csvText }));
    } finally {
      app.close();
    }
    const run = await autobot([
      'backtest',
      '--symbol',
      'SYNTH',
      '--timeframe',
      '1h',
      '--strategy',
      'rsi',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^SYNTH 1h: rsi period=14 lower=30 upper=70/);
    const after = openApp(dataDir);
    try {
      const { runs } = value<Listed>(await after.dispatch('backtest.list', {}));
      expect(runs[0]).toMatchObject({ label: 'rsi on SYNTH 1h', source: 'stored' });
    } finally {
      after.close();
    }
  });

  it('gives the same result as the contract with the same defaults', async () => {
    const dataDir = path.join(temp.dir, 'defaults');
    const cli = await autobot([
      'backtest',
      '--csv',
      csvFile,
      '--strategy',
      'rsi',
      '--data-dir',
      dataDir,
      '--no-save',
      '--json',
    ]);
    expect(cli.code, cli.stderr).toBe(0);
    const printed = JSON.parse(cli.stdout) as Record<string, unknown>;

    const app = openApp(dataDir);
    try {
      // What the Backtest page sends when nothing is changed: the contract's defaults, spelled out.
      const { result } = value<{ result: { spec: unknown; metrics: Record<string, unknown> } }>(
        await app.dispatch('backtest.run', {
          data: { source: 'csv', csv: csvText },
          spec: { strategy: 'rsi', params: {}, ...backtestDefaults },
          save: false,
        }),
      );
      expect(result.spec).toMatchObject(backtestDefaults);
      expect(result.metrics.commissions).toBeGreaterThan(0);
      expect(printed).toMatchObject(result.metrics);
    } finally {
      app.close();
    }
  });

  it('saves an optimisation where optimize.list finds it', async () => {
    const dataDir = path.join(temp.dir, 'optimize-history');
    const run = await autobot([
      'optimize',
      '--csv',
      csvFile,
      '--strategy',
      'rsi',
      '--range',
      'lower=20:40:10',
      '--range',
      'upper=60:80:10',
      '--min-trades',
      '1',
      '--workers',
      '1',
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout) as {
      evaluationCount: number;
      baseSpec: unknown;
      best: unknown;
      leaderboard: unknown;
    };
    expect(printed.evaluationCount).toBe(9);
    expect(printed.baseSpec).toMatchObject(backtestDefaults);
    const app = openApp(dataDir);
    try {
      // The Optimizer page sends the contract's defaults: the same grid gives the same leaderboard.
      const { result } = value<{ result: typeof printed }>(
        await app.dispatch('optimize.run', {
          data: { source: 'csv', csv: csvText },
          request: {
            strategy: 'rsi',
            baseSpec: { params: {}, ...backtestDefaults },
            ranges: [
              { name: 'lower', from: 20, to: 40, step: 10 },
              { name: 'upper', from: 60, to: 80, step: 10 },
            ],
            minTrades: 1,
          },
          workers: 1,
          save: false,
        }),
      );
      expect(result.best).toEqual(printed.best);
      expect(result.leaderboard).toEqual(printed.leaderboard);
      const { runs } = value<Listed>(await app.dispatch('optimize.list', {}));
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ label: 'rsi optimisation on SYNTH.csv', source: 'csv' });
      expect(value<Listed>(await app.dispatch('backtest.list', {})).runs).toHaveLength(0);
    } finally {
      app.close();
    }
  });

  it('refuses out-of-range money with the field named, and saves nothing', async () => {
    const dataDir = path.join(temp.dir, 'refused');
    const run = await autobot([
      'backtest',
      '--csv',
      csvFile,
      '--strategy',
      'rsi',
      '--cash',
      '1e308',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cash: cash must be at most 1,000,000,000,000/);
    expect(run.stdout).toBe('');
    const app = openApp(dataDir);
    try {
      expect(value<Listed>(await app.dispatch('backtest.list', {})).runs).toHaveLength(0);
    } finally {
      app.close();
    }
  });

  it('runs a backtest with no keychain on the session bus', async () => {
    const dataDir = path.join(temp.dir, 'no-keychain');
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(temp.dir, 'no-bus')}` };
    const run = await autobot(
      ['backtest', '--csv', csvFile, '--strategy', 'rsi', '--data-dir', dataDir, '--json'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('finalEquity');
  });
});
