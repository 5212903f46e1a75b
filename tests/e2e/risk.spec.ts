// Issue #12 as a trader meets it: the account is HALTED by the daily-loss breaker (a falling market
// the last run of AUTOBOT lived through, journaled by the real governor before this host started:
// the host rebuilds the trip at start), every page shows the banner with a countdown, the Risk page
// shows the trip in its history and refuses a bad setting by field; the kill switch asks first,
// then halts; re-arming both breakers lets trading resume and the banner goes.
import path from 'node:path';
import { test as base } from '@playwright/test';
import { breakerSettings, governorFromSettings } from '../../core/risk/breaker-settings.ts';
import { RiskJournal } from '../../core/risk/risk-journal.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { expect, keepScreenshot } from './support/fixtures.ts';
import { startHeadlessHost, type HeadlessHost } from './support/headless-host.ts';

/**
 * The previous run: equity falls 2 % a step from 10,000 until the daily-loss breaker trips. Its
 * trading day starts 12 hours from now, so the trip cannot run out while the test looks at it.
 */
function fallingMarketJournal(dataDir: string): void {
  const db = openDatabase(path.join(dataDir, 'autobot.db'));
  const dayStart = `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:00`;
  const settings = breakerSettings({ dailyLoss: { dayStart } });
  db.prepare('INSERT INTO risk_settings (id, settings, updated_at) VALUES (1, ?, ?)').run(
    JSON.stringify(settings),
    Date.now(),
  );
  const governor = governorFromSettings(settings);
  new RiskJournal(db).attach(governor);
  for (let equity = 10_000; governor.state === 'active'; equity *= 0.98) governor.onEquity(equity);
  db.close();
}

const test = base.extend<{ host: HeadlessHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern here.
  host: async ({}, use) => {
    const host = await startHeadlessHost({ prepare: fallingMarketJournal });
    await use(host);
    await host.stop();
  },
  page: async ({ page, host }, use) => {
    await host.logIn(page);
    await use(page);
  },
});

test('a tripped daily loss shows on every page; the kill switch asks first; re-arming resumes trading', async ({
  host,
  page,
}) => {
  await host.license();
  await page.goto(`${host.url}/#/dashboard`);
  const banner = page.getByTestId('risk-banner');
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('risk-banner-state')).toHaveText('Trading HALTED');
  await expect(page.getByTestId('risk-banner-countdown-daily-loss')).toHaveText(/^\d+ (h|min|s)/);
  // Another page, the same banner.
  await page.getByTestId('nav-backtest').click();
  await expect(banner).toBeVisible();

  await page.getByTestId('nav-risk').click();
  await expect(page.getByTestId('risk-state')).toHaveText('HALTED');
  await expect(page.getByTestId('breaker-state-daily-loss')).toHaveText('HALTED');
  await expect(page.getByTestId('countdown-daily-loss')).toHaveText(/^\d+ (h|min|s)/);
  const trip = page.getByTestId('risk-history').getByTestId('risk-event-trip');
  await expect(trip).toHaveCount(1);
  await expect(trip).toContainText('daily-loss');
  await expect(trip).toContainText('reached the 5 % limit');
  await keepScreenshot(page, 'risk-halted');

  // A bad setting is refused, naming the field.
  await page.getByTestId('setting-dailyLoss.limitPct').fill('0');
  await page.getByTestId('risk-settings-save').click();
  await expect(page.getByTestId('setting-error-dailyLoss.limitPct')).toHaveText('must be above 0 %');
  await page.getByTestId('setting-dailyLoss.limitPct').fill('4');
  await page.getByTestId('risk-settings-save').click();
  await expect(page.getByTestId('setting-error-dailyLoss.limitPct')).toHaveCount(0);

  // The kill switch asks before it acts.
  await page.getByTestId('kill-switch').click();
  await expect(page.getByTestId('kill-switch-confirm')).toContainText('closes every position');
  await page.getByTestId('kill-switch-confirm-button').click();
  await expect(page.getByTestId('risk-notice')).toContainText('Kill switch pressed');
  await expect(page.getByTestId('breaker-state-kill-switch')).toHaveText('HALTED');
  await expect(page.getByTestId('risk-history').getByTestId('risk-event-trip')).toHaveCount(2);

  // Re-arming both lifts the halt, and the banner goes.
  await page.getByTestId('rearm-kill-switch').click();
  await expect(page.getByTestId('breaker-state-kill-switch')).toHaveText('ACTIVE');
  await expect(banner).toBeVisible();
  await page.getByTestId('rearm-daily-loss').click();
  await expect(page.getByTestId('risk-state')).toHaveText('ACTIVE');
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('risk-history').getByTestId('risk-event-rearm')).toHaveCount(2);
  await keepScreenshot(page, 'risk-rearmed');
});

/** 300 hourly bars drifting around 100, with one 10 % drop at bar 150: a volatility spike. */
function spikeCsv(): string {
  const lines = ['time,open,high,low,close,volume'];
  let price = 100;
  for (let i = 0; i < 300; i++) {
    const open = price;
    price = i === 150 ? price * 0.9 : price * (1 + Math.sin(i / 3) * 0.004);
    lines.push(
      `${1_700_000_000 + i * 3600},${open},${Math.max(open, price)},${Math.min(open, price)},${price},1`,
    );
  }
  return `${lines.join('\n')}\n`;
}

test('a backtest with the breakers option lists each trip and marks it on the equity chart', async ({
  host,
  page,
}) => {
  await host.license();
  const imported = await host.call('candles.import', { symbol: 'SPIKE', timeframe: '1h', csv: spikeCsv() });
  expect(imported.ok).toBe(true);
  await page.goto(`${host.url}/#/backtest`);
  await expect(page.getByTestId('backtest-series')).toContainText('SPIKE · 1h');
  await expect(page.getByTestId('backtest-breakers')).not.toBeChecked();
  await page.getByTestId('backtest-breakers').check();
  await page.getByTestId('backtest-run').click();
  const trips = page.getByTestId('breaker-trips');
  await expect(trips).toContainText('volatility');
  await expect(trips).toContainText('moved 10.00 % in one bar');
  await expect(page.getByTestId('equity-chart')).not.toHaveAttribute('data-trips', '0');
});
