// A two-year 1-minute history (a million bars) is an ordinary thing for a trader to open: the
// chart shows it at once, zooms from the whole history down to single minutes, shows OHLCV under
// the crosshair, and keeps the lines the user drew.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { expect, keepScreenshot, test } from './support/fixtures.ts';
import type { HeadlessHost } from './support/headless-host.ts';

const bars = 1_000_000;

/** Stores the series the way an import does, straight into the host's journal (WAL: the server sees it). */
function seedMillionBars(host: HeadlessHost) {
  const db = openDatabase(path.join(host.dataDir, 'autobot.db'));
  new CandleRepository(db).upsert('BTCUSD', '1m', syntheticMinuteCandles(bars));
  db.close();
}

async function openChart(page: Page, host: HeadlessHost) {
  await page.goto(`${host.url}/#/chart`);
  await expect(page.getByTestId('page-title')).toHaveText('Chart');
  await expect(page.getByTestId('series-select')).toContainText('BTCUSD · 1m · 1,000,000 bars');
  await expect(page.getByTestId('chart')).not.toHaveAttribute('data-bars', '0');
}

async function zoomUntil(page: Page, direction: 'in' | 'out', timeframes: readonly string[]) {
  const chart = page.getByTestId('chart');
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
  const wanted = new RegExp(`^(${timeframes.join('|')})$`);
  const shown = new RegExp(`(${timeframes.join('|')}) bars shown`);
  // Each wheel step zooms about a tenth; the chart swaps resolution as the bars on screen thin or
  // crowd. A bounded number of steps, each followed by a look at what the chart shows. A view just
  // past a swap threshold can swap back when the window arriving for it settles, so the loop goes
  // a few steps beyond the first match and stops once the chart and its caption both show it.
  let beyond = 0;
  for (let step = 0; step < 400 && beyond < 6; step++) {
    const timeframe = (await chart.getAttribute('data-timeframe')) ?? '';
    const caption = (await page.getByTestId('chart-bar-count').textContent()) ?? '';
    if (wanted.test(timeframe) && shown.test(caption)) beyond++;
    await page.mouse.wheel(0, direction === 'in' ? -400 : 400);
  }
  await expect(chart).toHaveAttribute('data-timeframe', wanted);
  await expect(page.getByTestId('chart-bar-count')).toContainText(shown);
}

test.describe('a million-bar chart', () => {
  // A million bars to seed and a hundred-odd wheel steps on a shared 2-core machine: a generous
  // ceiling, not a speed claim (chart.open_1m and chart.switch in `npm run bench` measure speed).
  test.describe.configure({ timeout: 300_000 });

  test.beforeEach(async ({ host }) => {
    await host.license();
    seedMillionBars(host);
  });

  test('opens at once, zooms from the whole history to single minutes and back, with OHLCV under the crosshair', async ({
    host,
    page,
  }) => {
    await openChart(page, host);
    const chart = page.getByTestId('chart');
    // The whole history first, resampled: never a million points handed to the browser.
    await expect(chart).toHaveAttribute('data-timeframe', /^(4h|1d|1w)$/);
    expect(Number(await chart.getAttribute('data-bars'))).toBeLessThanOrEqual(1500);
    await expect(page.getByTestId('legend-close')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/);

    await zoomUntil(page, 'in', ['1m']);
    await expect(page.getByTestId('chart-bar-count')).toContainText('1m bars shown');
    expect(Number(await chart.getAttribute('data-bars'))).toBeLessThanOrEqual(20_000);
    await expect(page.getByTestId('legend-time')).toHaveText(/\d{2}:\d{2} UTC · 1m$/);
    await keepScreenshot(page, 'chart-1m-zoomed-in');

    // The legend follows the crosshair.
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    const left = await page.getByTestId('legend-time').textContent();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
    await expect(page.getByTestId('legend-time')).not.toHaveText(left!);
    await expect(page.getByTestId('legend-volume')).toHaveText(/\d/);

    await zoomUntil(page, 'out', ['4h', '1d', '1w', '1M']);
    await expect(page.getByTestId('legend-time')).not.toContainText('UTC · 1m');
    await keepScreenshot(page, 'chart-1m-zoomed-out');
  });

  test('a trend line drawn on the chart survives a reload; the same at 390 px', async ({ host, page }) => {
    await openChart(page, host);
    const chart = page.getByTestId('chart');
    const box = (await chart.boundingBox())!;
    await page.getByTestId('draw-trend').click();
    await page.mouse.click(box.x + box.width * 0.25, box.y + box.height * 0.6);
    await page.mouse.click(box.x + box.width * 0.65, box.y + box.height * 0.3);
    await expect(chart).toHaveAttribute('data-drawings', '1');
    await expect(chart).toHaveAttribute('data-tool', 'none');
    const saved = await host.call<{ drawings: Array<{ kind: string }> }>('chart.drawings', {
      symbol: 'BTCUSD',
    });
    expect(saved.ok && saved.value.drawings).toEqual([expect.objectContaining({ kind: 'trend' })]);

    await page.reload();
    await openChart(page, host);
    await expect(chart).toHaveAttribute('data-drawings', '1');

    await page.setViewportSize({ width: 390, height: 800 });
    await expect(chart).not.toHaveAttribute('data-bars', '0');
    await expect(chart).toHaveAttribute('data-drawings', '1');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await keepScreenshot(page, 'chart-1m-390px');
  });
});
