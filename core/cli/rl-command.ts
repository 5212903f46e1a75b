// `autobot rl train --env cartpole --algo ppo|dqn --steps N --seed S [--json]`: an `rl.train` call
// through the app's dispatcher (licence feature `rl`, like the RL page), on a worker thread, saved
// as a model the app lists. Prints the solve step (the first evaluation — 20 greedy episodes — with
// mean return ≥ 475, or null), the final mean return and the training speed. Ctrl-C cancels it.
// `--env trading` trains on a stored series (`--symbol`, `--timeframe`), or on `--csv FILE`, which
// is imported into the store first (as `autobot data import` would); --json then adds the test
// split's policy and buy & hold returns.
import path from 'node:path';
import type { Command } from 'commander';
import type { App } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import type { RlModel } from '../contract/rl-calls.ts';
import { call, openCliApp, type AppFlags } from './cli-app.ts';
import { describeError, note, number, print } from './command-support.ts';
import { readHead } from './data-commands.ts';

interface RlTrainOptions extends Omit<AppFlags, 'save' | 'label'> {
  env: string;
  algo: string;
  steps: number;
  seed: number;
  evalEvery?: number;
  json?: boolean;
  symbol?: string;
  timeframe?: string;
  csv?: string;
  train?: number;
  validation?: number;
  window?: number;
  short?: boolean;
}

type TradingFlags = Pick<
  RlTrainOptions,
  'symbol' | 'timeframe' | 'csv' | 'train' | 'validation' | 'window' | 'short'
>;

export interface RlTrainSummary {
  solvedAtStep: number | null;
  finalMeanReturn: number;
  stepsPerSecond: number;
  /** Trading: the test split's returns, % of the starting cash. */
  test?: { policyReturnPct: number; buyHoldReturnPct: number; trades: number };
}

/** The series a trading run trains on: a stored one, or a CSV imported into the store first. */
async function tradingSeries(app: App, flags: TradingFlags): Promise<{ symbol: string; timeframe: string }> {
  let { symbol, timeframe } = flags;
  if (flags.csv !== undefined) {
    const file = path.resolve(flags.csv);
    if (symbol === undefined || timeframe === undefined) {
      const proposal = await call(app, 'candles.inspect', {
        fileName: path.basename(file),
        head: readHead(file),
      });
      symbol ??= proposal.symbol ?? undefined;
      timeframe ??= proposal.timeframe ?? undefined;
    }
    if (symbol === undefined)
      throw new Error(`No symbol could be read from "${path.basename(file)}": give --symbol.`);
    if (timeframe === undefined) throw new Error('The timeframe could not be detected: give --timeframe.');
    await call(app, 'candles.import', { path: file, symbol, timeframe: timeframe as never, confirm: false });
  }
  if (symbol === undefined || timeframe === undefined)
    throw new Error('--env trading needs --symbol and --timeframe of a stored series, or --csv FILE.');
  return { symbol, timeframe };
}

/** One training run through `app`, cancelled by `signal`; the model is saved. */
export async function rlTrain(
  app: App,
  opts: Pick<RlTrainOptions, 'env' | 'algo' | 'steps' | 'seed' | 'evalEvery'> & TradingFlags,
  runId: string,
): Promise<RlModel> {
  const trading =
    opts.env === 'trading'
      ? {
          ...(await tradingSeries(app, opts)),
          ...(opts.train !== undefined || opts.validation !== undefined
            ? { split: { train: opts.train ?? 0.6, validation: opts.validation ?? 0.2 } }
            : {}),
          ...(opts.window !== undefined ? { window: opts.window } : {}),
          ...(opts.short ? { allowShort: true } : {}),
        }
      : undefined;
  const { model } = await call(app, 'rl.train', {
    runId,
    environment: opts.env as 'cartpole',
    ...(trading ? { trading: trading as never } : {}),
    algorithm: opts.algo as 'ppo',
    steps: opts.steps,
    seed: opts.seed,
    ...(opts.evalEvery !== undefined ? { evalEvery: opts.evalEvery } : {}),
  });
  return model;
}

