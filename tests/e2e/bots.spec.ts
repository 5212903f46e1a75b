// Issue #11 as a trader meets it: a backtest result becomes a paper bot in one click; started on a
// fast replay, its orders, fills and position update live; stopped, it stays where it was across a
// server restart, and a bot still running at the restart resumes from where it was, not from the
// start; and a bot replayed to its last bar ends with its backtest's final equity and fills (the same
// for every trade and metric, from the CLI, is tests/integration/paper-parity.test.ts).
import { expect, keepScreenshot, test } from './support/fixtures.ts';
import { waveCandles } from '../support/bot-fixtures.ts';

// Ten bars a second (the default speed): 800 bars outlast what the test watches, so the bots are stopped by hand.
const bars = 800;

function waveCsv(): string {
  const c = waveCandles(bars);
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < bars; i++)
    lines.push(`${c.time[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}`);
  return `${lines.join('\n')}\n`;
}

const count = (text: string) => Number(text.replaceAll(',', '').split(' ')[0]);

test('a backtest runs as a paper bot: live orders, fills and position; stop; restart; a running bot resumes', async ({
  host,
  page,
}) => {
  await host.license();
  expect((await host.call('candles.import', { symbol: 'WAVE', timeframe: '1d', csv: waveCsv() })).ok).toBe(
    true,
  );

  await page.goto(`${host.url}/#/backtest`);
  await expect(page.getByTestId('backtest-series')).toContainText('WAVE · 1d');
  await page.getByTestId('backtest-strategy').selectOption('sma-cross');
  await page.getByTestId('param-fast').fill('5');
  await page.getByTestId('param-slow').fill('12');
  await page.getByTestId('backtest-run').click();
  await expect(page.getByTestId('backtest-result')).toBeVisible();

  await page.getByTestId('run-as-bot').click();
  await expect(page.getByTestId('page-title')).toHaveText('Bots');
  await expect(page.getByTestId('bot-status-1')).toHaveText('created');
  await expect(page.getByTestId('bot-detail')).toContainText('sma-cross (fast=5, slow=12) on WAVE 1d');

  // Ten bars a second: orders, fills and the position change while we watch.
  await page.getByTestId('bot-start-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('running');
  const fills = page.getByTestId('bot-fills').locator('tbody tr');
  await expect(fills.first()).toBeVisible();
  const seen = await fills.count();
  await expect.poll(() => fills.count()).toBeGreaterThan(seen);
  await expect(page.getByTestId('bot-detail-position')).toHaveText(/^(long|short) \d+ @ /);
  await expect(page.getByTestId('bot-orders').locator('tbody tr').first()).toContainText('FILLED');
  await expect(page.getByTestId('bot-chart')).toBeVisible();
  await keepScreenshot(page, 'bots-running');

  await page.getByTestId('bot-stop-1').click();
  await expect(page.getByTestId('bot-status-1')).toHaveText('stopped');
  const stoppedBars = await page.getByTestId('bot-bars-1').innerText();
  const stoppedFills = await fills.count();
  expect(count(stoppedBars)).toBeLessThan(bars);

  // A copy runs across the restart.
  await page.getByTestId('bot-duplicate-1').click();
  await expect(page.getByTestId('bot-status-2')).toHaveText('created');
  await page.getByTestId('bot-start-2').click();
  await expect(page.getByTestId('bot-status-2')).toHaveText('running');
  await expect.poll(async () => count(await page.getByTestId('bot-bars-2').innerText())).toBeGreaterThan(40);
  const beforeRestart = count(await page.getByTestId('bot-bars-2').innerText());

  await host.restart();
  await host.logIn(page);
  await page.goto(`${host.url}/#/bots`);
  // The stopped bot is exactly where it was; the running one carries on from its last bar.
  await expect(page.getByTestId('bot-status-1')).toHaveText('stopped');
  await expect(page.getByTestId('bot-bars-1')).toHaveText(stoppedBars);
  await page.getByTestId('bot-open-1').click();
  await expect(fills).toHaveCount(stoppedFills);
  await expect(page.getByTestId('bot-status-2')).toHaveText('running');
  expect(count(await page.getByTestId('bot-bars-2').innerText())).toBeGreaterThanOrEqual(beforeRestart);

  // It goes on from there: more bars, then a stop by hand.
  await expect
    .poll(async () => count(await page.getByTestId('bot-bars-2').innerText()))
    .toBeGreaterThan(beforeRestart + 10);
  await page.getByTestId('bot-open-2').click();
  await expect(fills.first()).toBeVisible();
  await keepScreenshot(page, 'bots-resumed');
  await page.getByTestId('bot-stop-2').click();
  await expect(page.getByTestId('bot-status-2')).toHaveText('stopped');

  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('dashboard-running')).toHaveText('0');
});

test('a bot replaying its backtest to the end finishes with the backtest’s final equity and fills', async ({
  host,
  page,
}) => {
  await host.license();
  expect((await host.call('candles.import', { symbol: 'WAVE', timeframe: '1d', csv: waveCsv() })).ok).toBe(
    true,
  );
  await page.goto(`${host.url}/#/backtest`);
  await page.getByTestId('backtest-strategy').selectOption('sma-cross');
  await page.getByTestId('param-fast').fill('5');
  await page.getByTestId('param-slow').fill('12');
  await page.getByTestId('backtest-run').click();
  await expect(page.getByTestId('backtest-result')).toBeVisible();
  const finalEquity = await page.getByTestId('stat-finalEquity').innerText();
  const trades = count(await page.getByTestId('stat-trades').innerText());
  const stillOpen = await page.getByTestId('open-trade').count();

  // The same saved run as "Run as paper bot", at full speed so the replay reaches its last bar.
  const listed = await host.call<{ runs: Array<{ id: number }> }>('backtest.list');
  expect(listed.ok).toBe(true);
  const runId = listed.ok ? listed.value.runs[0]!.id : 0;
  const created = await host.call<{ bot: { id: number } }>('bots.createFromRun', {
    source: { kind: 'backtest', id: runId },
    barsPerSecond: null,
  });
  expect(created.ok).toBe(true);
  const id = created.ok ? created.value.bot.id : 0;
  await page.goto(`${host.url}/#/bots`);
  await page.getByTestId(`bot-start-${id}`).click();
  // At the last stored bar the replay ends and the bot stops by itself.
  await expect(page.getByTestId(`bot-bars-${id}`)).toContainText(bars.toLocaleString('en-US'), {
    timeout: 60_000,
  });
  await expect(page.getByTestId(`bot-status-${id}`)).toHaveText('stopped');
  await page.getByTestId(`bot-open-${id}`).click();
  await expect(page.getByTestId('bot-detail-equity')).toHaveText(finalEquity);
  // An entry and an exit per closed trade, plus the entry of a position still open at the end.
  await expect(page.getByTestId('bot-fills').locator('tbody tr')).toHaveCount(trades * 2 + stillOpen);
});
