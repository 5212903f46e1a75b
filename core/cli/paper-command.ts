// `autobot paper --csv FILE --strategy NAME --param k=v …`: a forward test of one bot through the
// trading runtime — a replay as fast as possible → strategy → risk → execution → simulated venue →
// order journal — not through the backtest engine. It is a `paper.run` call through the app's
// dispatcher, and prints what `autobot backtest` prints (the same JSON keys), so the two compare
// line for line. The journal goes in a temporary database unless --data-dir names one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { backtestJson, backtestText } from './backtest-command.ts';
import { collectBreaker } from './breaker-flag.ts';
import { call, dataFromFlags, openCliApp, withCandleAndStrategyOptions, type DataFlags } from './cli-app.ts';
import { reinvestFlagUsage } from './reinvest-flag.ts';
import {
  collectParam,
  describeError,
  note,
  print,
  specFromFlags,
  withCostOptions,
  type CostFlags,
} from './command-support.ts';

interface PaperOptions extends CostFlags, DataFlags {
  strategy: string;
  param: Record<string, number>;
  breaker: string[];
  reinvest?: string;
  dataDir?: string;
  keychainService: string;
  bot?: string;
  closeAtEnd?: boolean;
  json?: boolean;
  full?: boolean;
}

export function registerPaperCommand(program: Command): Command {
  const command = withCandleAndStrategyOptions(
    program
      .command('paper')
      .description(
        'Forward-test a strategy as a paper bot: replay the candles through the trading runtime (risk, orders, simulated venue, journal).',
      ),
  ).option('--param <name=value>', 'strategy parameter, repeatable (e.g. --param fast=10)', collectParam, {});
  return withCostOptions(command)
    .option(
      '--data-dir <dir>',
      'folder of the database the orders are journaled in (default: a temporary one)',
    )
    .option('--keychain-service <name>', 'OS keychain service of the licence (as for serve)', 'AUTOBOT')
    .option('--bot <id>', 'the bot id its orders are journaled under (default: a new one)')
    .option('--close-at-end', 'close a position still open at the last close and count it as a trade')
    .option(
      '--breaker <name=value>',
      "apply a circuit breaker on the bars' clock, as `autobot backtest --breaker` does, repeatable: daily-loss=5% loss-streak=3:60m volatility=3%:5 max-drawdown=20% order-rate=10:50 (docs/risk.md)",
      collectBreaker,
      [],
    )
    .option(
      '--reinvest <policy>',
      `size each entry by a reinvestment policy, as autobot backtest --reinvest does (docs/reinvestment.md): ${reinvestFlagUsage}`,
    )
    .option('--json', 'print one JSON object instead of a table')
    .option('--full', 'also print the trade list (and, with --json, the equity curve)')
    .action(async (opts: PaperOptions, command: Command) => {
      let output: string | undefined;
      let failure: string | undefined;
      let remark: string | undefined;
      const temporary =
        opts.dataDir === undefined ? mkdtempSync(path.join(tmpdir(), 'autobot-paper-')) : null;
      let app: ReturnType<typeof openCliApp> | undefined;
      try {
        const data = dataFromFlags(opts);
        const spec = specFromFlags(opts);
        app = openCliApp({
          dataDir: opts.dataDir ?? temporary!,
          keychainService: opts.keychainService,
          save: false,
        });
        const run = await call(app, 'paper.run', {
          data,
          spec,
          ...(opts.bot !== undefined ? { botId: opts.bot } : {}),
        });
        const full = opts.full ?? false;
        output = opts.json
          ? JSON.stringify(backtestJson(run.result, full))
          : `${data.source === 'csv' ? path.basename(opts.csv!) : `${opts.symbol} ${opts.timeframe}`} (paper bot ${run.botId}): ${backtestText(run.result, full)}`;
        if (run.status === 'ruined') remark = `Account ruined: equity reached zero, the bot stopped trading.`;
        if (temporary === null)
          remark = [remark, `${run.orders} orders journaled in ${app.dataDir}.`].filter(Boolean).join(' ');
      } catch (error) {
        failure = describeError(error);
      } finally {
        app?.close();
        if (temporary !== null) rmSync(temporary, { recursive: true, force: true });
      }
      if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.paper' });
      print(command, output!);
      if (remark) note(command, remark);
    });
}
