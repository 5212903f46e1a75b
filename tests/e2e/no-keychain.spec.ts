// Issue #10, item 3, as a user meets it: a machine with no Secret Service still charts and
// backtests, and the pages that need a secret say the system keychain is not available and how
// to fix it; a server run with --secrets-dir keeps an API key across restarts in a 0600 file.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, keepScreenshot, test } from './support/fixtures.ts';
import { startHeadlessHost } from './support/headless-host.ts';
import { canStartBareSessionBus, startBareSessionBus } from '../support/bare-session-bus.ts';

const bareBusSkipReason = 'needs Linux with dbus-daemon to start a session bus without a Secret Service';
if (!canStartBareSessionBus() && process.platform === 'linux' && process.env.CI) {
  throw new Error(`CI must run the no-keychain browser test: ${bareBusSkipReason}`);
}

/** 80 daily bars of a wave, so a moving-average cross trades. */
const waveCsv = [
  'time,open,high,low,close,volume',
  ...Array.from({ length: 80 }, (_, i) => {
    const close = 100 + 10 * Math.sin(i / 6);
    return `${1700000000 + i * 86400},${close},${close + 1},${close - 1},${close},1000`;
  }),
].join('\n');

test('with no Secret Service, Chart, Backtest and Settings work and Account says the keychain is not available', async ({
  page,
}) => {
  // Skipped only off Linux or without dbus-daemon; CI fails instead (checked above).
  test.skip(!canStartBareSessionBus(), bareBusSkipReason);
  const bus = await startBareSessionBus();
  const host = await startHeadlessHost({ env: { DBUS_SESSION_BUS_ADDRESS: bus.address } });
  try {
    const status = await host.call<{ available: boolean; message: string }>('secrets.status');
    expect(status.ok && status.value.available).toBe(false);

    // Chart: candles go in and are drawn.
    const imported = await host.call('candles.import', { symbol: 'WAVE', timeframe: '1d', csv: waveCsv });
    expect(imported.ok).toBe(true);
    await host.logIn(page);
    await page.goto(`${host.url}/#/chart`);
    await expect(page.getByTestId('page-title')).toHaveText('Chart');
    await expect(page.getByTestId('chart-bar-count')).toHaveText('80 1d bars shown');
    await expect(page.getByTestId('chart').locator('canvas').first()).toBeVisible();

    // Backtest: a run completes and shows its statistics.
    await page.goto(`${host.url}/#/backtest`);
    await expect(page.getByTestId('page-title')).toHaveText('Backtest');
    await expect(page.getByTestId('backtest-series')).toContainText('WAVE · 1d');
    await page.getByTestId('backtest-strategy').selectOption('sma-cross');
    await page.getByTestId('param-fast').fill('3');
    await page.getByTestId('param-slow').fill('8');
    await page.getByTestId('backtest-run').click();
    await expect(page.getByTestId('backtest-result')).toBeVisible();
    await expect(page.getByTestId('stat-trades')).not.toHaveText('0');

    // Settings: the installation's details.
    await page.goto(`${host.url}/#/settings`);
    await expect(page.getByTestId('page-title')).toHaveText('Settings');
    await expect(page.getByTestId('app-version')).not.toBeEmpty();

    // Account: no form that would fail on save, but the state and the fix for this OS.
    await page.goto(`${host.url}/#/account`);
    await expect(page.getByTestId('page-title')).toHaveText('Account');
    const notice = page.getByTestId('keychain-notice');
    await expect(notice).toContainText(/the system keychain is not available/i);
    await expect(notice).toContainText('GNOME Keyring or KWallet is not running');
    await expect(notice).toContainText('autobot serve --secrets-dir DIR');
    await expect(page.getByTestId('vault-save')).toHaveCount(0);
    await keepScreenshot(page, 'account-no-keychain');

    // License: the same notice above the licence card, never a blank page.
    await page.goto(`${host.url}/#/license`);
    await expect(page.getByTestId('keychain-notice')).toContainText(/the system keychain is not available/i);
  } finally {
    await host.stop();
    await bus.stop();
  }
});

test('with --secrets-dir, an API key saved on the Account page survives a restart, in a 0600 file', async ({
  page,
}) => {
  test.skip(process.platform === 'win32', 'Windows has no file modes; --secrets-dir refuses to start there');
  // mkdtemp creates the directory 0700: private to this user, as --secrets-dir requires.
  const secretsDir = mkdtempSync(path.join(tmpdir(), 'autobot-e2e-secrets-'));
  const args = ['--secrets-dir', secretsDir];
  try {
    const first = await startHeadlessHost({ args });
    try {
      await first.license();
      await first.logIn(page);
      await page.goto(`${first.url}/#/account`);
      await page.getByTestId('vault-provider').fill('binance');
      await page.getByTestId('vault-key').fill('AKIA-dir-key-5678');
      await page.getByTestId('vault-secret').fill('dir-secret-value');
      await page.getByTestId('vault-save').click();
      await expect(page.getByTestId('vault-table')).toContainText('5678');
      await expect(page.locator('body')).toContainText('in the secrets directory');
    } finally {
      await first.stop();
    }

    const files = readdirSync(secretsDir);
    expect(files).toContain('vault.binance');
    expect(files.filter((name) => name.startsWith('.'))).toEqual([]); // no temporary file left behind
    // Every secret file the server wrote (the key, the licence's clock mark…) is private to its user.
    for (const name of files) expect(statSync(path.join(secretsDir, name)).mode & 0o777).toBe(0o600);

    const second = await startHeadlessHost({ args });
    try {
      await second.license();
      await second.logIn(page);
      await page.goto(`${second.url}/#/account`);
      await expect(page.getByTestId('vault-table')).toContainText('binance');
      await expect(page.getByTestId('vault-table')).toContainText('••••5678');
      await expect(page.locator('body')).not.toContainText('dir-secret-value');
      await keepScreenshot(page, 'account-secrets-dir');
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(secretsDir, { recursive: true, force: true });
  }
});
