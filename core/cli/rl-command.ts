// `autobot rl train --env cartpole --algo ppo|dqn --steps N --seed S [--json]`: an `rl.train` call
// through the app's dispatcher (licence feature `rl`, like the RL page), on a worker thread, saved
// as a model the app lists. Prints the solve step (the first evaluation — 20 greedy episodes — with
// mean return ≥ 475, or null), the final mean return and the training speed. Ctrl-C cancels it.
import type { Command } from 'commander';
import type { App } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import type { RlModel } from '../contract/rl-calls.ts';
import { call, openCliApp, type AppFlags } from './cli-app.ts';
import { describeError, note, number, print } from './command-support.ts';

interface RlTrainOptions extends Omit<AppFlags, 'save' | 'label'> {
  env: string;
  algo: string;
  steps: number;
  seed: number;
  evalEvery?: number;
  json?: boolean;
}

export interface RlTrainSummary {
  solvedAtStep: number | null;
  finalMeanReturn: number;
  stepsPerSecond: number;
}

/** One training run through `app`, cancelled by `signal`; the model is saved. */
export async function rlTrain(
  app: App,
  opts: Pick<RlTrainOptions, 'env' | 'algo' | 'steps' | 'seed' | 'evalEvery'>,
  runId: string,
): Promise<RlModel> {
  const { model } = await call(app, 'rl.train', {
    runId,
    environment: opts.env as 'cartpole',
    algorithm: opts.algo as 'ppo',
    steps: opts.steps,
    seed: opts.seed,
    ...(opts.evalEvery !== undefined ? { evalEvery: opts.evalEvery } : {}),
  });
  return model;
}

export function rlSummary(model: RlModel): RlTrainSummary {
  return {
    solvedAtStep: model.solvedAtStep,
    finalMeanReturn: model.finalMeanReturn,
    stepsPerSecond: Math.round(model.evaluation.stepsPerSecond),
  };
}

export function registerRlCommands(program: Command): Command {
  const rl = program.command('rl').description('Reinforcement learning (licence feature rl): docs/rl.md.');
  rl.command('train')
    .description('Train a PPO or DQN policy and save it (CartPole-v1 self-test).')
    .option('--env <name>', 'environment: cartpole', 'cartpole')
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
