// First run as a buyer meets it: locked app on the License page, a refused key explained, a valid
// key unlocking every page with its plan and instance limit.
import { expect, keepScreenshot, test } from './support/fixtures.ts';

test('a fresh app opens on the License page with the rest locked', async ({ host, page }) => {
  await page.goto(`${host.url}/#/chart`);
  await expect(page.getByTestId('page-title')).toHaveText('License');
  await expect(page.getByTestId('license-state')).toContainText('No licence is installed');
  await expect(page.getByTestId('nav-chart')).toBeDisabled();
  await expect(page.getByTestId('nav-backtest')).toBeDisabled();
  await expect(page.getByTestId('nav-settings')).toBeEnabled();
  await expect(page.getByTestId('test-key-banner')).toBeVisible();
  await keepScreenshot(page, 'license-first-run');
});

test('a bad key shows why; a valid one unlocks and shows plan and instances', async ({ host, page }) => {
  await page.goto(host.url);
  await expect(page.getByTestId('page-title')).toHaveText('License');

  // A key signed by someone else's private key.
  const forger = (await import('../support/test-license.ts')).makeTestVendor();
  await page.getByTestId('license-key').fill(forger.issue());
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-error')).toContainText(/signature/i);
  await expect(page.getByTestId('nav-chart')).toBeDisabled();

  await page.getByTestId('license-key').fill('not a licence');
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-error')).not.toBeEmpty();
  await keepScreenshot(page, 'license-refused');

  await page.getByTestId('license-key').fill(host.vendor.issue({ plan: 'pro', maxInstances: 7 }));
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-state')).toHaveText('Licence active.');
  await expect(page.getByTestId('license-plan')).toHaveText('pro');
  await expect(page.getByTestId('license-instances')).toHaveText('7');
  await expect(page.getByTestId('nav-chart')).toBeEnabled();
  await keepScreenshot(page, 'license-active');

  await page.getByTestId('nav-chart').click();
  await expect(page.getByTestId('page-title')).toHaveText('Chart');

  // Removing it locks the app again.
  await page.getByTestId('nav-license').click();
  await page.getByTestId('license-remove').click();
  await expect(page.getByTestId('license-state')).toContainText('No licence is installed');
  await expect(page.getByTestId('nav-chart')).toBeDisabled();
});
