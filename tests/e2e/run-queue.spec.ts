// Heavy runs wait their turn (docs/architecture.md, "Heavy runs"): while an optimisation holds every
// worker thread of the host, a backtest on a long series shows "Queued — position 1"; cancelling it
// there removes it; queued again, it starts and shows its result once the optimisation is cancelled.
import { expect, test } from './support/fixtures.ts';

/** A seeded hourly series, long enough that a backtest on it goes to a worker thread (> 50,000 bars). */
function syntheticHourlyCsv(bars: number): string {
  let state = 777;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const lines = ['time,open,high,low,close,volume'];
  let price = 100;
  const start = 1_600_000_000;
  for (let i = 0; i < bars; i++) {
    const open = price;
    price = Math.max(1, price + (random() - 0.5) * 0.8 + (100 - price) * 0.01);
    const high = Math.max(open, price) + random() * 0.2;
    const low = Math.min(open, price) - random() * 0.2;
    lines.push(`${start + i * 3600},${open},${high},${low},${price},${Math.round(random() * 1000)}`);
  }
  return `${lines.join('\n')}\n`;
}

test('a backtest waits in line behind an optimisation, can leave it, and runs when its turn comes', async ({
  host,
  page,
}) => {
  // An import, an optimisation and two backtests: more than the default minute on a loaded machine.
  test.setTimeout(180_000);
  await host.license();
  const imported = await host.call('candles.import', {
    symbol: 'SYNTH',
    timeframe: '1h',
    csv: syntheticHourlyCsv(60_000),
  });
  expect(imported.ok).toBe(true);

  // An optimisation on every core (the default workers): it holds every slot of the host's queue.
  // 351 × 351 sets over 60,000 bars keep it searching until it is cancelled below.
  await page.goto(`${host.url}/#/optimizer`);
  await expect(page.getByTestId('optimize-series')).toContainText('SYNTH · 1h');
  await page.getByTestId('optimize-strategy').selectOption('rsi');
  await page.getByTestId('from-lower').fill('10');
  await page.getByTestId('to-lower').fill('45');
  await page.getByTestId('step-lower').fill('0.1');
  await page.getByTestId('from-upper').fill('55');
  await page.getByTestId('to-upper').fill('90');
  await page.getByTestId('step-upper').fill('0.1');
  await page.getByTestId('optimize-run').click();
  await expect(page.getByTestId('optimize-progress-text')).toContainText('evaluations');

  await page.getByTestId('nav-backtest').click();
  await expect(page.getByTestId('backtest-series')).toContainText('SYNTH · 1h');
  await page.getByTestId('backtest-strategy').selectOption('sma-cross');
  await page.getByTestId('param-fast').fill('10');
  await page.getByTestId('param-slow').fill('30');
  await page.getByTestId('backtest-run').click();
  await expect(page.getByTestId('backtest-queued')).toHaveText('Queued — position 1');

  // Cancelled while it waits: it leaves the line without running.
  await page.getByTestId('backtest-cancel').click();
  await expect(page.getByTestId('backtest-error')).toContainText('cancelled');
  await expect(page.getByTestId('backtest-progress')).toHaveCount(0);

  await page.getByTestId('backtest-run').click();
  await expect(page.getByTestId('backtest-queued')).toHaveText('Queued — position 1');

  await page.getByTestId('nav-optimizer').click();
  await page.getByTestId('optimize-cancel').click();
  await expect(page.getByTestId('optimize-error')).toContainText('cancelled');

  await page.getByTestId('nav-backtest').click();
  await expect(page.getByTestId('backtest-result')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('backtest-queued')).toHaveCount(0);
  const saved = await host.call<{ runs: unknown[] }>('backtest.list', {});
  expect(saved.ok && saved.value.runs).toHaveLength(1);
});
