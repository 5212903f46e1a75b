// The Sentiment, Macro, Tech and Shopify pages as a user meets them: labelled demo data with real
// content on a wide and a phone screen; then, with keys saved against a loopback stand-in for the
// providers, the label gone and the stand-in's values shown; and an rsi backtest on GOOG filtered
// on the sentiment of a recorded set of headlines, started from the Sentiment page.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { peerKeys, startProviderPeer, type ProviderPeer } from '../support/provider-peer.ts';
import { sharedDataFile, sharedDataSkipReason } from '../support/shared-data.ts';
import { expect, keepScreenshot, test as base } from './support/fixtures.ts';
import { startHeadlessHost } from './support/headless-host.ts';

const test = base.extend<{ peer: ProviderPeer }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern here.
  peer: async ({}, use) => {
    const peer = await startProviderPeer();
    await use(peer);
    await peer.close();
  },
  host: async ({ peer }, use) => {
    const host = await startHeadlessHost({ env: { AUTOBOT_PROVIDER_PEER: peer.url } });
    await use(host);
    await host.stop();
  },
});

const headlinesFile = path.resolve(import.meta.dirname, '..', 'support', 'fixtures', 'goog-headlines.json');

async function open(page: Page, url: string, id: string) {
  await page.goto(`${url}/#/${id}`);
  await expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page');
}

for (const width of [1440, 390]) {
  test(`each page shows labelled demo data with real content at ${width} px`, async ({ host, page }) => {
    await host.license();
    await page.setViewportSize({ width, height: width > 800 ? 900 : 844 });

    await open(page, host.url, 'sentiment');
    await expect(page.getByTestId('demo-label').first()).toBeVisible();
    await expect(page.getByTestId('news-headlines').locator('li').first()).toBeVisible();
    await expect(page.getByTestId('cache-misses')).toHaveText('1');
    await keepScreenshot(page, `sentiment-demo-${width}`);

    await open(page, host.url, 'macro');
    await expect(page.getByTestId('macro-CPIAUCSL').getByTestId('demo-label')).toBeVisible();
    await expect(page.getByTestId('macro-UNRATE-latest')).toHaveText(/^\d+\.\d+$/);
    await expect(page.getByTestId('macro-DGS10-chart').locator('polyline')).toBeVisible();
    await keepScreenshot(page, `macro-demo-${width}`);

    await open(page, host.url, 'tech');
    await expect(page.getByTestId('demo-label')).toBeVisible();
    await expect(page.getByTestId('tech-row')).toHaveCount(3);
    await keepScreenshot(page, `tech-demo-${width}`);

    await open(page, host.url, 'shopify');
    await expect(page.getByTestId('demo-label')).toBeVisible();
    await expect(page.getByTestId('shopify-total')).toHaveText(/^\$[\d,]+\.\d\d$/);
    await expect(page.getByTestId('shopify-chart').locator('rect').first()).toBeVisible();
    await keepScreenshot(page, `shopify-demo-${width}`);
  });
}

test('with keys saved against the loopback providers, the label goes and their values show', async ({
  host,
  page,
}) => {
  await host.license();

  await open(page, host.url, 'macro');
  await expect(page.getByTestId('macro-CPIAUCSL').getByTestId('demo-label')).toBeVisible();
  await page.getByTestId('key-fred').fill(peerKeys.fred);
  await page.getByTestId('key-fred-save').click();
  await expect(page.getByTestId('provider-fred-mode')).toContainText('key ••••');
  await expect(page.getByTestId('macro-CPIAUCSL-latest')).toHaveText('314.159');
  await expect(page.getByTestId('demo-label')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(peerKeys.fred);

  await open(page, host.url, 'sentiment');
  await page.getByTestId('key-newsapi').fill(peerKeys.newsapi);
  await page.getByTestId('key-newsapi-save').click();
  await expect(page.getByTestId('news-headlines')).toContainText(
    'Loopback Corp soars on record profit and strong growth',
  );
  await expect(page.getByTestId('demo-label')).toHaveCount(0);

  await open(page, host.url, 'shopify');
  await page.getByTestId('key-shopify-domain').fill('loopback.myshopify.com');
  await page.getByTestId('key-shopify').fill(peerKeys.shopify);
  await page.getByTestId('key-shopify-save').click();
  await page.getByTestId('shopify-from').fill('2024-05-01');
  await page.getByTestId('shopify-to').fill('2024-05-31');
  await expect(page.getByTestId('shopify-total')).toHaveText('€1,234.56');
  await expect(page.getByTestId('shopify-reinvest')).toHaveText('€123.45');
  await expect(page.getByTestId('demo-label')).toHaveCount(0);
  await keepScreenshot(page, 'shopify-live');

  // Candles downloaded from AlphaVantage land in storage beside CSV imports; the screener reads them.
  expect(
    (await host.call('market.saveKey', { provider: 'alphavantage', key: peerKeys.alphavantage })).ok,
  ).toBe(true);
  expect((await host.call('market.importCandles', { provider: 'alphavantage', symbol: 'GOOG' })).ok).toBe(
    true,
  );
  await open(page, host.url, 'tech');
  await expect(page.getByTestId('tech-row')).toHaveCount(1);
  await expect(page.getByTestId('tech-row')).toContainText('GOOG');
  await expect(page.getByTestId('tech-row')).toContainText('104.00');
  await expect(page.getByTestId('demo-label')).toHaveCount(0);
  await page.getByTestId('tech-row').click();
  await expect(page.getByTestId('nav-chart')).toHaveAttribute('aria-current', 'page');
});

test('an rsi backtest on GOOG filtered on recorded headlines runs from the Sentiment page', async ({
  host,
  page,
}) => {
  const goog = sharedDataFile('GOOG.csv');
  test.skip(goog === null, sharedDataSkipReason);
  await host.license();
  const imported = await host.call('candles.import', {
    symbol: 'GOOG',
    timeframe: '1d',
    csv: readFileSync(goog!, 'utf8'),
  });
  expect(imported.ok).toBe(true);

  await open(page, host.url, 'sentiment');
  await page.getByTestId('sentiment-symbol').fill('GOOG');
  await page.getByTestId('sentiment-file').setInputFiles(headlinesFile);
  await expect(page.getByTestId('sentiment-message')).toContainText(
    'Stored 32 new headlines for GOOG (32 in all).',
  );
  await expect(page.getByTestId('sentiment-stored')).toHaveText(
    '32 headlines stored for GOOG, 2148 daily bars.',
  );
  await expect(page.getByTestId('stored-headlines')).toContainText('Markets crash as Lehman collapses');
  await page.getByTestId('sentiment-min').fill('0');
  await page.getByTestId('sentiment-backtest').click();
  await expect(page.getByTestId('sentiment-backtest-trades')).toHaveText(/^\d+$/);
  await keepScreenshot(page, 'sentiment-backtest');
  const runs = await host.call<{ runs: { label: string }[] }>('backtest.list');
  expect(runs.ok && runs.value.runs.map((run) => run.label)).toEqual(['rsi on GOOG 1d, minSentiment 0']);
});
