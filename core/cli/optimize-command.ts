// `autobot optimize --csv FILE --strategy NAME --range k=from:to:step …`: an optimisation from the
// terminal, printing the best set with its in-sample and out-of-sample metrics (a table, or one
// JSON object with --json). It is an `optimize.run` call through the app's dispatcher, like the
// Optimizer page's: the contract checks every value, and the run is saved in the history the app
// shows (unless --no-save). Ctrl-C cancels it through `optimize.cancel`. Output goes through
// commander's output configuration and failures through command.error(), so tests see exit codes
// instead of exits.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { bestConfig, evaluationsCsv } from '../optimize/export-best.ts';
import { optimizeDefaults } from '../optimize/defaults.ts';
import { objectiveNames } from '../optimize/objective.ts';
import { parseRangeText, type ParameterConstraint } from '../optimize/parameter-space.ts';
import type { KeyMetrics, OptimizeRequestInput, OptimizeResult, ValidationRow } from '../optimize/spec.ts';
import {
  call,
  dataFromFlags,
  openCliApp,
  withAppOptions,
  withCandleAndStrategyOptions,
  type AppFlags,
  type DataFlags,
} from './cli-app.ts';
import {
  collectParam,
  costsFromFlags,
  describeError,
  note,
  number,
  print,
  table,
  withCostOptions,
  type CostFlags,
} from './command-support.ts';

interface OptimizeOptions extends CostFlags, AppFlags, DataFlags {
  strategy: string;
  range: string[];
  param: Record<string, number>;
  constraint: ParameterConstraint[];
  method?: string;
  seed?: number;
  budget?: number;
  population?: number;
  objective?: string;
  split?: number;
  walkForward?: number;
  anchored?: boolean;
  validation: boolean;
  workers?: number;
  minTrades?: number;
  top?: number;
  json?: boolean;
  full?: boolean;
  exportConfig?: string;
  exportCsv?: string;
}

const collect = (text: string, list: string[]) => [...list, text];

/** `fast<slow` or `fast<=slow`. */
function collectConstraint(text: string, list: ParameterConstraint[]): ParameterConstraint[] {
  const match = /^\s*([A-Za-z_][\w-]*)\s*(<=|<)\s*([A-Za-z_][\w-]*)\s*$/.exec(text);
  if (!match) throw new InvalidArgumentError(`"${text}" is not a<b or a<=b (e.g. --constraint fast<slow).`);
  const pair: [string, string] = [match[1]!, match[3]!];
  return [...list, match[2] === '<' ? { less: pair } : { lessOrEqual: pair }];
}

/** Turns the flags into a request; the request schema judges every value. */
export function optimizeRequestFromFlags(opts: OptimizeOptions): OptimizeRequestInput {
  if (opts.range.length === 0) throw new Error('At least one --range name=from:to:step is needed.');
  if (opts.split !== undefined && opts.walkForward !== undefined)
    throw new Error('Choose --split or --walk-forward, not both.');
  if (!opts.validation && (opts.split !== undefined || opts.walkForward !== undefined))
    throw new Error('--no-validation cannot be combined with --split or --walk-forward.');
  if (opts.anchored && opts.walkForward === undefined) throw new Error('--anchored needs --walk-forward N.');
  const validation: OptimizeRequestInput['validation'] = !opts.validation
    ? { kind: 'none' }
    : opts.walkForward !== undefined
      ? { kind: 'walk-forward', folds: opts.walkForward, anchored: opts.anchored ?? false }
      : { kind: 'split', train: opts.split ?? optimizeDefaults.validation.train };
  return {
    strategy: opts.strategy,
    baseSpec: {
      params: opts.param,
      ...costsFromFlags(opts),
    },
    ranges: opts.range.map(parseRangeText),
    constraints: opts.constraint,
    ...(opts.method !== undefined ? { method: opts.method as 'grid' } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.budget !== undefined ? { budget: opts.budget } : {}),
    ...(opts.population !== undefined ? { genetic: { population: opts.population } } : {}),
    ...(opts.objective !== undefined ? { objective: opts.objective as 'default' } : {}),
    ...(opts.minTrades !== undefined ? { minTrades: opts.minTrades } : {}),
    ...(opts.top !== undefined ? { leaderboardSize: opts.top } : {}),
    validation,
  };
}

