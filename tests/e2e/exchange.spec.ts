// Crypto exchanges as a user meets them (issue #13): a saved key is tried against the exchange from
// the Account page, and candles are downloaded from it on the Chart page. The exchange is the
// loopback Binance in this test process, reached through the optional API URL field.
import { FakeBinance } from '../support/fake-binance.ts';
import { expect, keepScreenshot, test } from './support/fixtures.ts';

let fake: FakeBinance;
test.beforeAll(async () => {
  fake = await new FakeBinance({ balances: { USDT: 1_000, BTC: 0.5, ETH: 0 } }).start();
});
test.afterAll(async () => {
  await fake.stop();
});

test('Test connection shows the markets and balances, or the exchange’s refusal', async ({ host, page }) => {
  await host.license();
  await page.goto(`${host.url}/#/account`);
  await page.getByTestId('vault-provider').fill('binance');
  await page.getByTestId('vault-key').fill(fake.apiKey);
  await page.getByTestId('vault-secret').fill(fake.secret);
  await page.getByTestId('vault-save').click();
  await expect(page.getByTestId('vault-table')).toContainText('binance');

  await page.getByTestId('connection-api-url').fill(fake.url);
  await page.getByTestId('test-connection-binance').click();
  await expect(page.getByTestId('connection-result-binance')).toContainText(
    'Connected: 2 markets, 2 assets with a balance',
  );
  await keepScreenshot(page, 'account-test-connection');

  // A wrong secret: the exchange's own words, not a generic failure.
  await page.getByTestId('vault-provider').fill('binance');
  await page.getByTestId('vault-key').fill(fake.apiKey);
  await page.getByTestId('vault-secret').fill('not-the-secret');
  await page.getByTestId('vault-save').click();
  await page.getByTestId('test-connection-binance').click();
  await expect(page.getByTestId('connection-result-binance')).toContainText('Refused');
  await expect(page.getByTestId('connection-result-binance')).toContainText(
    'Signature for this request is not valid',
  );
});

test('downloads BTC/USDT 1h from the exchange and opens the series with its bar count', async ({
  host,
  page,
}) => {
  await host.license();
  await page.goto(`${host.url}/#/chart`);
  await page.getByTestId('download-exchange').fill('binance');
  await page.getByTestId('download-symbol').fill('BTC/USDT');
  await page.getByTestId('download-timeframe').selectOption('1h');
  await page.getByTestId('download-since').fill('2024-01-01');
  await page.getByTestId('download-until').fill('2024-04-09');
  await page.getByTestId('download-api-url').fill(fake.url);
  // Every label the button wears while it runs, so the progress the user saw can be checked after.
  // (A string: the page's DOM types are not in this test's TypeScript scope.)
  await page.evaluate(`{
    const button = document.querySelector('[data-testid="download-submit"]');
    window.downloadLabels = [];
    new MutationObserver(() => window.downloadLabels.push(button.textContent)).observe(button, {
      childList: true, characterData: true, subtree: true,
    });
  }`);
  await page.getByTestId('download-submit').click();

  // 99 days of hours, both ends included: three pages of at most 1,000 bars.
  await expect(page.getByTestId('download-status')).toContainText(
    'Downloaded binance:BTC/USDT 1h: 2,377 bars (2,377 new, 3 pages)',
  );
  await expect(page.getByTestId('series-select')).toContainText('binance:BTC/USDT · 1h · 2,377 bars');
  const labels = await page.evaluate<string[]>('window.downloadLabels');
  expect(labels.some((label) => /^Downloading… \d+ %$/.test(label))).toBe(true);
  await expect(page.getByTestId('chart-bar-count')).not.toHaveText('No candles');
  await keepScreenshot(page, 'chart-download');

  // A symbol the exchange does not list is refused naming it.
  await page.getByTestId('download-symbol').fill('NOPE/USDT');
  await page.getByTestId('download-submit').click();
  await expect(page.getByTestId('download-error')).toContainText('NOPE/USDT');
});
