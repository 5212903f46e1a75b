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
  await page.getByTestId('download-until').fill('2024-01-11');
  await page.getByTestId('download-api-url').fill(fake.url);
  await page.getByTestId('download-submit').click();

  // Ten days of hours, both ends included.
  await expect(page.getByTestId('download-status')).toContainText(
    'Downloaded binance:BTC/USDT 1h: 241 bars (241 new',
  );
  await expect(page.getByTestId('series-select')).toContainText('binance:BTC/USDT · 1h · 241 bars');
  await expect(page.getByTestId('chart-bar-count')).not.toHaveText('No candles');
  await keepScreenshot(page, 'chart-download');

  // A symbol the exchange does not list is refused naming it.
  await page.getByTestId('download-symbol').fill('NOPE/USDT');
  await page.getByTestId('download-submit').click();
  await expect(page.getByTestId('download-error')).toContainText('NOPE/USDT');
});
