// What the backtest and optimize commands share: reading flag values (numbers, name=value
// parameters, sizing, costs), and printing output and errors through commander so tests see exit
// codes instead of exits. The app they call through: cli-app.ts.
import { InvalidArgumentError, type Command } from 'commander';
import { backtestDefaults as d } from '../backtest/defaults.ts';
import type { BacktestSpecInput, Sizing } from '../backtest/spec.ts';
import { AutobotError } from '../contract/errors.ts';
import { parseBreakerFlags } from './breaker-flag.ts';
import { parseReinvestFlag } from './reinvest-flag.ts';

/** A number, or NaN for the schema to reject with the field's own message. */
export const number = (text: string): number => (text.trim() === '' ? NaN : Number(text));

/** `k=v`, collected into one record; the strategy's schema judges the values. */
export function collectParam(text: string, params: Record<string, number>): Record<string, number> {
  const match = /^([A-Za-z][A-Za-z0-9_]*)=(.+)$/.exec(text.trim());
  if (!match) throw new InvalidArgumentError(`"${text}" is not name=value (e.g. --param fast=10).`);
  const value = Number(match[2]);
  if (!Number.isFinite(value))
    throw new InvalidArgumentError(`params.${match[1]}: "${match[2]}" is not a number.`);
  return { ...params, [match[1]!]: value };
}

/** all-in | fraction:F | fixed:Q | risk:F */
export function parseSizing(text: string): Sizing {
  const [mode, value] = text.split(':');
  const amount = number(value ?? '');
  switch (mode) {
    case 'all-in':
      return { mode: 'all-in' };
    case 'fraction':
      return { mode: 'fraction', fraction: amount };
    case 'fixed':
      return { mode: 'fixed', quantity: amount };
    case 'risk':
      return { mode: 'risk', riskFraction: amount };
    default:
      throw new InvalidArgumentError('sizing must be all-in, fraction:F, fixed:QUANTITY or risk:F.');
  }
}

/** The money side of a backtest, as both commands take it. */
export interface CostFlags {
  cash?: number;
  commission?: number;
  fixedFee?: number;
  slippage?: number;
  lot?: number;
  sizing?: Sizing;
}

/** Adds --cash, --commission, --fixed-fee, --slippage, --lot and --sizing, naming the shared defaults. */
export function withCostOptions(command: Command): Command {
  return command
    .option('--cash <amount>', `starting cash (default ${d.cash})`, number)
    .option('--commission <fraction>', `fraction of traded value per fill (default ${d.commission})`, number)
    .option('--fixed-fee <amount>', `money per fill on top of the commission (default ${d.fixedFee})`, number)
    .option(
      '--slippage <fraction>',
      `fraction of price lost on market and stop fills (default ${d.slippage})`,
      number,
    )
    .option('--lot <size>', `lot size: 1 for shares, e.g. 0.001 for crypto (default ${d.lotSize})`, number)
    .option('--sizing <mode>', 'all-in (default), fraction:F, fixed:QUANTITY or risk:F', parseSizing);
}

/** The cost flags given, under the spec's field names; absent flags leave the spec's defaults. */
export function costsFromFlags(opts: CostFlags): Partial<BacktestSpecInput> {
  return {
    ...(opts.cash !== undefined ? { cash: opts.cash } : {}),
    ...(opts.commission !== undefined ? { commission: opts.commission } : {}),
    ...(opts.fixedFee !== undefined ? { fixedFee: opts.fixedFee } : {}),
    ...(opts.slippage !== undefined ? { slippage: opts.slippage } : {}),
    ...(opts.lot !== undefined ? { lotSize: opts.lot } : {}),
    ...(opts.sizing !== undefined ? { sizing: opts.sizing } : {}),
  };
}

/** The run flags `autobot backtest` and `autobot paper` share. */
export interface SpecFlags extends CostFlags {
  strategy: string;
  param: Record<string, number>;
  closeAtEnd?: boolean;
  breaker: string[];
  /** `--reinvest base=…,cap=…` (reinvest-flag.ts). */
  reinvest?: string;
}

/** Those flags as the run's spec: both commands run the same spec, so they build it in one place. */
export function specFromFlags(opts: SpecFlags): BacktestSpecInput {
  const spec: BacktestSpecInput = {
    strategy: opts.strategy,
    params: opts.param,
    ...costsFromFlags(opts),
    ...(opts.closeAtEnd ? { closeAtEnd: true } : {}),
  };
  const breakers = parseBreakerFlags(opts.breaker);
  if (breakers !== undefined) spec.breakers = breakers;
  const reinvestment = parseReinvestFlag(opts.reinvest);
  if (reinvestment !== undefined) spec.reinvestment = reinvestment;
  return spec;
}

export function print(command: Command, text: string): void {
  const write = command.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
  write(`${text}\n`);
}

/** A remark beside the output (on stderr, so stdout stays the result alone, e.g. one JSON object). */
export function note(command: Command, text: string): void {
  const write = command.configureOutput().writeErr ?? ((s: string) => process.stderr.write(s));
  write(`${text}\n`);
}

/** One line per named field when several were refused, else the message. */
export function describeError(error: unknown): string {
  if (error instanceof AutobotError) {
    const issues = error.issues ?? [];
    if (issues.length > 1) return issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n');
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Rows of cells as aligned plain-text columns (the first row sets the column count). */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
