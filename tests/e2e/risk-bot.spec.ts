// Issue #12 on a paper bot, as a trader meets it: a bot replaying a falling market (a CSV imported
// through the app) trips the daily-loss breaker on its bars' clock. The banner names the bot and
// the breaker with a countdown in replay time, the Bots page shows what holds the bot, the Risk page
// shows the trip in its history; the account itself stays ACTIVE. The kill switch, asked first,
// flattens the running bot; re-arming both breakers lifts every hold and the banner goes.
import { expect, keepScreenshot, test } from './support/fixtures.ts';
import { fallingMarketCsv } from '../support/falling-market.ts';

test('a paper bot replaying a falling market trips daily loss; banner, countdown, history; kill switch; re-arm', async ({
  host,
  page,
}) => {
  await host.license();
  // One-minute bars, ten a second: the slide trips the breaker within seconds and the replay
  // (1,400 bars, one trading day) outlasts what the test watches.
  const csv = fallingMarketCsv({ bounce: false, bars: 1400, stepSeconds: 60 });
  expect((await host.call('candles.import', { symbol: 'FALL', timeframe: '1m', csv })).ok).toBe(true);
  const created = await host.call('bots.create', {
    definition: {
      name: 'rsi on a falling market',
      strategy: 'rsi',
      params: {},
      symbol: 'FALL',
      timeframe: '1m',
      cash: 10_000,
      commission: 0,
      barsPerSecond: 10,
    },
  });
  expect(created.ok).toBe(true);

  await page.goto(`${host.url}/#/bots`);
  await page.getByTestId('bot-open-1').click();
  await page.getByTestId('bot-start-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');

  // The trip: the banner names the bot and the breaker, with what is left of its day in replay time.
  const banner = page.getByTestId('risk-banner');
  await expect(page.getByTestId('risk-banner-bot-bot-1')).toContainText('HALTED by daily-loss');
  await expect(page.getByTestId('risk-banner-state')).toHaveText('1 bot held');
  await expect(page.getByTestId('risk-banner-countdown-daily-loss-bot-1')).toHaveText(
    /^\d+ (h|min|s).* of replay$/,
  );
  await expect(page.getByTestId('bot-held-1')).toHaveText('HALTED by daily-loss');
  await expect(page.getByTestId('bot-detail-position')).toHaveText(/^long \d+ @ /);
  await keepScreenshot(page, 'risk-bot-held');

  await page.getByTestId('nav-risk').click();
  // The bot is held on its bars' clock; the account trades on.
  await expect(page.getByTestId('risk-state')).toHaveText('ACTIVE');
  await expect(page.getByTestId('breaker-state-daily-loss')).toHaveText('HALTED');
  await expect(page.getByTestId('breaker-daily-loss')).toContainText("bot bot-1 (on its bars' clock)");
  await expect(page.getByTestId('countdown-daily-loss')).toHaveText(/^\d+ (h|min|s).* of replay$/);
  const trip = page.getByTestId('risk-history').getByTestId('risk-event-trip');
  await expect(trip).toHaveCount(1);
  await expect(trip).toContainText('daily-loss');
  await expect(trip).toContainText("bars' clock");
  await expect(trip).toContainText('reached the 5 % limit');
  // Every breaker has its name and what it does, reconciliation included.
  await expect(page.getByTestId('breaker-reconcile')).toContainText('Reconciliation');
  await expect(page.getByTestId('breaker-description-reconcile')).toContainText('journal cannot explain');
  await keepScreenshot(page, 'risk-bot-trip');

  // The kill switch asks, then flattens the running bot and halts the account.
  await page.getByTestId('kill-switch').click();
  await page.getByTestId('kill-switch-confirm-button').click();
  await expect(page.getByTestId('risk-notice')).toContainText('1 position(s) closed across 1 bot(s)');
  await expect(page.getByTestId('risk-state')).toHaveText('HALTED');
  await expect(page.getByTestId('risk-banner-state')).toHaveText('Trading HALTED');

  await page.getByTestId('nav-bots').click();
  await expect(page.getByTestId('bot-held-1')).toHaveText('HALTED by daily-loss, kill-switch');
  await expect(page.getByTestId('bot-detail-position')).toHaveText('flat');
  await page.getByTestId('bot-stop-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('stopped');

  // Re-arming both lifts every hold; the banner goes.
  await page.getByTestId('nav-risk').click();
  await page.getByTestId('rearm-kill-switch').click();
  await expect(page.getByTestId('risk-state')).toHaveText('ACTIVE');
  await expect(banner).toBeVisible();
  await page.getByTestId('rearm-daily-loss').click();
  await expect(page.getByTestId('breaker-state-daily-loss')).toHaveText('ACTIVE');
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('risk-history').getByTestId('risk-event-rearm')).toHaveCount(2);
  await keepScreenshot(page, 'risk-bot-rearmed');
});
