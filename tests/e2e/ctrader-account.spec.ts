// The cTrader section of the Account page as a user meets it: their own application stored (shown
// masked), Connect Live locked until real money is acknowledged, Connect Demo offering cTrader's
// sign-in page with PKCE and the paste fallback, and a pasted address of someone else's sign-in
// refused. Nothing here reaches cTrader: the sign-in page is only linked, never opened.
import { expect, keepScreenshot, test } from './support/fixtures.ts';

test('stores the application, guards Live, and refuses a foreign redirect', async ({ host, page }) => {
  await host.license();
  await page.goto(`${host.url}/#/account`);
  const section = page.getByTestId('ctrader-section');
  await expect(section).toBeVisible();
  await expect(page.getByTestId('ctrader-connect-demo')).toBeDisabled();

  await page.getByTestId('ctrader-client-id').fill('my-open-api-app-1234');
  await page.getByTestId('ctrader-client-secret').fill('open-api-secret-value');
  await page.getByTestId('ctrader-save-application').click();
  await expect(section).toContainText('Stored (••••1234)');
  await expect(page.locator('body')).not.toContainText('open-api-secret-value');

  const live = page.getByTestId('ctrader-connect-live');
  await expect(live).toBeDisabled();
  await page.getByLabel('I understand Live trades real money').check();
  await expect(live).toBeEnabled();

  await page.getByTestId('ctrader-connect-demo').click();
  const link = page.getByRole('link', { name: "cTrader's sign-in page" });
  await expect(link).toBeVisible();
  const href = new URL((await link.getAttribute('href'))!);
  expect(href.origin + href.pathname).toBe('https://openapi.ctrader.com/apps/auth');
  expect(href.searchParams.get('client_id')).toBe('my-open-api-app-1234');
  expect(href.searchParams.get('code_challenge_method')).toBe('S256');
  expect(href.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:53682/callback');
  await keepScreenshot(page, 'account-ctrader');

  await page
    .getByTestId('ctrader-paste-demo')
    .fill('http://127.0.0.1:53682/callback?code=stolen&state=forged');
  await page.getByRole('button', { name: 'Finish' }).click();
  await expect(page.getByTestId('ctrader-error')).toContainText('state does not match');
  await expect(page.getByTestId('ctrader-demo-state')).toHaveText('disconnected');
});
