// The chart as a trader feels it, in Debian's Chromium against the real headless host: from
// selecting a million-bar 1-minute series to its first drawn frame (`chart.open_1m`, goal ≤ 300 ms,
// with the longest main-thread task beside it, goal ≤ 50 ms), and from picking another timeframe to
// its first drawn frame (`chart.switch`, goal ≤ 150 ms). Needs the built renderer (npm run build).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApp, type App } from '../../core/app/app.ts';
import { startServer, type RunningServer } from '../../core/server/server.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { findChromium } from '../../tests/e2e/support/find-chromium.ts';
import { MemorySecretStore } from '../../tests/support/memory-secret-store.ts';
import { makeTestVendor } from '../../tests/support/test-license.ts';
import type { BenchCase } from '../harness.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

interface BrowserState {
  dir: string;
  app: App;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** The longest main-thread task of each run, warm-up runs first. */
  longestTasks: number[];
  heapBytes: number;
  flip: number;
}

/** Runs in the page: waits until the chart shows `expected` bars at a timeframe, then two frames. */
const drawnAfter = `async ({ key, expect }) => {
  const chart = document.querySelector('[data-testid="chart"]');
  const started = performance.now();
  window.__longest = 0;
  const select = document.querySelector(key.selector);
  const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;
  setter.call(select, key.value);
  select.dispatchEvent(new Event('change', { bubbles: true }));
  await new Promise((resolve) => {
    const done = () => chart.dataset.timeframe && new RegExp(expect).test(chart.dataset.timeframe) &&
      chart.dataset.symbol === key.symbol && Number(chart.dataset.bars) > 0;
    if (done()) return resolve();
    const observer = new MutationObserver(() => { if (done()) { observer.disconnect(); resolve(); } });
    observer.observe(chart, { attributes: true });
  });
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return { ms: performance.now() - started, longest: window.__longest, heap: performance.memory ? performance.memory.usedJSHeapSize : 0 };
}`;

async function setup(): Promise<BrowserState> {
  const chromiumPath = findChromium().executablePath;
  if (!chromiumPath)
    throw new Error('chart browser bench needs Chromium (/usr/bin/chromium or AUTOBOT_CHROMIUM)');
  const dir = mkdtempSync(path.join(tmpdir(), 'autobot-bench-chart-ui-'));
  const vendor = makeTestVendor();
  const app = createApp({
    dataDir: dir,
    host: 'headless',
    secretStore: new MemorySecretStore(),
    testPublicKeyPem: vendor.publicKeyPem,
    log: () => {},
  });
  await app.license.install(vendor.issue());
  const candles = new CandleRepository(app.db);
  candles.upsert('BIG', '1m', syntheticMinuteCandles(1_000_000));
  candles.upsert('SMALL', '1d', syntheticMinuteCandles(300, 7, 1_600_000_000 - 86_400 * 400));
  const server = await startServer({ app, port: 0, rendererDir: path.join(root, 'dist', 'renderer') });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // The longest main-thread task of each measured step, from Chromium's Long Tasks API.
  await page.addInitScript(`
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  `);
  // Log the page in the way a user does: the one-time link sets the session cookie and opens the UI.
  await page.goto(server.loginLink());
  await page.goto(`${server.url}/#/chart`);
  await page.getByTestId('series-select').waitFor();
  await page.locator('[data-testid="series-select"] option[value="BIG"]').waitFor({ state: 'attached' });
  return { dir, app, server, browser, page, longestTasks: [], heapBytes: 0, flip: 0 };
}

async function teardown(raw: unknown): Promise<void> {
  const state = raw as BrowserState;
  await state.browser.close();
  await state.server.close();
  state.app.close();
  rmSync(state.dir, { recursive: true, force: true });
}

async function selectAndWait(
  page: Page,
  key: { selector: string; value: string; symbol: string },
  expect: string,
): Promise<{ ms: number; longest: number; heap: number }> {
  return page.evaluate(`(${drawnAfter})(${JSON.stringify({ key, expect })})`) as Promise<{
    ms: number;
    longest: number;
    heap: number;
  }>;
}

const symbolSelect = '[data-testid="series-select"]';
const timeframeSelect = '[data-testid="timeframe-select"]';

export const chartBrowserCases: BenchCase[] = [
  {
    name: 'chart.open_1m',
    runs: 9,
    warmup: 2,
    setup,
    // Start each run from the small series, so the run measures opening the big one.
    beforeEach: async (raw) => {
      const state = raw as BrowserState;
      await selectAndWait(state.page, { selector: symbolSelect, value: 'SMALL', symbol: 'SMALL' }, '.');
    },
    measure: async (raw) => {
      const state = raw as BrowserState;
      const result = await selectAndWait(
        state.page,
        { selector: symbolSelect, value: 'BIG', symbol: 'BIG' },
        '.',
      );
      state.longestTasks.push(result.longest);
      state.heapBytes = Math.max(state.heapBytes, result.heap);
      return result.ms;
    },
    teardown,
    figures: (_ms, raw) => ({
      series_bars: 1_000_000,
      ...longestTaskFigures(raw as BrowserState, 2),
      peak_heap_mb: Math.round((raw as BrowserState).heapBytes / 1e6),
    }),
  },
  {
    name: 'chart.switch',
    runs: 9,
    warmup: 2,
    setup: async () => {
      const state = await setup();
      await selectAndWait(state.page, { selector: symbolSelect, value: 'BIG', symbol: 'BIG' }, '.');
      return state;
    },
    // Alternate between two stored timeframes of the million-bar series.
    measure: async (raw) => {
      const state = raw as BrowserState;
      const timeframe = state.flip++ % 2 === 0 ? '1h' : '15m';
      const result = await selectAndWait(
        state.page,
        { selector: timeframeSelect, value: timeframe, symbol: 'BIG' },
        `^${timeframe}$`,
      );
      state.longestTasks.push(result.longest);
      state.heapBytes = Math.max(state.heapBytes, result.heap);
      return result.ms;
    },
    teardown,
    figures: (_ms, raw) => ({
      series_bars: 1_000_000,
      ...longestTaskFigures(raw as BrowserState, 2),
      peak_heap_mb: Math.round((raw as BrowserState).heapBytes / 1e6),
    }),
  },
];

/**
 * The longest main-thread task of the median measured run and of the worst one. Chromium's Long
 * Tasks API reports only tasks over 50 ms, so 0 means no task reached 50 ms.
 */
function longestTaskFigures(state: BrowserState, warmup: number): Record<string, number> {
  const measured = state.longestTasks.slice(warmup).sort((a, b) => a - b);
  const median = measured[Math.floor(measured.length / 2)] ?? 0;
  return {
    longest_task_ms: Math.round(median),
    longest_task_worst_ms: Math.round(measured.at(-1) ?? 0),
  };
}
