// End-to-end: the built renderer served by the real `autobot serve`, in a real Chromium. The
// Electron project runs tests/e2e/electron.spec.ts, which skips where no Electron binary exists.
import { defineConfig } from '@playwright/test';
import { findChromium } from './tests/e2e/support/find-chromium.ts';

const browser = findChromium();
if (!browser.executablePath && process.env.CI) {
  throw new Error(
    `CI must run the browser tests, but no Chromium was found (tried ${browser.tried.join(', ')}).`,
  );
}

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  // Each test file starts its own server and keychain service; one worker keeps the 2-core CI calm.
  workers: 1,
  // Hang detectors only, never a speed check: generous for a 2-core machine running a second
  // suite beside this one (speed is `npm run bench`'s business).
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list']],
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        trace: 'retain-on-failure',
        screenshot: 'only-on-failure',
        launchOptions: {
          ...(browser.executablePath ? { executablePath: browser.executablePath } : {}),
          // Offline machines: nothing may reach out (component updates, sync, QUIC probes).
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-quic',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
