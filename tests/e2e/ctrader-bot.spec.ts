// Issue #14's end-to-end line, as a trader meets it: connect cTrader Demo through the authorisation
// page (a loopback fake of cTrader's, which approves at once), see the account, create a paper bot
// on the Demo session's EURUSD spots, watch it take closed bars and trade them, then disconnect
// Demo and see the bot stopped saying why. Its chart draws the closed bars, stored under
// "ctrader-demo:EURUSD" (not the bare broker symbol a user's CSV may hold). The Open API peer and the OAuth server run in this test
// process over TLS with a CA made now; `autobot serve` is pointed at them by AUTOBOT_CTRADER_PEER.
import { createServer, type AddressInfo } from 'node:net';
import type { Bar } from '../../core/domain/bar.ts';
import { CTraderPeer } from '../support/ctrader-peer.ts';
import { OAuthServer } from '../support/oauth-server.ts';
import { makeTestCertificates } from '../support/test-certificates.ts';
import type { Page } from '@playwright/test';
import { expect, keepScreenshot, test as base } from './support/fixtures.ts';
import { startHeadlessHost } from './support/headless-host.ts';

interface Fakes {
  peer: CTraderPeer;
  oauth: OAuthServer;
  ca: string;
  redirectPort: number;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const test = base.extend<{ fakes: Fakes }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern here.
  fakes: async ({}, use) => {
    const certs = makeTestCertificates();
    const oauth = await OAuthServer.start(certs.valid, 'my-open-api-app', 'my-open-api-secret');
    const peer = await CTraderPeer.start({
      pair: certs.valid,
      clientId: 'my-open-api-app',
      clientSecret: 'my-open-api-secret',
      accessToken: 'unused',
      refreshToken: 'unused',
      heartbeatMs: 1000,
    });
    oauth.onIssue = (token) => peer.acceptToken(token);
    await use({ peer, oauth, ca: certs.ca, redirectPort: await freePort() });
    await peer.close();
    await oauth.close();
  },
  host: async ({ fakes }, use) => {
    const host = await startHeadlessHost({
      env: {
        AUTOBOT_CTRADER_PEER: JSON.stringify({
          oauth: fakes.oauth.origin,
          demo: `127.0.0.1:${fakes.peer.endpoint.port}`,
          ca: fakes.ca,
          redirectPort: fakes.redirectPort,
        }),
      },
    });
    await use(host);
    await host.stop();
  },
});
// The fake authorisation page presents the test CA's certificate, which this browser does not know.
test.use({ ignoreHTTPSErrors: true });

const start = Date.UTC(2026, 11, 1, 9, 0) / 1000;
const closes = [
  1.085, 1.0856, 1.0862, 1.0868, 1.0861, 1.0852, 1.0843, 1.0836, 1.0842, 1.0851, 1.0859, 1.0866, 1.0872,
  1.0864, 1.0855, 1.0847, 1.0839, 1.0846, 1.0854, 1.0863,
];
const bars: Bar[] = closes.map((close, i) => {
  const open = i === 0 ? 1.0848 : closes[i - 1]!;
  return {
    time: start + i * 60,
    open,
    high: Math.round((Math.max(open, close) + 0.0002) * 100_000) / 100_000,
    low: Math.round((Math.min(open, close) - 0.0002) * 100_000) / 100_000,
    close,
    volume: 4,
  };
});

/** Saves the Open API application and connects Demo through the fake sign-in page. */
async function connectDemo(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/#/account`);
  await page.getByTestId('ctrader-client-id').fill('my-open-api-app');
  await page.getByTestId('ctrader-client-secret').fill('my-open-api-secret');
  await page.getByTestId('ctrader-save-application').click();
  await page.getByTestId('ctrader-connect-demo').click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('link', { name: "cTrader's sign-in page" }).click();
  const signIn = await popup;
  await expect(signIn.getByText('AUTOBOT is connected')).toBeVisible();
  await signIn.close();
  await expect(page.getByTestId('ctrader-demo-state')).toHaveText('connected');
}

