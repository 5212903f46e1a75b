// What `autobot backtest` and `autobot optimize` run through: the same app and dispatcher as every
// other host, so the CLI's input is validated by the contract, passes the licence gate, and its runs
// land in the saved history the UI shows. The flags shared by both commands live here too: where
// the data folder is, which keychain service, which candles, and whether to save.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createApp, type App } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import type { CallInput, CallName, CallOutput, Timeframe } from '../contract/calls.ts';
import { AutobotError } from '../contract/errors.ts';
import { strategyNames } from '../strategies/registry.ts';

export interface AppFlags {
  dataDir: string;
  keychainService: string;
  /** commander's --no-save: false when given. */
  save: boolean;
  label?: string;
}

export interface DataFlags {
  csv?: string;
  symbol?: string;
  timeframe?: string;
}

/** --data-dir, --keychain-service, --no-save and --label, as `serve` takes the first two. */
export function withAppOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'folder of the database the run is saved in', defaultDataDir())
    .option('--keychain-service <name>', 'OS keychain service of the licence (as for serve)', 'AUTOBOT')
    .option('--no-save', 'do not save the run in the history the app shows')
    .option('--label <text>', 'name the saved run (default: strategy and data)');
}

/** The two flags every run command starts from: the candles (a CSV or a stored series) and the strategy. */
export function withCandleAndStrategyOptions(command: Command): Command {
  return command
    .option('--csv <file>', 'candles: a time column, then open, high, low, close[, volume]')
    .option('--symbol <symbol>', 'or a stored series: its symbol (with --timeframe)')
    .option('--timeframe <tf>', 'the stored series’ timeframe, e.g. 1h or 1d')
    .requiredOption('--strategy <name>', `strategy: ${strategyNames.join(', ')}`);
}

/** The call's `data`: the CSV's text, or the stored series; the contract checks the values. */
export function dataFromFlags(flags: DataFlags): CallInput<'backtest.run'>['data'] {
  const stored = flags.symbol !== undefined || flags.timeframe !== undefined;
  if (flags.csv !== undefined && stored)
    throw new Error('Choose --csv FILE or --symbol S --timeframe T, not both.');
  if (flags.csv !== undefined) return { source: 'csv', csv: readCsv(flags.csv), fileName: flags.csv };
  if (flags.symbol === undefined || flags.timeframe === undefined)
    throw new Error('Give the candles: --csv FILE, or a stored series with --symbol S --timeframe T.');
  return {
    source: 'stored',
    symbol: flags.symbol,
    // The contract refuses an unknown timeframe, naming data.timeframe.
    timeframe: flags.timeframe as Timeframe,
  };
}

function readCsv(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
    });
  }
}

export function openCliApp(flags: AppFlags): App {
  return createApp({
    dataDir: path.resolve(flags.dataDir),
    host: 'cli',
    keychainService: flags.keychainService,
  });
}

/**
 * One call through the app's dispatcher; a refusal becomes an AutobotError whose issues name the
 * field as the user typed it (`commission`, `params.slow`), without the call's nesting
 * (`spec.`, `request.baseSpec.`), which means nothing on a command line.
 */
export async function call<N extends CallName>(
  app: App,
  name: N,
  input: CallInput<N>,
): Promise<CallOutput<N>> {
  const answer = await app.dispatch(name, input);
  if (answer.ok) return answer.value as CallOutput<N>;
  const { code, message, issues, detail, reason } = answer.error;
  const flat = issues?.map((issue) => ({ ...issue, path: flagPath(issue.path) }));
  const first = flat?.[0];
  return Promise.reject(
    new AutobotError(
      code,
      first ? (first.path ? `${first.path}: ${first.message}` : first.message) : message,
      {
        ...(flat ? { issues: flat } : {}),
        ...(detail ? { detail } : {}),
        ...(reason ? { reason } : {}),
      },
    ),
  );
}

function flagPath(callPath: string): string {
  return callPath.replace(/^(spec|request\.baseSpec|request)(\.|$)/, '');
}
