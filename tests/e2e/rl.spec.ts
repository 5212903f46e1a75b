// Issue #15 as a user meets it: on the RL page, train the CartPole-v1 self-test with PPO, watch the
// training curve grow while it trains, and see it solved (mean ≥ 475 over 20 greedy episodes), the
// model saved in the list. Then trading: train a small policy on imported GOOG daily bars, read its
// test split against buy & hold, and backtest it from the Backtest page.
import { readFileSync } from 'node:fs';
import { expect, keepScreenshot, test } from './support/fixtures.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';

const goog = sharedDataFile('GOOG.csv');

test('trains the CartPole self-test to solved with a live training curve', async ({ host, page }) => {
  // Bounded by steps (50,000 at most; seed 2 solves in about 6,000), not by a clock; the machine may be slow.
  test.setTimeout(300_000);
  const installed = await host.call('license.install', { key: host.vendor.issue({ features: ['rl'] }) });
  expect(installed.ok).toBe(true);

  await page.goto(`${host.url}/#/rl`);
  await expect(page.getByText('No model yet')).toBeVisible();
  await page.getByTestId('rl-algorithm').selectOption('ppo');
  await page.getByTestId('rl-preset').selectOption('tuned');
  await expect(page.getByTestId('rl-steps')).toHaveValue('50000');
  await page.getByTestId('rl-seed').fill('2');
  await page.getByTestId('rl-train').click();

  // Live: curve points arrive while the run is still training.
  await expect
    .poll(
      async () => {
        const points = Number((await page.getByTestId('rl-curve').getAttribute('data-points')) ?? 0);
        return points > 0 && (await page.getByTestId('rl-status').textContent()) === 'training…';
      },
      { timeout: 240_000 },
    )
    .toBe(true);
  await expect(page.getByTestId('rl-cancel')).toBeEnabled();

  await expect(page.getByTestId('rl-solved')).toContainText('at step', { timeout: 240_000 });
  const finalReturn = Number(await page.getByTestId('rl-final-return').textContent());
  expect(finalReturn).toBeGreaterThanOrEqual(475);
  await expect(page.getByTestId('rl-status')).toHaveText('saved');
  await expect(page.getByTestId('rl-curve')).toHaveAttribute('data-evaluations', /^[1-9]/);
  await expect(page.getByTestId('rl-models')).toContainText('PPO cartpole seed 2');
  await keepScreenshot(page, 'rl-cartpole-solved');
});

test('trains a small trading policy on a stored series, judges it against buy & hold, and backtests it', async ({
  host,
  page,
}) => {
  // Skipped only on a clone without ../shared/data; bounded by steps (4,096), not by a clock.
  test.skip(!goog, sharedDataSkipReason);
  test.setTimeout(300_000);
  const installed = await host.call('license.install', {
    key: host.vendor.issue({ features: ['backtest', 'rl'] }),
  });
  expect(installed.ok).toBe(true);
  const imported = await host.call('candles.import', {
    symbol: 'GOOG',
    timeframe: '1d',
    csv: readFileSync(goog!, 'utf8'),
  });
  expect(imported.ok).toBe(true);

  await page.goto(`${host.url}/#/rl`);
  await page.getByTestId('rl-environment').selectOption('trading');
  await expect(page.getByTestId('rl-series')).toContainText('GOOG · 1d');
  await page.getByTestId('rl-preset').selectOption('trading-quick');
  await expect(page.getByTestId('rl-steps')).toHaveValue('4096');
  await page.getByTestId('rl-split-train').fill('0.6');
  await page.getByTestId('rl-split-validation').fill('0.2');
  await page.getByTestId('rl-seed').fill('1');
  await page.getByTestId('rl-train').click();

  await expect(page.getByTestId('rl-status')).toHaveText('saved', { timeout: 240_000 });
  await expect(page.getByTestId('rl-curve')).toHaveAttribute('data-evaluations', /^[1-9]/);
  // The test split, out of sample: the policy beside buy & hold, both as figures and curves.
  await expect(page.getByTestId('rl-test-policy')).toHaveText(/^-?\d+\.\d\d %$/);
  await expect(page.getByTestId('rl-test-buyhold')).toHaveText(/^-?\d+\.\d\d %$/);
  const testReturn = (await page.getByTestId('rl-test-policy').textContent())!;
  await expect(page.getByTestId('rl-test-equity')).toHaveAttribute('data-points', /^\d{2,}$/);
  await expect(page.getByTestId('rl-models')).toContainText('PPO trading GOOG 1d seed 1');
  const modelId = (await page.getByTestId('rl-model-id').textContent())!.replace('#', '');
  await keepScreenshot(page, 'rl-trading-evaluated');

  await page.getByTestId('rl-backtest-policy').click();
  await expect(page).toHaveURL(/#\/backtest$/);
  await expect(page.getByTestId('backtest-strategy')).toHaveValue('rl-policy');
  await expect(page.getByTestId('param-modelId')).toHaveValue(modelId);
  await expect(page.getByTestId('backtest-series')).toHaveValue('GOOG|1d');
  // Only the bars it never saw: the test split's first and last day.
  await expect(page.getByTestId('backtest-from')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId('backtest-to')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await page.getByTestId('backtest-run').click();
  await expect(page.getByTestId('backtest-result')).toContainText(`rl-policy (modelId=${modelId})`);
  await expect(page.getByTestId('stat-trades')).toHaveText(/^\d+$/);
  // The same bars, costs and sizing as the evaluation: the backtest reproduces its test-split return.
  await expect(page.getByTestId('stat-returnPct')).toHaveText(testReturn);
  await keepScreenshot(page, 'rl-trading-backtest');
});
