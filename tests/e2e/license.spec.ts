// The License page as a buyer meets it: free pages open from the first run, a refused key
// explained where it is seen, a valid key showing plan and instances, and the activation request
// only for a machine-bound licence.
import { expect, keepScreenshot, test } from './support/fixtures.ts';

test('a fresh app opens where asked: free pages open, licensed ones locked and saying why', async ({
  host,
  page,
}) => {
  await page.goto(`${host.url}/#/chart`);
  await expect(page.getByTestId('page-title')).toHaveText('Chart');
  await expect(page.getByTestId('nav-backtest')).toBeEnabled();
  await expect(page.getByTestId('nav-optimizer')).toBeEnabled();
  await expect(page.getByTestId('nav-settings')).toBeEnabled();
  await expect(page.getByTestId('nav-account')).toBeDisabled();
  await expect(page.getByTestId('test-key-banner')).toBeVisible();

  // A locked page opened by its address says what unlocks it.
  await page.goto(`${host.url}/#/account`);
  await expect(page.getByTestId('page-locked')).toContainText('14-day trial');
  await page.getByTestId('page-locked').getByRole('button').click();
  await expect(page.getByTestId('page-title')).toHaveText('License');
  await expect(page.getByTestId('license-state')).toContainText('No licence is installed');
  await expect(page.getByTestId('license-key')).toHaveAttribute('placeholder', /^AUTOBOT1\./);
  await keepScreenshot(page, 'license-first-run');
});

test('a bad key shows why; a valid one unlocks and shows plan and instances', async ({ host, page }) => {
  await page.goto(`${host.url}/#/license`);

  // A key signed by someone else's private key.
  const forger = (await import('../support/test-license.ts')).makeTestVendor();
  await page.getByTestId('license-key').fill(forger.issue());
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-error')).toContainText(/signature/i);
  await expect(page.getByTestId('license-error')).toBeInViewport();
  await expect(page.getByTestId('nav-account')).toBeDisabled();

  await page.getByTestId('license-key').fill('not a licence');
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-error')).not.toBeEmpty();
  await keepScreenshot(page, 'license-refused');

  await page.getByTestId('license-key').fill(host.vendor.issue({ plan: 'pro', maxInstances: 7 }));
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-state')).toHaveText('Licence active.');
  await expect(page.getByTestId('license-plan')).toHaveText('pro');
  await expect(page.getByTestId('license-instances')).toHaveText('7');
  await expect(page.getByTestId('plan-badge')).toHaveText('pro');
  await expect(page.getByTestId('nav-account')).toBeEnabled();
  // Not machine-bound: no binding row, no activation request.
  await expect(page.getByTestId('license-activation')).toHaveCount(0);
  await expect(page.getByTestId('activation-request')).toHaveCount(0);
  await keepScreenshot(page, 'license-active');

  await page.getByTestId('nav-account').click();
  await expect(page.getByTestId('page-title')).toHaveText('Account');

  // Removing it locks the licensed pages again.
  await page.getByTestId('nav-license').click();
  await page.getByTestId('license-remove').click();
  await expect(page.getByTestId('license-state')).toContainText('No licence is installed');
  await expect(page.getByTestId('nav-account')).toBeDisabled();
});

test('on a phone, the result of an action is on screen without scrolling', async ({ host, page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${host.url}/#/license`);
  await page.getByTestId('license-key').fill('not a licence');
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-error')).toBeInViewport();

  await page.getByTestId('license-key').fill(host.vendor.issue({ plan: 'pro' }));
  await page.getByTestId('license-install').click();
  await expect(page.getByTestId('license-message')).toBeInViewport();
  await page.getByTestId('license-remove').scrollIntoViewIfNeeded();
  await page.getByTestId('license-remove').click();
  await expect(page.getByTestId('license-message')).toContainText('removed');
  await expect(page.getByTestId('license-message')).toBeInViewport();
});

test('a machine-bound licence shows its binding and an activation request to copy', async ({
  host,
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url });
  await host.call('license.install', { key: host.vendor.issue({ maxMachines: 2 }) });
  await page.goto(`${host.url}/#/license`);
  await expect(page.getByTestId('license-state')).toContainText('it runs once this computer is activated');
  await expect(page.getByTestId('license-activation')).toHaveText('not activated on this machine');
  const request = page.getByTestId('activation-request');
  await expect(request).toHaveValue(/^AUTOBOT-ACTREQ1\./);
  await page.getByTestId('activation-copy').click();
  await expect(page.getByTestId('license-message')).toContainText('copied');
  await expect(page.getByTestId('license-message')).toBeInViewport();
  // A string: the tests typecheck without the DOM library.
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(await request.inputValue());
  await keepScreenshot(page, 'license-activation');
});
