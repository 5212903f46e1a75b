// The headless host's door, in a real browser: the printed link logs a browser in once, a browser
// without it sees how to get in, and a page on another localhost port can neither frame the UI
// nor drive its calls with the user's cookie.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, keepScreenshot, test } from './support/fixtures.ts';

test('the printed login link opens the UI once; a browser without it is told how to log in', async ({
  host,
  browser,
}) => {
  const stranger = await browser.newPage();
  await stranger.goto(`${host.url}/#/chart`);
  await expect(stranger.getByTestId('login-required')).toContainText('autobot login-link');
  await keepScreenshot(stranger, 'login-required');

  const first = await browser.newPage();
  await first.goto(host.loginUrl);
  expect(first.url()).toBe(`${host.url}/`);
  await expect(first.getByTestId('nav-chart')).toBeVisible();
  // The redirect left the code out of the address bar and history.
  expect(first.url()).not.toContain('code=');

  const second = await browser.newPage();
  const reused = await second.goto(host.loginUrl);
  expect(reused?.status()).toBe(401);
  await expect(second.getByRole('heading')).toHaveText('This login link does not work');
  await Promise.all([stranger.close(), first.close(), second.close()]);
});

test('a page on another localhost port cannot frame the UI nor call the API with the cookie', async ({
  host,
  page,
}) => {
  await host.license();
  // The logged-in page holds the session cookie; a hostile page on another port of the same machine
  // is same-site, so the browser would send that cookie along.
  await page.goto(`${host.url}/#/account`);
  await expect(page.getByTestId('nav-account')).toBeVisible();

  const hostile: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<!doctype html><iframe id="victim" src="${host.url}/#/account"></iframe>`);
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  try {
    const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;
    const framed = page.waitForResponse((response) => response.url().startsWith(host.url));
    await page.goto(hostileUrl);
    expect((await framed).headers()['x-frame-options']).toBe('DENY');
    // Blocked by frame-ancestors/X-Frame-Options: the frame shows the browser's error, never our UI.
    const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
    await expect.poll(() => frame?.url()).toMatch(/^chrome-error:/);
    await expect(page.frameLocator('#victim').getByTestId('nav-account')).toHaveCount(0);

    const attempt = await page.evaluate(async (target) => {
      try {
        // no-cors: the page cannot read the answer, but the request (and the cookie) would go out.
        await fetch(`${target}/api/call/vault.save`, {
          method: 'POST',
          mode: 'no-cors',
          credentials: 'include',
          body: JSON.stringify({ provider: 'binance', key: 'attacker-key', secret: 'attacker-secret' }),
        });
        return 'sent';
      } catch (error) {
        return String(error);
      }
    }, host.url);
    expect(attempt).toBe('sent');
    const listed = await host.call<{ credentials: unknown[] }>('vault.list');
    expect(listed).toEqual({ ok: true, value: { credentials: [] } });
  } finally {
    await new Promise((resolve) => hostile.close(resolve));
  }
});
