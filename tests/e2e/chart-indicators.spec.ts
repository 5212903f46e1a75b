// Indicators on the Chart page, as a trader uses them: switch SMA and RSI on, see the line over the
// candles and the RSI pane below, read their values in the legend (for the bar under the crosshair),
// and find the choice kept when coming back to the page.
import { rsi, sma } from '../../core/indicators/index.ts';
import { expect, keepScreenshot, test } from './support/fixtures.ts';

const start = 1_700_006_400; // a UTC midnight
const day = 86_400;
const closes = Array.from({ length: 120 }, (_, i) =>
  Number((100 + 10 * Math.sin(i / 5) + i / 10).toFixed(2)),
);
const csv = [
  'time,open,high,low,close,volume',
  ...closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return `${start + i * day},${open},${Math.max(open, close) + 0.5},${Math.min(open, close) - 0.5},${close},1000`;
  }),
].join('\n');

test('SMA over the candles and RSI in its own pane, with their values in the legend', async ({
  host,
  page,
}) => {
  await host.license();
  const imported = await host.call('candles.import', { symbol: 'SINE', timeframe: '1d', csv });
  expect(imported.ok).toBe(true);
  await page.goto(`${host.url}/#/chart`);
  await expect(page.getByTestId('series-select')).toContainText('SINE · 1d · 120 bars');
  await page.getByTestId('timeframe-select').selectOption('1d');
  const chart = page.getByTestId('chart');
  await expect(chart).toHaveAttribute('data-bars', '120');
  await expect(chart).toHaveAttribute('data-indicators', '');
  await expect(chart).toHaveAttribute('data-panes', '2'); // candles, volume

  await page.getByTestId('indicators-button').click();
  await page.getByTestId('indicator-sma').check();
  await page.getByTestId('indicator-rsi').check();
  await expect(chart).toHaveAttribute('data-indicators', 'sma,rsi');
  await expect(chart).toHaveAttribute('data-panes', '3'); // + RSI

  // Without a crosshair the legend reads the last bar: the engines' own SMA 20 and RSI 14 there.
  const values = Float64Array.from(closes);
  const sma20 = sma(values, 20);
  const rsi14 = rsi(values, 14);
  const decimals = Number(await chart.getAttribute('data-price-decimals'));
  await expect(page.getByTestId('legend-sma')).toHaveText(sma20[119]!.toFixed(decimals));
  await expect(page.getByTestId('legend-rsi')).toHaveText(rsi14[119]!.toFixed(2));

  // Under the crosshair: the values of the bar the legend names.
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.3);
  const time = page.getByTestId('legend-time');
  await expect(time).not.toHaveText(new Date((start + 119 * day) * 1000).toISOString().slice(0, 10));
  const index = (Date.parse(`${(await time.textContent())!.slice(0, 10)}T00:00:00Z`) / 1000 - start) / day;
  expect(index).toBeGreaterThan(20);
  await expect(page.getByTestId('legend-sma')).toHaveText(sma20[index]!.toFixed(decimals));
  await expect(page.getByTestId('legend-rsi')).toHaveText(rsi14[index]!.toFixed(2));

  // RSI off, MACD on: its pane replaces RSI's.
  await page.getByTestId('indicator-rsi').uncheck();
  await expect(chart).toHaveAttribute('data-panes', '2');
  await page.getByTestId('indicator-macd').check();
  await expect(chart).toHaveAttribute('data-indicators', 'sma,macd');
  await expect(chart).toHaveAttribute('data-panes', '3');

  // A new period redraws the line: the legend follows.
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height + 200);
  await page.getByTestId('indicator-sma-period').fill('5');
  await expect(page.getByTestId('legend-sma')).toHaveText(sma(values, 5)[119]!.toFixed(decimals));

  // The choice lasts the session: another page and back.
  await page.goto(`${host.url}/#/settings`);
  await expect(page.getByTestId('page-title')).toHaveText('Settings');
  await page.goto(`${host.url}/#/chart`);
  await page.getByTestId('timeframe-select').selectOption('1d');
  await expect(chart).toHaveAttribute('data-indicators', 'sma,macd');
  await expect(chart).toHaveAttribute('data-panes', '3');

  // Everything at once: EMA and the bands join the SMA on the price pane, no new pane.
  // The fresh window the chart loads on return is drawn with the lines already computed over it.
  await expect(page.getByTestId('legend-sma')).toHaveText(sma(values, 5)[119]!.toFixed(decimals));
  await page.getByTestId('indicators-button').click();
  await expect(page.getByTestId('indicator-macd')).toBeChecked();
  await expect(page.getByTestId('indicator-sma-period')).toHaveValue('5');
  await page.getByTestId('indicator-ema').check();
  await page.getByTestId('indicator-bollinger').check();
  await expect(chart).toHaveAttribute('data-indicators', 'sma,ema,bollinger,macd');
  await expect(chart).toHaveAttribute('data-panes', '3');
  await expect(page.getByTestId('legend-bb-upper')).not.toHaveText('–');
  await keepScreenshot(page, 'chart-indicators');
});
