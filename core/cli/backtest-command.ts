// `autobot backtest --csv FILE --strategy NAME --param k=v …`: a backtest from the terminal, as a
// table or as one JSON object. It is a `backtest.run` call through the app's dispatcher, like the
// Backtest page's: the contract checks every value and names the field it refuses, and the run is
// saved in the history the app shows (unless --no-save). Output goes through commander's output
// configuration and failures through command.error(), so tests see exit codes instead of exits.
import path from 'node:path';
import type { Command } from 'commander';
import type { BacktestMetrics, BacktestResult } from '../backtest/spec.ts';
import { maxCurvePoints } from '../contract/calls.ts';
import { decimalsOf, formatAtDecimals } from '../contract/price-format.ts';
import {
  call,
  dataFromFlags,
  openCliApp,
  withAppOptions,
  withCandleAndStrategyOptions,
  type AppFlags,
  type DataFlags,
} from './cli-app.ts';
import { reinvestFlagUsage } from './reinvest-flag.ts';
import { breakerTripsJson, collectBreaker } from './breaker-flag.ts';
import {
  collectParam,
  describeError,
  note,
  print,
  specFromFlags,
  table,
  withCostOptions,
  type CostFlags,
} from './command-support.ts';

interface BacktestOptions extends CostFlags, AppFlags, DataFlags {
  strategy: string;
  param: Record<string, number>;
  closeAtEnd?: boolean;
  mode?: 'api' | 'kernel';
  breaker: string[];
  reinvest?: string;
  json?: boolean;
  full?: boolean;
}

/** The JSON the CLI prints: the metrics flat, the curve and the trade list only when asked. */
export function backtestJson(result: BacktestResult, full: boolean): Record<string, unknown> {
  return {
    strategy: result.strategy,
    params: result.params,
    ...result.metrics,
    openTrade: result.openTrade,
    rejections: result.rejections,
    priceDecimals: result.priceDecimals,
    ruin: result.ruin ?? null,
    breakerTrips: breakerTripsJson(result.breakerTrips ?? []),
    ...(full ? { tradeList: result.trades, equity: result.equity } : {}),
  };
}

const money = (value: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const figure = (value: number | null, suffix = '', digits = 2) =>
  value === null ? '—' : `${value.toFixed(digits)}${suffix}`;
/** "2004-08-19" for midnight bars, "2024-01-02 13:45" otherwise (UTC). */
function date(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 16).replace('T', ' ');
}

function metricRows(m: BacktestMetrics): [string, string][] {
  return [
    ['Period', `${date(m.startTime)} → ${date(m.endTime)} (${m.bars} bars)`],
    ['Start equity', money(m.startEquity)],
    ['Final equity', money(m.finalEquity)],
    ['Peak equity', money(m.peakEquity)],
    ['Return', figure(m.returnPct, ' %')],
    ['CAGR', figure(m.cagrPct, ' %')],
    ['Buy & hold return', figure(m.buyHoldReturnPct, ' %')],
    [
      'Max drawdown',
      `${figure(m.maxDrawdownPct, ' %')} over ${m.maxDrawdownBars} bars (${figure(m.maxDrawdownDays, ' days', 0)})`,
    ],
    ['Sharpe', figure(m.sharpe)],
    ['Sortino', figure(m.sortino)],
    ['Calmar', figure(m.calmar)],
    ['Trades', String(m.trades)],
    ['Win rate', figure(m.winRatePct, ' %')],
    ['Profit factor', figure(m.profitFactor)],
    [
      'Avg / best / worst trade',
      `${figure(m.avgTradePct, ' %')} / ${figure(m.bestTradePct, ' %')} / ${figure(m.worstTradePct, ' %')}`,
    ],
    ['Expectancy', m.expectancy === null ? '—' : `${money(m.expectancy)} per trade`],
    ['Exposure', figure(m.exposurePct, ' %')],
    ['Commissions', money(m.commissions)],
  ];
}