test('connect Demo, see the account, run a paper bot on its spots, disconnect', async ({
  host,
  page,
  fakes,
}) => {
  await host.license();
  await page.goto(`${host.url}/#/account`);
  await page.getByTestId('ctrader-client-id').fill('my-open-api-app');
  await page.getByTestId('ctrader-client-secret').fill('my-open-api-secret');
  await page.getByTestId('ctrader-save-application').click();
  await expect(page.getByTestId('ctrader-section')).toContainText('Stored (••••-app)');

  // The sign-in page opens in its own window; approving lands on AUTOBOT's loopback redirect.
  await page.getByTestId('ctrader-connect-demo').click();
  const popup = page.waitForEvent('popup');
  await page.getByRole('link', { name: "cTrader's sign-in page" }).click();
  const signIn = await popup;
  await expect(signIn.getByText('AUTOBOT is connected')).toBeVisible();
  expect(new URL(signIn.url()).port).toBe(String(fakes.redirectPort));
  await signIn.close();

  await expect(page.getByTestId('ctrader-demo-state')).toHaveText('connected');
  const accounts = page.getByTestId('ctrader-demo-accounts');
  await expect(accounts).toContainText('Loopback Markets');
  await expect(accounts).toContainText('5001001');
  await expect(accounts).toContainText('demo');
  await expect(accounts).toContainText('10,000');
  expect(fakes.oauth.pkceVerified).toBe(1);
  await keepScreenshot(page, 'ctrader-connected');

  // A paper bot on the Demo session's EURUSD minute bars.
  await page.goto(`${host.url}/#/bots`);
  await page.getByTestId('bot-feed').selectOption('demo');
  // The symbol field suggests the broker's symbols.
  const suggested = page.getByTestId('bot-broker-symbols').locator('option');
  await expect(suggested).toHaveCount(2);
  await expect(suggested.nth(0)).toHaveAttribute('value', 'EURUSD');
  await expect(suggested.nth(1)).toHaveAttribute('value', 'PALMOIL');
  await page.getByTestId('bot-symbol').fill('EURUSD');
  await page.getByTestId('bot-timeframe').selectOption('1m');
  await page.getByTestId('bot-strategy').selectOption('sma-cross');
  await page.getByTestId('bot-params').fill('fast=2, slow=4');
  await page.getByTestId('bot-create').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('created');
  await expect(page.getByTestId('bot-row-1')).toContainText('EURUSD 1m · cTrader Demo spots');

  await page.getByTestId('bot-start-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');
  // The bot's feed has asked the peer for EURUSD spots: from here every spot reaches it.
  await expect.poll(() => fakes.peer.counts.spotsSubscribed).toBe(1);
  await page.getByTestId('bot-open-1').click();
  for (const bar of bars) fakes.peer.pushBar(1, bar, '1m');
  // The next minute's first spot closes the last bar.
  fakes.peer.pushSpot(1, 108_630, 108_632, (start + bars.length * 60) * 1000);

  const fills = page.getByTestId('bot-fills').locator('tbody tr');
  await expect(fills.first()).toBeVisible();
  await expect.poll(() => fills.count()).toBeGreaterThan(1);
  await expect(page.getByTestId('bot-orders').locator('tbody tr').first()).toContainText('FILLED');
  await expect(page.getByTestId('bot-detail')).toContainText('cTrader Demo spots');
  await expect(page.getByTestId('bot-detail-position')).toHaveText(/^(long|short) \d+ @ /);
  // The chart draws the bars stored so far, from the bot's own series.
  await expect(page.getByTestId('bot-chart-series')).toContainText('ctrader-demo:EURUSD 1m');
  await expect(page.getByTestId('bot-chart')).not.toHaveAttribute('data-bars', '0');
  await keepScreenshot(page, 'ctrader-bot-running');

  // Disconnect Demo on the Account page: the bot stops, and says why.
  await page.goto(`${host.url}/#/account`);
  await page.getByRole('button', { name: 'Disconnect Demo' }).click();
  await expect(page.getByTestId('ctrader-demo-state')).toHaveText('disconnected');
  await page.goto(`${host.url}/#/bots`);
  await expect(page.getByTestId('bot-status-1')).toHaveText('stopped');
  await page.getByTestId('bot-open-1').click();
  await expect(page.getByTestId('bot-message')).toHaveText(
    'The feed ended: cTrader Demo was disconnected (disconnected by the user).',
  );
  await expect(page.getByTestId('bot-detail-bars')).toContainText(String(bars.length));
  // Every closed bar is on the chart, and marked: a stopped bot's equity curve reads them too.
  await expect(page.getByTestId('bot-chart')).toHaveAttribute('data-bars', String(bars.length));
  await expect(page.getByTestId('bot-chart-series')).toHaveText(
    `ctrader-demo:EURUSD 1m · ${bars.length} bars`,
  );
  await expect(page.getByTestId('equity-chart')).toHaveAttribute('data-points', String(bars.length));
  await keepScreenshot(page, 'ctrader-bot-disconnected');
});

test("run a bot whose orders go to cTrader Demo: the broker fills them, and the page shows the broker's fills", async ({
  host,
  page,
  fakes,
}) => {
  await host.license();
  await connectDemo(page, host.url);

  await page.goto(`${host.url}/#/bots`);
  await page.getByTestId('bot-feed').selectOption('demo');
  await page.getByTestId('bot-symbol').fill('EURUSD');
  await page.getByTestId('bot-timeframe').selectOption('1m');
  await page.getByTestId('bot-strategy').selectOption('sma-cross');
  await page.getByTestId('bot-params').fill('fast=2, slow=4');
  await page.getByTestId('bot-venue').selectOption('live');
  // Demo is not real money: no confirmation asked.
  await expect(page.getByTestId('bot-real-money')).toHaveCount(0);
  await page.getByTestId('bot-create').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('created');
  await expect(page.getByTestId('bot-venue-1')).toContainText('orders to cTrader Demo (live orders)');

  await page.getByTestId('bot-start-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');
  await expect.poll(() => fakes.peer.counts.spotsSubscribed).toBe(1);
  await page.getByTestId('bot-open-1').click();
  await expect(page.getByTestId('bot-detail-venue')).toHaveText('cTrader Demo (live orders)');
  for (const bar of bars) fakes.peer.pushBar(1, bar, '1m');
  fakes.peer.pushSpot(1, 108_630, 108_632, (start + bars.length * 60) * 1000);

  // Every order the page lists reached the broker under its client order id, and every deal the
  // broker made is one fill on the page.
  const fills = page.getByTestId('bot-fills').locator('tbody tr');
  // The bars are all pushed: the bot's last order and its deal come, then the page shows them all.
  await expect(page.getByTestId('bot-detail-bars')).toContainText(String(bars.length));
  await expect
    .poll(async () => fakes.peer.deals.length > 1 && (await fills.count()) === fakes.peer.deals.length)
    .toBe(true);
  const orderRows = page.getByTestId('bot-orders').locator('tbody tr');
  await expect(orderRows.first()).toContainText('FILLED');
  const ids = await orderRows.locator('td.font-mono').allTextContents();
  const atBroker = [...fakes.peer.orders.values()].map((order) => order.clientOrderId);
  expect(ids.length).toBeGreaterThan(1);
  for (const id of ids) expect(atBroker).toContain(id);
  await keepScreenshot(page, 'ctrader-bot-live-orders');

  await page.getByTestId('bot-stop-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('stopped');
});
