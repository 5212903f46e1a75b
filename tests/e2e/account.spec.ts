// The API-key vault as a user sees it: keys go into the OS keychain and come back masked only.
import { expect, keepScreenshot, test } from './support/fixtures.ts';

test('adds, replaces and removes an exchange key, always shown masked', async ({ host, page }) => {
  await host.license();
  await page.goto(`${host.url}/#/account`);
  await expect(page.getByTestId('vault-empty')).toBeVisible();

  await page.getByTestId('vault-provider').fill('binance');
  await page.getByTestId('vault-key').fill('AKIA-first-key-1234');
  await page.getByTestId('vault-secret').fill('very-secret-value');
  await page.getByTestId('vault-save').click();
  await expect(page.getByTestId('vault-table')).toContainText('binance');
  await expect(page.getByTestId('vault-table')).toContainText('1234');
  await expect(page.locator('body')).not.toContainText('AKIA-first-key');
  await expect(page.locator('body')).not.toContainText('very-secret-value');

  // Replacing keeps one row per provider.
  await page.getByTestId('vault-provider').fill('binance');
  await page.getByTestId('vault-key').fill('AKIA-second-key-9876');
  await page.getByTestId('vault-secret').fill('another-secret');
  await page.getByTestId('vault-save').click();
  await expect(page.getByTestId('vault-table')).toContainText('9876');
  await expect(page.getByTestId('vault-table').locator('tbody tr')).toHaveCount(1);
  await keepScreenshot(page, 'account-vault');

  // A missing secret is refused with the field named, and nothing is stored.
  await page.getByTestId('vault-provider').fill('kraken');
  await page.getByTestId('vault-key').fill('kraken-key');
  await page.getByTestId('vault-save').click();
  await expect(page.getByTestId('vault-error')).toContainText('secret');
  await expect(page.getByTestId('vault-table').locator('tbody tr')).toHaveCount(1);

  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('vault-empty')).toBeVisible();
  const listed = await host.call<{ credentials: unknown[] }>('vault.list');
  expect(listed.ok && listed.value.credentials).toEqual([]);
});
