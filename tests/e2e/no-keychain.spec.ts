// Issue #10, item 3, as a user meets it: a machine with no Secret Service still charts and
// backtests, and the pages that need a secret say the system keychain is not available and how
// to fix it; a server run with --secrets-dir keeps an API key across restarts in a 0600 file.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, keepScreenshot, test } from './support/fixtures.ts';
import { startHeadlessHost } from './support/headless-host.ts';

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
