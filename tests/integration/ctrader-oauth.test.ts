// cTrader OAuth for a desktop app (RFC 8252) against a loopback authorisation server, with the
// tokens in the real OS keychain (run through scripts/with-keyring.ts): the loopback redirect and
// the pasted-address fallback, state and PKCE, a code used once, and a refresh that happens exactly
// once however many ask — and survives the process being killed right after it.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startConnectFlow } from '../../core/oauth/connect-flow.ts';
import { OAuthError } from '../../core/oauth/redirect-address.ts';
import { SessionTokens } from '../../core/oauth/session-tokens.ts';
import { TokenClient } from '../../core/oauth/token-client.ts';
import { TokenVault } from '../../core/oauth/token-vault.ts';
import { KeychainSecretStore } from '../../core/secrets/secret-store.ts';
import { OAuthServer } from '../support/oauth-server.ts';
import { makeTestCertificates, type TestCertificates } from '../support/test-certificates.ts';

const service = `autobot-test-${randomUUID()}`;
const store = new KeychainSecretStore(service);
const keychainReachable = process.platform !== 'linux' || Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
if (!keychainReachable && process.env.CI)
  throw new Error(
    'CI must run the keychain tests against a real Secret Service: run them through scripts/with-keyring.ts.',
  );

let certs: TestCertificates;
let server: OAuthServer;
beforeAll(async () => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  await server?.close();
  if (keychainReachable) for (const name of await store.list()) await store.delete(name);
});
afterAll(async () => {
  if (keychainReachable) for (const name of await store.list()) await store.delete(name);
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
    httpsGet(url, { ca: certs.ca }, (response) => {
      response.resume();
      resolve(response.headers.location!);
    }).on('error', reject);
  });
}

/** The browser following the redirect to our loopback listener: the status it is shown. */
function visit(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    httpGet(address, (response) => {
      response.resume();
      resolve(response.statusCode!);
    }).on('error', reject);
  });
}

async function setup() {
  server = await OAuthServer.start(certs.valid, 'my-app', 'my-secret');
  const client = new TokenClient({
    tokenUrl: server.endpoints.tokenUrl,
    clientId: 'my-app',
    clientSecret: 'my-secret',
    ca: certs.ca,
  });
  const vault = new TokenVault(store, 'ctrader.demo');
  return { client, vault };
}

describe.skipIf(!keychainReachable)('cTrader OAuth with the real keychain', () => {
  it('connects through the loopback redirect with state and PKCE, and stores the pair', async () => {
    const { client, vault } = await setup();
    let authorise!: Promise<string>;
    const flow = await startConnectFlow({
      endpoints: server.endpoints,
      clientId: 'my-app',
      client,
      vault,
      port: await freePort(),
      openBrowser: (url) => {
        authorise = approve(url);
      },
    });
    expect(new URL(flow.url).searchParams.get('code_challenge_method')).toBe('S256');
    expect(await visit(await authorise)).toBe(200);
    const stored = await flow.done;
    expect(stored).toMatchObject({
      accessToken: server.accessToken,
      refreshToken: server.refreshToken,
      generation: 1,
    });
    expect(server.pkceVerified).toBe(1);
    expect(await vault.read()).toEqual(stored);
  });

  it('refuses a redirect whose state is not ours, and still completes with the real one', async () => {
    const { client, vault } = await setup();
    let authorise!: Promise<string>;
    const port = await freePort();
    const flow = await startConnectFlow({
      endpoints: server.endpoints,
      clientId: 'my-app',
      client,
      vault,
      port,
      openBrowser: (url) => {
        authorise = approve(url);
      },
    });
    const real = await authorise;
    const forged = new URL(real);
    forged.searchParams.set('state', 'someone-else');
    expect(await visit(forged.toString())).toBe(400);
    expect(() => flow.pasteAddress(forged.toString())).toThrow(/state does not match/);
    expect(server.counts.exchanges).toBe(0); // a forged code is never exchanged
    expect(await visit(real)).toBe(200);
    await flow.done;
    expect(server.counts.exchanges).toBe(1);
  });

  it('the pasted-address fallback connects, and the used code is refused a second time', async () => {
    const { client, vault } = await setup();
    let authorise!: Promise<string>;
    const flow = await startConnectFlow({
      endpoints: server.endpoints,
      clientId: 'my-app',
      client,
      vault,
      port: await freePort(),
      openBrowser: (url) => {
        authorise = approve(url);
      },
    });
    const address = await authorise;
    flow.pasteAddress(address);
    await flow.done;
    const code = new URL(address).searchParams.get('code')!;
    const again = await client
      .exchangeCode(code, new URL(address).origin + '/callback', 'x'.repeat(43))
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(OAuthError);
    expect((again as OAuthError).message).toMatch(/code already used/);
  });

  it('many callers near expiry cause exactly one refresh, stored before anyone gets the token', async () => {
    const { client, vault } = await setup();
    server.seed('at-old', 'rt-old');
    const now = Date.now();
    await vault.write({ accessToken: 'at-old', refreshToken: 'rt-old', expiresAt: now + 3 * 86_400_000 });
    const tokens = new SessionTokens({ vault, client });
    const answers = await Promise.all(Array.from({ length: 5 }, () => tokens.accessToken()));
    expect(server.counts.refreshes).toBe(1);
    expect(new Set(answers)).toEqual(new Set([server.accessToken]));
    expect(await vault.read()).toMatchObject({ refreshToken: server.refreshToken, generation: 2 });
  });

  it('a process killed right after its refresh: exactly one refresh, the new pair kept, the restart carries on', async () => {
    const { vault } = await setup();
    server.seed('at-old', 'rt-old');
    await vault.write({ accessToken: 'at-old', refreshToken: 'rt-old', expiresAt: Date.now() + 86_400_000 });
    const child = spawn(
      process.execPath,
      [path.resolve('tests/support/token-refresh-child.ts'), service, server.endpoints.tokenUrl],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, AUTOBOT_TEST_CA: certs.ca } },
    );
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (String(chunk).includes('persisted')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before persisting: ${errors}`)));
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(server.counts.refreshes).toBe(1);
    // The restarted app: a fresh vault on the same keychain finds the new pair, and it works.
    const restarted = new SessionTokens({
      vault: new TokenVault(new KeychainSecretStore(service), 'ctrader.demo'),
      client: new TokenClient({
        tokenUrl: server.endpoints.tokenUrl,
        clientId: 'my-app',
        clientSecret: 'my-secret',
        ca: certs.ca,
      }),
    });
    expect(await restarted.current()).toMatchObject({
      accessToken: server.accessToken,
      refreshToken: server.refreshToken,
      generation: 2,
    });
    expect(await restarted.accessToken()).toBe(server.accessToken);
    await restarted.refresh();
    expect(server.counts).toMatchObject({ refreshes: 2, refused: 0 });
  });

  it('an unreadable newest slot falls back to the previous pair', async () => {
    const { vault } = await setup();
    await vault.write({ accessToken: 'a1', refreshToken: 'r1', expiresAt: 1 });
    const second = await vault.write({ accessToken: 'a2', refreshToken: 'r2', expiresAt: 2 });
    expect(second.generation).toBe(2);
    await store.set('ctrader.demo.token.0', '{"accessToken":"a2"'); // generation 2's slot, half-written
    expect(await vault.read()).toMatchObject({ accessToken: 'a1', generation: 1 });
    expect((await vault.write({ accessToken: 'a3', refreshToken: 'r3', expiresAt: 3 })).generation).toBe(2);
  });
});
