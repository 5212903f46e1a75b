// A URL that names no page (a typo, an old bookmark) says so and offers the way home, instead of
// a blank screen or another page that looks like the answer.
import { expect, keepScreenshot, test } from './support/fixtures.ts';

test('an unknown route shows "page not found" with a link home', async ({ host, page }) => {
  await host.license();
  await page.goto(`${host.url}/#/no-such-page`);
  await expect(page.getByTestId('page-title')).toHaveText('Page not found');
  await expect(page.getByTestId('not-found')).toContainText('no-such-page');
  await expect(page.locator('nav [aria-current="page"]')).toHaveCount(0);
  await keepScreenshot(page, 'not-found');

  await page.getByTestId('not-found-home').click();
  await expect(page).toHaveURL(/#\/dashboard$/);
  await expect(page.getByTestId('page-title')).toHaveText('Dashboard');
  await expect(page.getByTestId('not-found')).toHaveCount(0);

  // Typed into the address bar while the app runs: the same page, not the last one shown.
  await page.getByTestId('nav-backtest').click();
  await expect(page.getByTestId('page-title')).toHaveText('Backtest');
  await page.evaluate("window.location.hash = '#/backtset'");
  await expect(page.getByTestId('page-title')).toHaveText('Page not found');
  await expect(page.getByTestId('not-found')).toContainText('backtset');
  await page.goBack();
  await expect(page.getByTestId('page-title')).toHaveText('Backtest');
});

test('an unknown route says "page not found" before any licence is installed, too', async ({
  host,
  page,
}) => {
  await page.goto(`${host.url}/#/settngs`);
  await expect(page.getByTestId('page-title')).toHaveText('Page not found');
  await expect(page.getByTestId('not-found')).toContainText('settngs');
});

test('a path instead of a hash route says "page not found" too, and the link leads home', async ({
  host,
  page,
}) => {
  await host.license();
  await page.goto(`${host.url}/backtest`);
  await expect(page.getByTestId('page-title')).toHaveText('Page not found');
  await expect(page.getByTestId('not-found')).toContainText('/backtest');
  await page.getByTestId('not-found-home').click();
  await expect(page).toHaveURL(`${host.url}/#/dashboard`);
  await expect(page.getByTestId('page-title')).toHaveText('Dashboard');
});
