// The fixtures every browser test uses: a skip with a message where no Chromium exists, a headless
// host per test file, and screenshots kept under artifacts/e2e.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { findChromium } from './find-chromium.ts';
import { startHeadlessHost, type HeadlessHost } from './headless-host.ts';

const browser = findChromium();
export const artifactsDir = path.resolve(import.meta.dirname, '..', '..', '..', 'artifacts', 'e2e');

// A fresh server per test: a fresh data dir and keychain service, so every test starts as a new user,
// and the page logged in to it through a one-time login link, as a user opening it would be.
export const test = base.extend<{ host: HeadlessHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires a destructuring pattern here.
  host: async ({}, use) => {
    const host = await startHeadlessHost();
    await use(host);
    await host.stop();
  },
  page: async ({ page, host }, use) => {
    await host.logIn(page);
    await use(page);
  },
});

test.beforeAll(() => {
  // Skipped only where no Chromium can be found; CI installs Debian's, and the message says how.
  test.skip(
    !browser.executablePath,
    `no Chromium found (tried ${browser.tried.join(', ')}): install Debian's chromium or set AUTOBOT_CHROMIUM`,
  );
});

export async function keepScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export { expect } from '@playwright/test';