export function rlSummary(model: RlModel): RlTrainSummary {
  const test = model.evaluation.trading?.test;
  return {
    solvedAtStep: model.solvedAtStep,
    finalMeanReturn: model.finalMeanReturn,
    stepsPerSecond: Math.round(model.evaluation.stepsPerSecond),
    ...(test
      ? {
          test: {
            policyReturnPct: test.policyReturnPct,
            buyHoldReturnPct: test.buyHoldReturnPct,
            trades: test.trades,
          },
        }
      : {}),
  };
}

export function registerRlCommands(program: Command): Command {
  const rl = program.command('rl').description('Reinforcement learning (licence feature rl): docs/rl.md.');
  rl.command('train')
    .description('Train a PPO or DQN policy and save it (CartPole-v1 self-test, or trading on a series).')
    .option('--env <name>', 'environment: cartpole or trading', 'cartpole')
    .option('--symbol <symbol>', 'trading: the stored series (with --csv: default from the file name)')
    .option('--timeframe <timeframe>', 'trading: the stored series (with --csv: default detected)')
    .option('--csv <file>', 'trading: import this candle CSV into the store, then train on it')
    .option('--train <fraction>', 'trading: share of the oldest bars to train on (default 0.6)', number)
    .option('--validation <fraction>', 'trading: share after it to validate on (default 0.2)', number)
    .option('--window <n>', 'trading: returns in the observation (default 16)', number)
    .option('--short', 'trading: the policy may go short')
    .option('--algo <name>', 'ppo or dqn', 'ppo')
    .option('--steps <n>', 'environment steps at most (stops early once solved)', number, 50_000)
    .option('--seed <n>', 'random seed: the same seed trains the same model', number, 1)
    .option('--eval-every <n>', 'steps between evaluations (default 1024 PPO, 2000 DQN)', number)
    .option('--data-dir <dir>', 'folder of the database the model is saved in', defaultDataDir())
    .option('--keychain-service <name>', 'OS keychain service of the licence (as for serve)', 'AUTOBOT')
    .option('--json', 'print one JSON object: solvedAtStep, finalMeanReturn, stepsPerSecond')
    .action(async (opts: RlTrainOptions, command: Command) => {
      let app: App | undefined;
      const runId = `cli-${process.pid}-${Date.now().toString(36)}`;
      const onInterrupt = () => void app?.dispatch('rl.cancel', { runId });
      process.once('SIGINT', onInterrupt);
      let output: string | undefined;
      let saved: string | undefined;
      let failure: string | undefined;
      try {
        app = openCliApp({ ...opts, save: true });
        const model = await rlTrain(app, opts, runId);
        const summary = rlSummary(model);
        saved = `Saved as model #${model.id} "${model.name}" in ${app.dataDir}.`;
        output = opts.json
          ? JSON.stringify(summary)
          : summary.test
            ? `${model.name}: test split ${summary.test.policyReturnPct.toFixed(2)} % ` +
              `(buy & hold ${summary.test.buyHoldReturnPct.toFixed(2)} %, ${summary.test.trades} trades), ` +
              `validation ${summary.finalMeanReturn.toFixed(2)} %, ${summary.stepsPerSecond} steps/s`
            : `${model.name}: ${summary.solvedAtStep === null ? 'not solved' : `solved at step ${summary.solvedAtStep}`}, ` +
              `final mean return ${summary.finalMeanReturn.toFixed(1)}, ${summary.stepsPerSecond} steps/s`;
      } catch (error) {
        failure = describeError(error);
      } finally {
        process.removeListener('SIGINT', onInterrupt);
        app?.close();
      }
      if (failure !== undefined) command.error(failure, { exitCode: 1, code: 'autobot.rl' });
      print(command, output!);
      if (saved) note(command, saved);
    });
  return rl;
}
