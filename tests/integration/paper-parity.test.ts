// Issue #11's parity line: a paper bot — a replay through the trading runtime (strategy → risk →
// OrderRouter → simulated venue → SQLite journal → portfolio) — trades exactly as the backtest
// engine does on the same candles: the same trades, final equity and every metric, for both
// built-in strategies on real GOOG and EURUSD data. Once through the app's dispatcher for every
// pair, and through the CLI (`autobot paper` against `autobot backtest`) for one of them.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../core/app/app.ts';
import { backtestJson } from '../../core/cli/backtest-command.ts';
import { maxCurvePoints, type CallOutput } from '../../core/contract/calls.ts';
import { openGate } from '../../core/contract/dispatch.ts';
import type { CallResult } from '../../core/contract/result.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const temp = makeTempDir('autobot-paper-parity-');
afterAll(() => temp.cleanup());

const files = { GOOG: sharedDataFile('GOOG.csv'), EURUSD: sharedDataFile('EURUSD.csv') };
const present = files.GOOG !== null && files.EURUSD !== null;

function value<T>(result: CallResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function cli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(repoRoot, 'bin', 'autobot.js'), ...args],
    {
      cwd: repoRoot,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return stdout;
}

describe.skipIf(!present)(`paper equals backtest on shared data (${sharedDataSkipReason})`, () => {
  it('gives identical trades, equity and metrics for both strategies on GOOG and EURUSD, with every order journaled', async () => {
    const dataDir = path.join(temp.dir, 'app');
    const app = createApp({ dataDir, host: 'test', secretStore: new MemorySecretStore(), gate: openGate });
    const botIds: string[] = [];
    try {
      for (const [symbol, file] of Object.entries(files)) {
        const csv = readFileSync(file!, 'utf8');
        for (const strategy of ['sma-cross', 'rsi']) {
          const data = { source: 'csv' as const, csv, fileName: `${symbol}.csv` };
          const spec = { strategy, params: {} };
          const backtest = value(
            await app.dispatch('backtest.run', { data, spec, save: false, curvePoints: maxCurvePoints }),
          ) as CallOutput<'backtest.run'>;
          const paper = value(await app.dispatch('paper.run', { data, spec })) as CallOutput<'paper.run'>;
          expect(paper.status).toBe('finished');
          expect(paper.result.trades.length).toBeGreaterThan(5);
          expect(paper.result.metrics.finalEquity).toBe(backtest.result.metrics.finalEquity);
          expect(paper.result.trades).toEqual(backtest.result.trades);
          expect(backtestJson(paper.result, true)).toEqual(backtestJson(backtest.result, true));
          // Every trade is two fills of orders the journal holds (sma-cross reverses: close + entry).
          expect(paper.orders).toBeGreaterThanOrEqual(paper.result.trades.length);
          botIds.push(paper.botId);
        }
      }
    } finally {
      app.close();
    }
    const db = openDatabase(path.join(dataDir, 'autobot.db'));
    try {
      const journal = new OrderJournal(db);
      for (const botId of botIds) {
        const orders = journal.all().filter((order) => order.intent.owner === botId);
        expect(orders.length).toBeGreaterThan(0);
        expect(orders.every((order) => order.status === 'FILLED')).toBe(true);
      }
    } finally {
      db.close();
    }
  }, 120_000);

  it('stops a ruined BTCUSD sma-cross at the same bar and equity in paper as in the backtest', async () => {
    const file = sharedDataFile('BTCUSD.csv');
    if (file === null) return;
    const app = createApp({
      dataDir: path.join(temp.dir, 'btc'),
      host: 'test',
      secretStore: new MemorySecretStore(),
      gate: openGate,
    });
    try {
      const data = { source: 'csv' as const, csv: readFileSync(file, 'utf8'), fileName: 'BTCUSD.csv' };
      const spec = { strategy: 'sma-cross', params: {} };
      const backtest = value(
        await app.dispatch('backtest.run', { data, spec, save: false, curvePoints: maxCurvePoints }),
      ) as CallOutput<'backtest.run'>;
      const paper = value(await app.dispatch('paper.run', { data, spec })) as CallOutput<'paper.run'>;
      expect(paper.status).toBe('ruined');
      expect(backtest.result.ruin).not.toBeNull();
      expect(paper.result.ruin).toEqual(backtest.result.ruin);
      expect(backtest.result.trades.at(-1)!.exitReason).toBe('ruin');
      // It used to trade on to −13,573; now it stops at the close where the money ran out.
      expect(backtest.result.metrics.finalEquity).toBeGreaterThan(-13_000);
      expect(backtestJson(paper.result, true)).toEqual(backtestJson(backtest.result, true));
    } finally {
      app.close();
    }
  }, 60_000);

  it('prints the same JSON from `autobot paper` as from `autobot backtest`', async () => {
    // One pair: the CLI only prints what paper.run answers (checked above for all four), and each
    // process start costs seconds on a loaded machine.
    const runs = [['EURUSD', 'sma-cross']] as const;
    for (const [symbol, strategy] of runs) {
      const common = ['--csv', files[symbol]!, '--strategy', strategy, '--json', '--full'];
      const [paper, backtest] = await Promise.all([
        cli(['paper', ...common]),
        cli(['backtest', ...common, '--no-save', '--data-dir', path.join(temp.dir, 'cli')]),
      ]);
      const printed = JSON.parse(paper) as { trades: number; tradeList: unknown[] };
      expect(printed.trades).toBeGreaterThan(5);
      expect(paper).toBe(backtest);
    }
  }, 120_000);
});
