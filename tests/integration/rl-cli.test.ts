// `autobot rl train` as a user types it: without a licence that includes `rl` it is refused with the
// reason (exit 1); with one it trains through rl.train, saves the model, and --json's three figures
// are the saved model's.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { rlSummary, rlTrain } from '../../core/cli/rl-command.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { sharedDataFile } from '../support/shared-data.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const temp = makeTempDir('autobot-rl-cli-');
afterAll(() => temp.cleanup());

describe('autobot rl train', () => {
  it('is refused without a licence that includes rl, saying so', async () => {
    const failure = await promisify(execFile)(
      process.execPath,
      [
        path.join(repoRoot, 'bin', 'autobot.js'),
        ...['rl', 'train', '--steps', '1000', '--json', '--data-dir', temp.dir],
        ...['--keychain-service', `autobot-rl-cli-test-${process.pid}`],
      ],
      { cwd: repoRoot },
    ).then(
      () => null,
      (error: { code?: number; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/"rl" needs a licence/);
  });

  it('trains, saves and reports solvedAtStep, finalMeanReturn and stepsPerSecond', async () => {
    const dataDir = path.join(temp.dir, 'licensed');
    const { app, vendor } = await createLicensedTestApp({ dataDir });
    try {
      await app.license.install(vendor.issue({ features: ['rl'] }));
      const model = await rlTrain(app, { env: 'cartpole', algo: 'dqn', steps: 1500, seed: 4 }, 'cli-test');
      const summary = rlSummary(model);
      expect(Object.keys(summary)).toEqual(['solvedAtStep', 'finalMeanReturn', 'stepsPerSecond']);
      expect(summary.finalMeanReturn).toBe(model.finalMeanReturn);
      expect(summary.stepsPerSecond).toBeGreaterThan(0);
      const listed = await app.dispatch('rl.models.list', {});
      expect(listed).toMatchObject({ ok: true, value: { models: [{ id: model.id }] } });
    } finally {
      app.close();
    }
  });

  it.skipIf(sharedDataFile('GOOG.csv') === null)(
    '--env trading --csv imports the file, trains on it and reports the test split beside buy & hold',
    async () => {
      const dataDir = path.join(temp.dir, 'trading');
      // The CLI's host: it imports files by path.
      const { app, vendor } = await createLicensedTestApp({ dataDir, host: 'cli' });
      try {
        await app.license.install(vendor.issue({ features: ['rl'] }));
        const model = await rlTrain(
          app,
          {
            env: 'trading',
            algo: 'ppo',
            steps: 1024,
            seed: 1,
            csv: sharedDataFile('GOOG.csv')!,
            short: true,
          },
          'cli-trading',
        );
        expect(model.name).toBe('PPO trading GOOG 1d seed 1');
        const summary = rlSummary(model);
        expect(summary.test?.buyHoldReturnPct).toBe(model.evaluation.trading!.test.buyHoldReturnPct);
        expect(model.evaluation.trading!.observation.allowShort).toBe(true);
        const stored = await app.dispatch('candles.list', {});
        expect(JSON.stringify(stored)).toContain('GOOG');
      } finally {
        app.close();
      }
    },
    120_000,
  );
});