export function backtestText(result: BacktestResult, full: boolean): string {
  // At the instrument's decimals, as the app shows them: EURUSD 1.07219, never 1.07 or 1.0721900000000001.
  const price = (value: number) => formatAtDecimals(value, result.priceDecimals);
  // On the lot-size grid: 39.6825 for lots of 0.0001, never 39.682500000000005.
  const size = (value: number) => formatAtDecimals(value, decimalsOf(result.spec.lotSize));
  const params = Object.entries(result.params)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const lines = [`${result.strategy} ${params}`, '', table(metricRows(result.metrics))];
  const open = result.openTrade;
  if (open) {
    lines.push(
      '',
      `Open at the end: ${open.side} ${size(open.size)} from ${date(open.entryTime)} at ${price(open.entryPrice)}, ` +
        `marked ${price(open.markPrice)}: ${money(open.pnl)} (${figure(open.returnPct, ' %')})`,
    );
  }
  if (result.ruin) {
    lines.push(
      '',
      `Account ruined on ${date(result.ruin.time)}: equity reached ${money(result.ruin.equity)} at that close; the position was closed there and trading stopped.`,
    );
  }
  for (const rejection of result.rejections) lines.push(`Rejected ${rejection.count}×: ${rejection.reason}`);
  const policy = result.spec.reinvestment;
  if (policy !== undefined) {
    const pct = (value: number) => `${+(value * 100).toFixed(4)} %`;
    lines.push(
      '',
      `Reinvestment: entries spend ${money(policy.baseBudget)} + ${pct(policy.reinvestShare)} of realised profit, at most ${money(policy.cap)}, ` +
        `cut by ${pct(policy.derisk)} while closed-trade drawdown exceeds ${pct(policy.drawdownThreshold)}.`,
    );
  }
  if (result.spec.breakers !== undefined) {
    const trips = result.breakerTrips ?? [];
    lines.push('', trips.length === 0 ? 'Breakers: none tripped.' : `Breaker trips (${trips.length}):`);
    for (const trip of trips)
      lines.push(`  bar ${trip.bar} ${date(trip.time)} ${trip.breaker}: ${trip.message}`);
  }
  if (full && result.trades.length > 0) {
    const header = [
      'side',
      'size',
      'entry',
      'entry price',
      'exit',
      'exit price',
      'pnl',
      'return',
      'exit reason',
    ];
    const rows = result.trades.map((trade) => [
      trade.side,
      size(trade.size),
      date(trade.entryTime),
      price(trade.entryPrice),
      date(trade.exitTime),
      price(trade.exitPrice),
      money(trade.pnl),
      figure(trade.returnPct, ' %'),
      trade.exitReason,
    ]);
    lines.push('', table([header, ...rows]));
  }
  return lines.join('\n');
}

export function registerBacktestCommand(program: Command): Command {
  const command = withCandleAndStrategyOptions(
    program
      .command('backtest')
      .description('Backtest a strategy on a CSV of candles (formulas and fill rules: docs/backtesting.md).'),
  ).option('--param <name=value>', 'strategy parameter, repeatable (e.g. --param fast=10)', collectParam, {});
  return withAppOptions(withCostOptions(command))
    .option('--close-at-end', 'close a position still open at the last close and count it as a trade')
    .option('--mode <mode>', 'kernel (default) or api: the strategy-object path, same results')
    .option(
      '--breaker <name=value>',
      'apply a circuit breaker, repeatable: daily-loss=5% loss-streak=3:60m volatility=3%:5 max-drawdown=20% order-rate=10:50 (docs/risk.md); runs on the api path',
      collectBreaker,
      [],
    )
    .option(
      '--reinvest <policy>',
      `size each entry by a reinvestment policy instead of the sizing: a budget that grows by a share of realised profit up to a cap and is cut while closed-trade drawdown exceeds a threshold (docs/reinvestment.md); runs on the api path: ${reinvestFlagUsage}`,
    )
    .option('--json', 'print one JSON object instead of a table')
    .option('--full', 'also print the trade list (and, with --json, the equity curve)')
    .action(async (opts: BacktestOptions, command: Command) => {
      let output: string | undefined;
      let saved: string | undefined;
      let failure: string | undefined;
      let app: ReturnType<typeof openCliApp> | undefined;
      try {
        const data = dataFromFlags(opts);
        const spec = specFromFlags(opts);
        app = openCliApp(opts);
        const { run, result } = await call(app, 'backtest.run', {
          data,
          spec,
          save: opts.save,
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          // The curve is printed only with --full; then every bar (up to the contract's cap).
          ...(opts.full ? { curvePoints: maxCurvePoints } : {}),
          ...(opts.mode !== undefined ? { mode: opts.mode } : {}),
        });
        const source = data.source === 'csv' ? path.basename(opts.csv!) : `${opts.symbol} ${opts.timeframe}`;
        if (run) saved = `Saved as backtest #${run.id} "${run.label}" in ${app.dataDir}.`;
        output = opts.json
          ? JSON.stringify(backtestJson(result, opts.full ?? false))
          : `${source}: ${backtestText(result, opts.full ?? false)}`;
      } catch (error) {
        failure = describeError(error);
      } finally {
        app?.close();
      }
      if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.backtest' });
      print(command, output!);
      if (saved) note(command, saved);
    });
}
