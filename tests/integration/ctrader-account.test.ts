// The Account page's cTrader section through the contract: the user's application stored, Connect
// Demo through a loopback authorisation server and Open API peer, the account and balance found,
// the token's expiry shown, Live refused without confirmation, Disconnect forgetting the tokens.
import { get as httpsGet } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import type { CTraderStatus } from '../../core/contract/ctrader-calls.ts';
import { CTraderPeer } from '../support/ctrader-peer.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { OAuthServer } from '../support/oauth-server.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.ts';

let certs: TestCertificates;
const cleanups: (() => Promise<void> | void)[] = [];
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The user approving on the authorisation page: the address the browser is sent back to. */
function approve(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca: certs.ca }, (approved) => {
      approved.resume();
      resolve(approved.headers.location!);
    }).on('error', reject);
  });
}

async function call<T>(app: App, name: string, input: unknown): Promise<T> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

describe('ctrader.* calls', () => {
  it('connects Demo, lists the account with its balance and token expiry, then disconnects', async () => {
    const oauth = await OAuthServer.start(certs.valid, 'my-app', 'my-secret');
    const peer = await CTraderPeer.start({
      pair: certs.valid,
      clientId: 'my-app',
      clientSecret: 'my-secret',
      accessToken: 'unused',
      refreshToken: 'unused',
    });
    oauth.onIssue = (token) => peer.acceptToken(token);
    const { dir, cleanup } = makeTempDir();
    let opened: string | null = null;
    const { app } = await createLicensedTestApp({
      dataDir: dir,
      ctrader: {
        openBrowser: (url) => {
          opened = url;
        },
        testHooks: {
          oauth: oauth.endpoints,
          endpoints: { demo: peer.endpoint },
          ca: certs.ca,
          redirectPort: await freePort(),
        },
      },
    });
    cleanups.push(
      cleanup,
      () => oauth.close(),
      () => peer.close(),
      () => app.close(),
    );

    const refused = await app.dispatch('ctrader.connectDemo', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/client id and secret first/);

    const saved = await call<CTraderStatus>(app, 'ctrader.saveApplication', {
      clientId: 'my-app',
      clientSecret: 'my-secret',
    });
    expect(saved.application).toEqual({ configured: true, clientIdHint: '••••-app' });

    const { authorizationUrl } = await call<{ authorizationUrl: string }>(app, 'ctrader.connectDemo', {});
    expect(opened).toBe(authorizationUrl);
    // The browser ran elsewhere: the user pastes the address it landed on.
    const address = await approve(authorizationUrl);
    const forged = address.replace(/state=[^&]+/, 'state=forged');
    expect(
      await app.dispatch('ctrader.pasteRedirect', { environment: 'demo', address: forged }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    const status = await call<CTraderStatus>(app, 'ctrader.pasteRedirect', { environment: 'demo', address });
    const demo = status.environments.find((environment) => environment.environment === 'demo')!;
    expect(demo).toMatchObject({ connection: 'connected', tokenStored: true, authorizationUrl: null });
    expect(demo.tokenExpiresAt).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(demo.accounts).toEqual([
      {
        ctidTraderAccountId: 1001,
        isLive: false,
        traderLogin: 5_001_001,
        broker: 'Loopback Markets',
        balance: 10_000,
      },
    ]);
    expect(JSON.stringify(status)).not.toContain(oauth.accessToken!);

    // Live (the test licence grants live-trading) still needs the explicit confirmation.
    const live = await app.dispatch('ctrader.connectLive', {});
    expect(live).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!live.ok) expect(live.error.message).toMatch(/confirm/);

    const after = await call<CTraderStatus>(app, 'ctrader.disconnect', { environment: 'demo' });
    expect(after.environments[0]).toMatchObject({
      connection: 'disconnected',
      tokenStored: false,
      accounts: [],
    });
  });
});
