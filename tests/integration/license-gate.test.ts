// Issue #5's gate: walks the contract table, so a call added later is covered without anyone
// remembering to add it here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../core/app/app.ts';
import { callNames, calls } from '../../core/contract/calls.ts';
import { KeychainSecretStore } from '../../core/secrets/secret-store.ts';
import { startServer } from '../../core/server/server.ts';
import { createIpcCallHandler } from '../../electron/ipc.ts';
import { appEntryUrl, appOrigin } from '../../electron/security.ts';
import { postCall, rememberToken, startTestHost } from '../support/headless-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { makeTestVendor } from '../support/test-license.ts';

const licensedCalls = callNames.filter((name) => calls[name].requiresLicense);
const openCalls = callNames.filter((name) => !calls[name].requiresLicense);
const topFrame = { senderFrame: { url: appEntryUrl, parent: null } };

describe('without a licence', () => {
  let host: Awaited<ReturnType<typeof startTestHost>>;
  beforeAll(async () => {
    host = await startTestHost({ licensed: false });
  });
  afterAll(async () => host.stop());

  it('the contract declares licensed calls and the licence calls themselves are open', () => {
    expect(licensedCalls.length).toBeGreaterThan(3);
    expect(openCalls).toEqual(expect.arrayContaining(['license.status', 'license.install', 'app.info']));
  });

  it.each(licensedCalls)(
    'refuses %s over HTTP with license_required, before looking at the payload',
    async (name) => {
      const { status, body } = await postCall(host.server.url, name, { anything: 'at all' });
      expect(status).toBe(402);
      expect(body).toMatchObject({
        ok: false,
        error: { code: 'license_required', reason: { code: 'no_license' } },
      });
    },
  );

  it.each(licensedCalls)('refuses %s through the preload bridge handler path', async (name) => {
    const handler = createIpcCallHandler(host.app.dispatch, appOrigin);
    expect(await handler(topFrame, name, {})).toMatchObject({
      ok: false,
      error: { code: 'license_required' },
    });
  });

  it('tells why a bad key is refused, in plain words, and stays locked', async () => {
    const forged = makeTestVendor().issue(); // signed by a key the app does not trust
    const refused = await postCall(host.server.url, 'license.install', { key: forged });
    expect(refused.body).toMatchObject({
      ok: false,
      error: { code: 'license_invalid', reason: { code: 'bad_signature' } },
    });
    const garbage = await postCall(host.server.url, 'license.install', { key: 'hello' });
    expect(garbage.body.error?.message).toMatch(/AUTOBOT1/);
    expect((await postCall(host.server.url, 'candles.list', {})).status).toBe(402);
  });

  it('opens every licensed call once a valid key is installed, and locks again when it is removed', async () => {
    const installed = await postCall(host.server.url, 'license.install', {
      key: host.vendor.issue({ plan: 'pro', maxInstances: 3 }),
    });
    expect(installed.body).toMatchObject({
      ok: true,
      value: { state: 'valid', license: { plan: 'pro', maxInstances: 3 }, testKeyTrusted: true },
    });
    expect((await postCall(host.server.url, 'candles.list', {})).body).toEqual({
      ok: true,
      value: { series: [] },
    });
    expect((await postCall(host.server.url, 'license.remove', {})).body).toEqual({
      ok: true,
      value: { removed: true },
    });
    expect((await postCall(host.server.url, 'candles.list', {})).body.error?.code).toBe('license_required');
  });

  it('refuses an expired licence with license_invalid and its reason', async () => {
    const expired = host.vendor.issue({ issuedAt: new Date('2020-01-01T00:00:00Z'), expires: '2021-01-01' });
    const refused = await postCall(host.server.url, 'license.install', { key: expired });
    expect(refused.body).toMatchObject({
      ok: false,
      error: { code: 'license_invalid', reason: { code: 'expired' } },
    });
  });
});

const keychainReachable = process.platform !== 'linux' || Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

// Skipped only without a D-Bus session (plain `npx vitest` outside scripts/with-keyring.ts, which
// starts gnome-keyring); in CI, tests/integration/secret-store.test.ts fails instead of skipping.
describe.skipIf(!keychainReachable)('the licence in the real OS keychain', () => {
  const service = `autobot-test-${randomUUID()}`;
  const temp = makeTempDir();
  const vendor = makeTestVendor();
  const start = async () => {
    const app = createApp({
      dataDir: temp.dir,
      host: 'headless',
      keychainService: service,
      testPublicKeyPem: vendor.publicKeyPem,
      log: () => {},
    });
    const server = rememberToken(await startServer({ app, port: 0 }));
    return { app, server, stop: async () => (await server.close(), app.close()) };
  };
  afterAll(async () => {
    const secrets = new KeychainSecretStore(service);
    for (const name of await secrets.list()) await secrets.delete(name);
    temp.cleanup();
  });

  it('survives a restart of the headless host, and removing it locks the app again', async () => {
    const first = await start();
    await postCall(first.server.url, 'license.install', { key: vendor.issue({ plan: 'starter' }) });
    await first.stop();
    expect(await new KeychainSecretStore(service).get('license.key')).toMatch(/^AUTOBOT1\./);

    const second = await start();
    expect((await postCall(second.server.url, 'license.status', {})).body).toMatchObject({
      ok: true,
      value: { state: 'valid', license: { plan: 'starter' } },
    });
    expect((await postCall(second.server.url, 'candles.list', {})).status).toBe(200);
    await postCall(second.server.url, 'license.remove', {});
    expect((await postCall(second.server.url, 'candles.list', {})).body.error?.code).toBe('license_required');
    await second.stop();

    const third = await start();
    expect((await postCall(third.server.url, 'license.status', {})).body).toMatchObject({
      value: { state: 'none' },
    });
    await third.stop();
  });
});
