// Issue #15 as a user meets it: on the RL page, train the CartPole-v1 self-test with PPO, watch the
// training curve grow while it trains, and see it solved (mean ≥ 475 over 20 greedy episodes), the
// model saved in the list.
import { expect, keepScreenshot, test } from './support/fixtures.ts';

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
