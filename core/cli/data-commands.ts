// `autobot data import|list|remove`: the stored candle series from a terminal. Each command opens
// the app on a data folder (the desktop app's by default, or --data-dir like `serve`) and goes
// through app.dispatch like every other host, so the same validation, licence gate and
// series-compatibility question apply.
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createApp, type App } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import { timeframes, type CallName, type CallOutput } from '../contract/calls.ts';
import { AutobotError } from '../contract/errors.ts';
import { describeError, print, table } from './command-support.ts';
import { registerDownloadCommand } from './download-command.ts';

export interface DataCommandOptions {
  /** Opens the app on a data folder; tests pass one with a licence installed. */
  openApp?: (dataDir: string) => App | Promise<App>;
}

interface DataDirFlag {
  dataDir: string;
}

/** Bytes of the file's start that candles.inspect sees (the same head the import form sends). */
const headBytes = 256 * 1024;

export function registerDataCommands(program: Command, options: DataCommandOptions = {}): Command {
  const openApp = options.openApp ?? ((dataDir: string) => createApp({ dataDir, host: 'cli' }));
  const data = program.command('data').description('Import, list and delete stored candle series.');
  const dataDirOption = [
    '--data-dir <dir>',
    'folder of the database (default: the app’s data folder)',
    defaultDataDir(),
  ] as const;

  /** Runs `work` on an opened app, turning a refusal into commander's error (exit code 1). */
  const withApp = async (command: Command, dataDir: string, work: (call: Caller) => Promise<string>) => {
    let output: string | undefined;
    let failure: string | undefined;
    const app = await openApp(path.resolve(dataDir));
    try {
      output = await work(async (name, input) => {
        const result = await app.dispatch(name, input);
        if (!result.ok)
          throw new AutobotError(result.error.code, result.error.message, {
            ...(result.error.issues ? { issues: result.error.issues } : {}),
          });
        return result.value as never;
      });
    } catch (error) {
      failure = describeError(error);
      if (error instanceof AutobotError && error.code === 'needs_confirmation')
        failure += '\nRun the same command with --yes to import anyway.';
    } finally {
      app.close();
    }
    if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.data' });
    print(command, output!);
  };

  data
    .command('import')
    .description('Import a candle CSV into a series: all rows or none.')
    .requiredOption('--csv <file>', 'the CSV: a time column, then open, high, low, close[, volume]')
    .option(
      '--symbol <symbol>',
      'series symbol (default: proposed from the file name, e.g. BTCUSD.csv → BTCUSD)',
    )
    .option(
      '--timeframe <timeframe>',
      `${timeframes.join(', ')} (default: detected from the spacing of the file's first rows)`,
    )
    .option('--yes', 'import even when the bars do not look like the stored series (spacing, price level)')
    .option(...dataDirOption)
    .action(
      (
        opts: DataDirFlag & { csv: string; symbol?: string; timeframe?: string; yes?: boolean },
        command: Command,
      ) =>
        withApp(command, opts.dataDir, async (call) => {
          const file = path.resolve(opts.csv);
          let { symbol, timeframe } = opts;
          if (symbol === undefined || timeframe === undefined) {
            const proposal = await call('candles.inspect', {
              fileName: path.basename(file),
              head: readHead(file),
            });
            symbol ??= proposal.symbol ?? undefined;
            timeframe ??= proposal.timeframe ?? undefined;
            if (symbol === undefined)
              throw new Error(`No symbol could be read from "${path.basename(file)}": give --symbol.`);
            if (timeframe === undefined)
              throw new Error(
                "The timeframe could not be detected from the file's first rows: give --timeframe.",
              );
          }
          const result = await call('candles.import', {
            path: file,
            symbol,
            timeframe: timeframe as never,
            confirm: opts.yes ?? false,
          });
          return (
            `Imported ${count(result.rows)} candles into ${result.symbol} ${result.timeframe} ` +
            `(${count(result.inserted)} new, ${count(result.existing)} replaced).`
          );
        }),
    );

  data
    .command('list')
    .description(
      'Every imported series, one line each, with its bar count, time range and the timeframes derived from it.',
    )
    .option(...dataDirOption)
    .action((opts: DataDirFlag, command: Command) =>
      withApp(command, opts.dataDir, async (call) => {
        const { series } = await call('candles.list', {});
        // One line per series the user imported; the timeframes resampled from it in the last column.
        const imported = series.filter((s) => s.derivedFrom === null);
        if (imported.length === 0) return `No candles stored in ${path.resolve(opts.dataDir)}.`;
        const derivedFrom = (s: (typeof series)[number]) =>
          series
            .filter((d) => d.symbol === s.symbol && d.derivedFrom === s.timeframe)
            .map((d) => d.timeframe)
            .join(',') || '-';
        return table([
          ['symbol', 'timeframe', 'bars', 'first', 'last', 'derived'],
          ...imported.map((s) => [
            s.symbol,
            s.timeframe,
            count(s.count),
            date(s.first),
            date(s.last),
            derivedFrom(s),
          ]),
        ]);
      }),
    );

  data
    .command('remove')
    .description('Delete a stored series and all its candles.')
    .requiredOption('--symbol <symbol>', 'series symbol')
    .requiredOption('--timeframe <timeframe>', timeframes.join(', '))
    .option(...dataDirOption)
    .action((opts: DataDirFlag & { symbol: string; timeframe: string }, command: Command) =>
      withApp(command, opts.dataDir, async (call) => {
        const result = await call('candles.remove', {
          symbol: opts.symbol,
          timeframe: opts.timeframe as never,
        });
        if (!result.removed) throw new Error(`There is no series ${opts.symbol} ${opts.timeframe}.`);
        return `Removed ${opts.symbol} ${opts.timeframe} (${count(result.bars)} candles).`;
      }),
    );
  registerDownloadCommand(data, openApp, dataDirOption);
  return data;
}

type Caller = <N extends CallName>(name: N, input: unknown) => Promise<CallOutput<N>>;

export function readHead(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
  try {
    const buffer = Buffer.alloc(headBytes);
    const read = readSync(fd, buffer, 0, headBytes, 0);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const count = (value: number) => value.toLocaleString('en-US');
const date = (time: number | null) =>
  time === null ? '-' : new Date(time * 1000).toISOString().slice(0, 10);
