// A host restart with a cTrader session and a bot on its prices: the first host connects Demo
// (through the loopback authorisation server) and runs a paper bot on the peer's EURUSD spots; it
// closes with the bot running. The next host on the same data and keychain connects Demo again
// with the stored tokens — no sign-in — and resumes the bot, which takes the next closed bars.
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../core/app/app.ts';
import type { BotSummaryJson } from '../../core/contract/bots-calls.ts';
import type { CTraderStatus } from '../../core/contract/ctrader-calls.ts';
import { CTraderPeer } from '../support/ctrader-peer.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
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

/** The user approving on the authorisation page, and the browser following the redirect home. */
async function approveInBrowser(url: string): Promise<void> {
  const redirect = await new Promise<string>((resolve, reject) => {
    httpsGet(url, { ca: certs.ca }, (approved) => {
      approved.resume();
      resolve(approved.headers.location!);
    }).on('error', reject);
  });
  await new Promise<void>((resolve, reject) => {
    httpGet(redirect, (landed) => {
      landed.resume();
      landed.on('end', resolve);
    }).on('error', reject);
  });
}

async function call<T>(app: App, name: string, input: unknown = {}): Promise<T> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** Waits for `check` to pass (checked every 50 ms): a hang detector, not a speed check. */
const until = (check: () => unknown) => vi.waitFor(check, { timeout: 60_000, interval: 50 });
const demo = (status: CTraderStatus) => status.environments.find((e) => e.environment === 'demo')!;
const minute = Date.UTC(2026, 11, 1, 9, 0) / 1000;
const bar = (i: number, price: number) => ({
  time: minute + i * 60,
  open: price,
  high: price + 0.0002,
  low: price - 0.0002,
  close: price + 0.0001,
});

describe('a cTrader session and its bot across a host restart', () => {
  it('connects Demo again with the stored tokens and resumes the bot on its spots', async () => {
    const oauth = await OAuthServer.start(certs.valid, 'my-app', 'my-secret');
    const peer = await CTraderPeer.start({
      pair: certs.valid,
      clientId: 'my-app',
      clientSecret: 'my-secret',
      accessToken: 'unused',
      refreshToken: 'unused',
    });
    oauth.onIssue = (token) => peer.acceptToken(token);
    const { dir, cleanup } = makeTempDir('autobot-ctrader-restart-');
    cleanups.push(
      cleanup,
      () => oauth.close(),
      () => peer.close(),
    );
    const secretStore = new MemorySecretStore();
    const ctrader = {
      openBrowser: () => {},
      testHooks: {
        oauth: oauth.endpoints,
        endpoints: { demo: peer.endpoint },
        ca: certs.ca,
        redirectPort: await freePort(),
      },
    };

    const { app: first, vendor } = await createLicensedTestApp({ dataDir: dir, secretStore, ctrader });
    cleanups.push(() => first.close());
    await call(first, 'ctrader.saveApplication', { clientId: 'my-app', clientSecret: 'my-secret' });
    const { authorizationUrl } = await call<{ authorizationUrl: string }>(first, 'ctrader.connectDemo');
    await approveInBrowser(authorizationUrl);
    await until(async () =>
      expect(demo(await call<CTraderStatus>(first, 'ctrader.status')).connection).toBe('connected'),
    );
    const { bot } = await call<{ bot: BotSummaryJson }>(first, 'bots.create', {
      definition: {
        name: 'eurusd on spots',
        strategy: 'sma-cross',
        params: { fast: 2, slow: 4 },
        symbol: 'EURUSD',
        timeframe: '1m',
        cash: 10_000,
        feed: { kind: 'ctrader' },
      },
    });
    await call(first, 'bots.start', { id: bot.id });
    await until(() => expect(peer.counts.spotsSubscribed).toBe(1));
    for (let i = 0; i < 3; i++) peer.pushBar(1, bar(i, 1.085), '1m');
    peer.pushSpot(1, 108_500, 108_502, (minute + 3 * 60) * 1000);
    await until(async () =>
      expect((await call<{ bot: BotSummaryJson }>(first, 'bots.get', { id: bot.id })).bot.bars).toBe(3),
    );
    first.close();
    cleanups.pop();

    // The next start: same data, same keychain, the same trusted licence key.
    const second = createApp({
      host: 'test',
      dataDir: dir,
      secretStore,
      testPublicKeyPem: vendor.publicKeyPem,
      log: () => {},
      ctrader,
    });
    cleanups.push(() => second.close());
    await until(async () => {
      const status = demo(await call<CTraderStatus>(second, 'ctrader.status'));
      expect(status.connection).toBe('connected');
      expect(status.accounts.map((account) => account.traderLogin)).toEqual([5_001_001]);
    });
    expect(oauth.counts.exchanges).toBe(1);
    // What a bot on its prices can trade: the broker's symbols; Live is not connected.
    const { symbols } = await call<{ symbols: { symbol: string; priceDecimals: number }[] }>(
      second,
      'ctrader.symbols',
      { environment: 'demo' },
    );
    expect(symbols.map(({ symbol, priceDecimals }) => [symbol, priceDecimals])).toEqual([
      ['EURUSD', 5],
      ['PALMOIL', 0],
    ]);
    expect(await second.dispatch('ctrader.symbols', { environment: 'live' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'cTrader Live is not connected: connect it on the Account page.' },
    });
    await until(() => expect(peer.counts.spotsSubscribed).toBe(2));
    expect((await call<{ bot: BotSummaryJson }>(second, 'bots.get', { id: bot.id })).bot.status).toBe(
      'running',
    );
    for (let i = 4; i < 7; i++) peer.pushBar(1, bar(i, 1.086), '1m');
    peer.pushSpot(1, 108_600, 108_602, (minute + 7 * 60) * 1000);
    await until(async () => {
      const resumed = (await call<{ bot: BotSummaryJson }>(second, 'bots.get', { id: bot.id })).bot;
      expect(resumed.bars).toBe(6);
      expect(resumed.lastBarTime).toBe(minute + 6 * 60);
    });
  });
});
