// Crypto exchanges as a user meets them (issue #13): a saved key is tried against the exchange from
// the Account page (on its test network where ccxt has one), and candles are downloaded from it on the Chart page; then the whole path — a
// paper bot on the exchange's live feed, the chart counting the new bars, a forced disconnect the
// feed recovers from, and a reconciliation that shows what the exchange holds that the journal
// cannot explain. The exchange is the loopback Binance in this test process, reached through the
// optional API URL fields; its bars, drops and website orders come from its HTTP control endpoint.
import type { Page } from '@playwright/test';
import { FakeBinance } from '../support/fake-binance.ts';
import { expect, keepScreenshot, test } from './support/fixtures.ts';

let fake: FakeBinance;
test.beforeAll(async () => {
  fake = await new FakeBinance({
    balances: { USDT: 1_000, BTC: 0.5, ETH: 0 },
    // ETH/USDT 1h moves only when pushed: 48 closed hours of 2024-01-01 and 02, the 49th forming.
    tapes: [{ symbol: 'ETHUSDT', interval: '1h', from: Date.UTC(2024, 0, 1), bars: 48 }],
  }).start();
});
test.afterAll(async () => {
  await fake.stop();
});

test('Test connection shows the markets and balances, or the exchange’s refusal', async ({ host, page }) => {
  await host.license();
  await saveKey(page, host.url);
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

test('Sandbox / testnet: offered where ccxt has a test network, said in the result, remembered; off with the reason elsewhere', async ({
  host,
  page,
}) => {
  await host.license();
  await page.goto(`${host.url}/#/account`);
  for (const [provider, key, secret] of [
    ['binance', fake.apiKey, fake.secret],
    ['bitstamp', 'bitstamp-key', 'bitstamp-secret'],
  ] as const) {
    await page.getByTestId('vault-provider').fill(provider);
    await page.getByTestId('vault-key').fill(key);
    await page.getByTestId('vault-secret').fill(secret);
    await page.getByTestId('vault-save').click();
    await expect(page.getByTestId('vault-table')).toContainText(provider);
  }

  // Bitstamp has no test URL in ccxt: the box cannot be ticked, and the row says why.
  await expect(page.getByTestId('sandbox-bitstamp')).toBeDisabled();
  await expect(page.getByTestId('sandbox-bitstamp')).not.toBeChecked();
  await expect(page.getByTestId('sandbox-reason-bitstamp')).toHaveText(
    'Bitstamp has no test network in ccxt',
  );
  // Sent anyway (another client, an old page), the core refuses it naming the field, before any request.
  const refused = await host.call('exchange.testConnection', { exchange: 'bitstamp', sandbox: true });
  expect(refused).toMatchObject({
    ok: false,
    error: { code: 'invalid_input', issues: [{ path: 'sandbox' }] },
  });

  // Binance has one (here rewritten to the loopback by the API URL, path kept).
  const binanceBox = page.getByTestId('sandbox-binance');
  await expect(binanceBox).toBeEnabled();
  await expect(page.getByTestId('sandbox-reason-binance')).toHaveCount(0);
  await page.getByTestId('connection-api-url').fill(fake.url);
  await binanceBox.check();
  await page.getByTestId('test-connection-binance').click();
  await expect(page.getByTestId('connection-result-binance')).toContainText(
    'Connected to the sandbox (test network): 2 markets',
  );
  await keepScreenshot(page, 'account-sandbox');

  // The choice outlives the page, per exchange.
  await page.getByTestId('nav-chart').click();
  await page.getByTestId('nav-account').click();
  await expect(page.getByTestId('sandbox-binance')).toBeChecked();
  await expect(page.getByTestId('sandbox-bitstamp')).not.toBeChecked();

  // Untick it: the live network again, and the result says so.
  await page.getByTestId('sandbox-binance').uncheck();
  await page.getByTestId('connection-api-url').fill(fake.url);
  await page.getByTestId('test-connection-binance').click();
  await expect(page.getByTestId('connection-result-binance')).toContainText('Connected: 2 markets');
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

/** The fake's control endpoint, as anything outside the test process would reach it. */
/** The fake's key saved for binance on the Account page (the keychain vault). */
async function saveKey(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/#/account`);
  await page.getByTestId('vault-provider').fill('binance');
  await page.getByTestId('vault-key').fill(fake.apiKey);
  await page.getByTestId('vault-secret').fill(fake.secret);
  await page.getByTestId('vault-save').click();
}

/** ETH/USDT 1h of 2024-01-01 through 2024-01-02 00:00 (until is inclusive), from the Chart page. */
async function downloadEthDay(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/#/chart`);
  await page.getByTestId('download-exchange').fill('binance');
  await page.getByTestId('download-symbol').fill('ETH/USDT');
  await page.getByTestId('download-timeframe').selectOption('1h');
  await page.getByTestId('download-since').fill('2024-01-01');
  await page.getByTestId('download-until').fill('2024-01-02');
  await page.getByTestId('download-api-url').fill(fake.url);
  await page.getByTestId('download-submit').click();
}

async function control(path: string, body: object = {}): Promise<void> {
  const response = await fetch(`${fake.url}/__control/${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

test('a paper bot on the exchange’s live feed; the chart counts new bars; after a forced disconnect, a reconciliation diff', async ({
  host,
  page,
}) => {
  await host.license();
  // Connect the exchange from the Account page.
  await saveKey(page, host.url);
  await page.getByTestId('connection-api-url').fill(fake.url);
  await page.getByTestId('test-connection-binance').click();
  await expect(page.getByTestId('connection-result-binance')).toContainText('Connected: 2 markets');

  // Download the first 25 hours (until is inclusive: 2024-01-02 00:00 is the last).
  await downloadEthDay(page, host.url);
  await expect(page.getByTestId('download-status')).toContainText('Downloaded binance:ETH/USDT 1h: 25 bars');

  // A paper bot on it, fed live: the 25 stored bars, the 23 hours closed since by REST, then the stream.
  await page.goto(`${host.url}/#/bots`);
  await page.getByTestId('bot-series').selectOption('binance:ETH/USDT|1h');
  await page.getByTestId('bot-strategy').selectOption('sma-cross');
  await page.getByTestId('bot-params').fill('fast=3, slow=8');
  await page.getByTestId('bot-speed').selectOption('max');
  await page.getByTestId('bot-feed').selectOption('exchange');
  await page.getByTestId('bot-feed-api-url').fill(fake.url);
  await page.getByTestId('bot-create').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('created');
  const subscribed = fake.nextSubscription('ethusdt@kline_1h');
  await page.getByTestId('bot-start-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');
  await expect(page.getByTestId('bot-bars-1')).toHaveText('48');
  await subscribed;

  // The chart of the series counts the bars the stream brings.
  await page.goto(`${host.url}/#/chart`);
  await page.getByTestId('series-select').selectOption('binance:ETH/USDT');
  await expect(page.getByTestId('chart-bar-count')).not.toHaveText('No candles');
  await control('push', { symbol: 'ETHUSDT', interval: '1h', count: 3 });
  await expect(page.getByTestId('chart-live')).toHaveText('Live: 3 new bars');
  await keepScreenshot(page, 'chart-live');

  // Forced disconnect: every connection cut and the stream refused; two hours close meanwhile and
  // an order is placed on the exchange's website. The feed backfills them when it gets through.
  await control('drop-streams', { refuse: true });
  await control('disconnect');
  await control('push', { symbol: 'ETHUSDT', interval: '1h', count: 2 });
  await control('external-order', { symbol: 'ETHUSDT', side: 'BUY', quantity: 0.5, price: 90 });
  await expect(page.getByTestId('chart-live')).toHaveText('Live: 5 new bars');
  const back = fake.nextSubscription('ethusdt@kline_1h');
  await control('resume-streams');
  await back;
  await control('push', { symbol: 'ETHUSDT', interval: '1h', count: 1 });
  await expect(page.getByTestId('chart-live')).toHaveText('Live: 6 new bars');

  await page.goto(`${host.url}/#/bots`);
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');
  await expect(page.getByTestId('bot-bars-1')).toHaveText('54');

  // Reconcile from the Account page (the symbols the exchange-fed bots trade): the website's order
  // is what the journal cannot explain.
  await page.goto(`${host.url}/#/account`);
  await page.getByTestId('connection-api-url').fill(fake.url);
  await page.getByTestId('reconcile-binance').click();
  const diff = page.getByTestId('reconcile-diff-binance');
  await expect(diff).toContainText('external_order');
  await expect(diff).toContainText('an open buy order this app did not place');
  await expect(page.getByTestId('reconcile-adopted-binance')).toContainText('order');
  // What the journal cannot explain holds the account REDUCING until the user acknowledges it.
  await expect(page.getByTestId('risk-banner-state')).toHaveText('Trading REDUCING');
  await expect(page.getByTestId('risk-banner')).toContainText('reconcile');
  await keepScreenshot(page, 'account-reconcile');
  await page.getByTestId('reconcile-acknowledge-binance').click();
  await expect(page.getByTestId('reconcile-acknowledged-binance')).toHaveText(
    'Acknowledged 1 adoption: the account is no longer held REDUCING by reconciliation.',
  );
  await expect(page.getByTestId('risk-banner')).toHaveCount(0);
  // Acknowledged once: the next run finds the order explained, and the account stays ACTIVE.
  await page.getByTestId('reconcile-binance').click();
  await expect(page.getByTestId('reconcile-result-binance')).toContainText('Run ');
  await expect(page.getByTestId('reconcile-adopted-binance')).toHaveCount(0);
  await expect(page.getByTestId('risk-banner')).toHaveCount(0);
});

test('a bot whose orders go to the exchange: confirmed as real money, its orders at the exchange, its fills the exchange’s trades', async ({
  host,
  page,
}) => {
  await host.license();
  // The earlier test's website order is no longer open (the user cancelled it on the website), so
  // the connect reconciliation finds nothing to adopt. And the fake's wave moves more than the
  // volatility breaker's 3 % an hour: off here, since this test is about where orders go (the
  // breakers on bots are risk-bot.spec's).
  for (const order of fake.orders.values())
    if (order.status === 'NEW' || order.status === 'PARTIALLY_FILLED') order.status = 'CANCELED';
  // Market orders fill at the exchange's last price: where its ETH bars are (about 100).
  fake.lastPrice['ETHUSDT'] = 100;
  const settings = await host.call('risk.settings.set', { settings: { volatility: { enabled: false } } });
  expect(settings.ok).toBe(true);
  await saveKey(page, host.url);
  // Its strategy warms up on a downloaded day, which orders nothing.
  await downloadEthDay(page, host.url);
  await expect(page.getByTestId('download-status')).toContainText('Downloaded binance:ETH/USDT 1h');

  await page.goto(`${host.url}/#/bots`);
  await page.getByTestId('bot-series').selectOption('binance:ETH/USDT|1h');
  await page.getByTestId('bot-strategy').selectOption('sma-cross');
  await page.getByTestId('bot-params').fill('fast=2, slow=4');
  await page.getByTestId('bot-cash').fill('150');
  await page.getByTestId('bot-feed').selectOption('exchange');
  await page.getByTestId('bot-feed-api-url').fill(fake.url);
  await page.getByTestId('bot-venue').selectOption('live');
  // Real money: not created until the user says they understand.
  await page.getByTestId('bot-create').click();
  await expect(page.getByText('venue: tick “I understand this bot trades real money”')).toBeVisible();
  await expect(page.getByTestId('bot-status-1')).toHaveCount(0);
  await page.getByTestId('bot-real-money').check();
  await page.getByTestId('bot-create').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('created');
  await expect(page.getByTestId('bot-venue-1')).toContainText('orders to binance (live orders)');

  const before = new Set([...fake.orders.values()].map((order) => order.clientOrderId));
  const subscribed = fake.nextSubscription('ethusdt@kline_1h');
  await page.getByTestId('bot-start-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');
  await subscribed;
  await control('push', { symbol: 'ETHUSDT', interval: '1h', count: 24 });
  await page.getByTestId('bot-open-1').click();
  await expect(page.getByTestId('bot-detail-bars')).toContainText('24');

  // Every order the page lists is at the exchange (or refused by it, in its words: a spot account
  // cannot sell ETH it does not hold), and every trade the exchange made for them is a fill shown.
  const orderRows = page.getByTestId('bot-orders').locator('tbody tr');
  await expect.poll(() => orderRows.count()).toBeGreaterThan(1);
  const ids = await orderRows.locator('td.font-mono').allTextContents();
  const mine = [...fake.orders.values()].filter((order) => !before.has(order.clientOrderId));
  for (const id of ids) {
    const row = orderRows.filter({ hasText: id });
    const text = (await row.textContent()) ?? '';
    expect(text).not.toContain('DENIED');
    // A short sale on a spot account: refused by the exchange, never sent twice.
    if (text.includes('REJECTED') && text.includes('sell')) continue;
    expect(mine.map((order) => order.clientOrderId)).toContain(id);
  }
  const trades = () =>
    fake.trades.filter((trade) => mine.some((order) => order.orderId === trade.orderId)).length;
  const fills = page.getByTestId('bot-fills').locator('tbody tr');
  await expect.poll(async () => trades() > 0 && (await fills.count()) === trades()).toBe(true);
  await keepScreenshot(page, 'bot-live-orders-exchange');
  await page.getByTestId('bot-stop-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('stopped');
});