/** What --json prints: the best set, the IS/OOS table and the leaderboard (evaluations etc. with --full). */
export function optimizeJson(result: OptimizeResult, full: boolean): Record<string, unknown> {
  const { evaluations, heatmap, rsiAtEntry, ...rest } = result;
  return {
    ...rest,
    rsiAtEntryCorrelation: rsiAtEntry?.correlation ?? null,
    ...(full ? { evaluations, heatmap, rsiAtEntry } : {}),
  };
}

const figure = (value: number | null, digits = 2) => (value === null ? '—' : value.toFixed(digits));
const paramsText = (params: Record<string, number>) =>
  Object.entries(params)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');

function date(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

function metricCells(score: number, m: KeyMetrics): string[] {
  return [
    score.toFixed(4),
    `${figure(m.returnPct)} %`,
    figure(m.profitFactor),
    `${figure(m.winRatePct)} %`,
    `${figure(m.maxDrawdownPct)} %`,
    String(m.trades),
  ];
}

function validationTable(rows: readonly ValidationRow[]): string {
  const header = [
    'fold',
    'sample',
    'bars',
    'score',
    'return',
    'PF',
    'win rate',
    'max DD',
    'trades',
    'params',
  ];
  const lines: string[][] = [header];
  for (const row of rows) {
    const fold = row.fold === 0 ? '' : String(row.fold);
    const span = (w: ValidationRow['train']) => `${date(w.startTime)} → ${date(w.endTime)}`;
    lines.push([
      fold,
      'in',
      span(row.train),
      ...metricCells(row.inSample.score, row.inSample.metrics),
      paramsText(row.params),
    ]);
    if (row.test !== null && row.outOfSample !== null) {
      const flag = row.collapsed ? 'COLLAPSED' : '';
      lines.push([
        '',
        'out',
        span(row.test),
        ...metricCells(row.outOfSample.score, row.outOfSample.metrics),
        flag,
      ]);
    }
  }
  return table(lines);
}

export function optimizeText(result: OptimizeResult, file: string): string {
  const lines = [
    `${file}: ${result.strategy}, ${result.method} search, objective ${result.objective}, ` +
      `${result.evaluationCount} evaluations on ${result.workers} worker(s) in ${(result.elapsedMs / 1000).toFixed(2)} s`,
    '',
  ];
  const best = result.best;
  if (best === null) lines.push(`No parameter set reached ${result.minTrades} trades in sample.`);
  else {
    const oos =
      best.oosScore === null ? 'no out-of-sample check' : `out of sample ${best.oosScore.toFixed(4)}`;
    lines.push(
      `Best: ${paramsText(best.params)}  (score ${best.score.toFixed(4)} in sample, ${oos}${best.collapsed ? ', COLLAPSED' : ''})`,
    );
  }
  lines.push('', validationTable(result.validationRows));
  if (result.leaderboard.length > 1) {
    const header = ['#', 'score', 'oos', 'return', 'PF', 'win rate', 'max DD', 'trades', 'params'];
    const rows = result.leaderboard
      .slice(0, 10)
      .map((entry) => [
        String(entry.rank),
        entry.score.toFixed(4),
        entry.oosScore === null ? '—' : `${entry.oosScore.toFixed(4)}${entry.collapsed ? '!' : ''}`,
        `${figure(entry.metrics.returnPct)} %`,
        figure(entry.metrics.profitFactor),
        `${figure(entry.metrics.winRatePct)} %`,
        `${figure(entry.metrics.maxDrawdownPct)} %`,
        String(entry.metrics.trades),
        paramsText(entry.params),
      ]);
    lines.push('', 'Leaderboard (in sample; oos! = collapsed out of sample)', table([header, ...rows]));
  }
  if (result.rsiAtEntry !== null)
    lines.push('', `RSI at entry vs trade PnL: correlation ${figure(result.rsiAtEntry.correlation, 3)}`);
  return lines.join('\n');
}

export function registerOptimizeCommand(program: Command): Command {
  const command = withCandleAndStrategyOptions(
    program
      .command('optimize')
      .description("Search a strategy's parameters, with out-of-sample validation (docs/optimisation.md)."),
  )
    .option(
      '--range <name=from:to:step>',
      'a searched parameter, repeatable (e.g. --range lower=20:40:1)',
      collect,
      [],
    )
    .option(
      '--param <name=value>',
      'a fixed strategy parameter, repeatable (e.g. --param period=14)',
      collectParam,
      {},
    )
    .option('--constraint <a<b>', 'keep only sets with a < b (or a<=b), repeatable', collectConstraint, [])
    .option('--method <method>', 'grid (default) or genetic')
    .option(
      '--seed <n>',
      `genetic: random seed, the same seed repeats the run exactly (default ${optimizeDefaults.seed})`,
      number,
    )
    .option('--budget <n>', `genetic: evaluations at most (default ${optimizeDefaults.budget})`, number)
    .option('--population <n>', `genetic: population size (default ${optimizeDefaults.population})`, number)
    .option('--objective <name>', `${objectiveNames.join(', ')} (default: ${optimizeDefaults.objective})`)
    .option(
      '--split <fraction>',
      `optimise on the first fraction of the bars, test on the rest (default ${optimizeDefaults.validation.train})`,
      number,
    )
    .option('--walk-forward <folds>', 'walk-forward validation with this many folds', number)
    .option('--anchored', 'walk-forward: every training window starts at the first bar')
    .option('--no-validation', 'optimise on every bar, no out-of-sample check')
    .option('--workers <n>', 'worker threads (default: one per core)', number);
  return withAppOptions(withCostOptions(command))
    .option(
      '--min-trades <n>',
      `sets with fewer closed trades score 0 (default ${optimizeDefaults.minTrades})`,
      number,
    )
    .option('--top <n>', `leaderboard size (default ${optimizeDefaults.leaderboardSize})`, number)
    .option('--json', 'print one JSON object instead of tables')
    .option('--full', 'with --json: also every evaluation, the heatmap and the RSI scatter')
    .option('--export-config <file>', 'write the best set as a backtest config (JSON)')
    .option('--export-csv <file>', 'write every evaluation as CSV')
    .action(async (opts: OptimizeOptions, command: Command) => {
      let app: ReturnType<typeof openCliApp> | undefined;
      const runId = `cli-${process.pid}-${Date.now().toString(36)}`;
      const onInterrupt = () => void app?.dispatch('optimize.cancel', { runId });
      process.once('SIGINT', onInterrupt);
      let output: string | undefined;
      let saved: string | undefined;
      let failure: string | undefined;
      try {
        const request = optimizeRequestFromFlags(opts);
        const data = dataFromFlags(opts);
        app = openCliApp(opts);
        const { run, result } = await call(app, 'optimize.run', {
          data,
          request,
          runId,
          save: opts.save,
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
        });
        if (opts.exportConfig)
          writeFileSync(opts.exportConfig, `${JSON.stringify(bestConfig(result), null, 2)}\n`);
        if (opts.exportCsv) writeFileSync(opts.exportCsv, evaluationsCsv(result.evaluations));
        const source = data.source === 'csv' ? path.basename(opts.csv!) : `${opts.symbol} ${opts.timeframe}`;
        if (run) saved = `Saved as optimisation #${run.id} "${run.label}" in ${app.dataDir}.`;
        output = opts.json
          ? JSON.stringify(optimizeJson(result, opts.full ?? false))
          : optimizeText(result, source);
      } catch (error) {
        failure = describeError(error);
      } finally {
        process.removeListener('SIGINT', onInterrupt);
        app?.close();
      }
      if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.optimize' });
      print(command, output!);
      if (saved) note(command, saved);
    });
}
