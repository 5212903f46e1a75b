// End to end on real data: GOOG daily from ../shared/data, a recorded set of headlines imported
// with `autobot sentiment import`, then rsi backtests with and without minSentiment. The filter
// must hold back exactly the entries signalled on bars whose week of news scored below it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import { registerSentimentCommands } from '../../core/cli/sentiment-commands.ts';
import type { CallInput, CallName, CallOutput } from '../../core/contract/calls.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const goog = sharedDataFile('GOOG.csv');
const headlinesFile = path.resolve(import.meta.dirname, '..', 'support', 'fixtures', 'goog-headlines.json');
const temp = makeTempDir('autobot-sentiment-');
let app: App;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}

async function autobot(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('autobot')
    .exitOverride()
    .configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  // The CLI opens the same app (one data folder, one licence) the rest of the test uses.
  registerSentimentCommands(program, { openApp: () => ({ ...app, close: () => {} }) });
  program.commands.forEach((command) => command.commands.forEach((sub) => sub.exitOverride()));
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'autobot', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { exitCode, stdout: out.join(''), stderr: err.join('') };
}

beforeAll(async () => {
  app = (await createLicensedTestApp({ dataDir: temp.dir, host: 'cli' })).app;
});
afterAll(() => {
  app?.close();
  temp.cleanup();
});

describe.skipIf(goog === null)(
  `minSentiment on GOOG (${goog === null ? sharedDataSkipReason : 'shared data'})`,
  () => {
    it('refuses minSentiment while no headlines are stored, saying how to get some', async () => {
      await call('candles.import', { symbol: 'GOOG', timeframe: '1d', csv: readFileSync(goog!, 'utf8') });
      const refused = await app.dispatch('backtest.run', {
        data: { source: 'stored', symbol: 'GOOG', timeframe: '1d' },
        spec: { strategy: 'rsi', params: { minSentiment: 0 } },
        save: false,
      });
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error.issues?.[0]?.path).toBe('spec.params.minSentiment');
        expect(refused.error.message).toMatch(
          /no headlines are stored for GOOG: import some \(autobot sentiment import/,
        );
      }
    });

    it('imports recorded headlines from the CLI and filters rsi entries on their sentiment', async () => {
      const imported = await autobot(
        'sentiment',
        'import',
        '--symbol',
        'GOOG',
        '--file',
        headlinesFile,
        '--data-dir',
        temp.dir,
      );
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toMatch(/^Stored 32 new headlines for GOOG \(32 in all\)/);
      // Importing the same file again adds nothing.
      expect(
        (
          await autobot(
            'sentiment',
            'import',
            '--symbol',
            'GOOG',
            '--file',
            headlinesFile,
            '--data-dir',
            temp.dir,
          )
        ).stdout,
      ).toMatch(/^Stored 0 new headlines for GOOG \(32 in all\)/);

      const series = await call('sentiment.series', { symbol: 'GOOG', timeframe: '1d' });
      expect(series.time).toHaveLength(2148);
      const sentimentAt = new Map(series.time.map((time, i) => [time, series.sentiment[i]!]));

      const data = { source: 'stored' as const, symbol: 'GOOG', timeframe: '1d' as const };
      const plain = await call('backtest.run', { data, spec: { strategy: 'rsi', params: {} }, save: false });
      const filtered = await call('backtest.run', {
        data,
        spec: { strategy: 'rsi', params: { minSentiment: 0 } },
        save: false,
      });

      // The signal bar is the one before the entry (orders fill at the next open).
      const signalSentiment = (entryBar: number) => series.sentiment[entryBar - 1]!;
      const blocked = plain.result.trades.filter((trade) => signalSentiment(trade.entryBar) < 0);
      expect(blocked.length).toBeGreaterThan(0);
      for (const trade of filtered.result.trades)
        expect(signalSentiment(trade.entryBar)).toBeGreaterThanOrEqual(0);
      // Each blocked entry is gone: the filtered run waits for a bar whose news allows it.
      const filteredEntries = new Set(filtered.result.trades.map((trade) => trade.entryTime));
      for (const trade of blocked) expect(filteredEntries.has(trade.entryTime)).toBe(false);
      expect(filtered.result.metrics).not.toEqual(plain.result.metrics);
      // Entries on neutral or good news are the same in both runs until the first blocked one.
      const firstBlocked = blocked[0]!.entryTime;
      expect(
        filtered.result.trades.filter((t) => t.entryTime < firstBlocked).map((t) => t.entryTime),
      ).toEqual(plain.result.trades.filter((t) => t.entryTime < firstBlocked).map((t) => t.entryTime));
      expect(sentimentAt.size).toBe(series.time.length);

      const shown = await autobot('sentiment', 'show', '--symbol', 'GOOG', '--data-dir', temp.dir);
      expect(shown.stdout).toMatch(/2008-09-15\s+-0\.\d\d\s+Markets crash as Lehman collapses/);
    });
  },
);
