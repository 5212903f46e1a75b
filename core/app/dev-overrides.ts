import { readFileSync } from 'node:fs';
import type { AppOptions } from './app.ts';

/**
 * Settings a development or test run of the desktop app may take from the environment; a packaged
 * app ignores them (electron/main.ts only calls this when !app.isPackaged):
 * - AUTOBOT_TEST_PUBLIC_KEY_FILE: also trust this licence public key (the app then says so everywhere);
 * - AUTOBOT_KEYCHAIN_SERVICE: file secrets under another keychain service, so tests and a
 *   developer's experiments never touch the entries of their real AUTOBOT install;
 * - AUTOBOT_MACHINE_KEYCHAIN_SERVICE: see machineKeychainOverride.
 */
export function devHostOverrides(
  env: NodeJS.ProcessEnv,
): Pick<AppOptions, 'testPublicKeyPem' | 'keychainService' | 'machineKeychainService'> {
  const overrides: Pick<AppOptions, 'testPublicKeyPem' | 'keychainService' | 'machineKeychainService'> =
    machineKeychainOverride(env);
  if (env.AUTOBOT_TEST_PUBLIC_KEY_FILE)
    overrides.testPublicKeyPem = readFileSync(env.AUTOBOT_TEST_PUBLIC_KEY_FILE, 'utf8');
  if (env.AUTOBOT_KEYCHAIN_SERVICE) overrides.keychainService = env.AUTOBOT_KEYCHAIN_SERVICE;
  return overrides;
}

/**
 * AUTOBOT_MACHINE_KEYCHAIN_SERVICE: file the machine-level records (the trial, the clock's
 * high-water mark) under another keychain service than "AUTOBOT-machine". It exists for tests,
 * which share one throwaway keyring per run and must not see each other's trials, and is not
 * offered as a flag or in the help. Whoever finds it can start a second trial with it, as they
 * could by deleting the keychain entry; docs/licensing.md says so. `autobot serve` reads it, as
 * the desktop app does outside a packaged build.
 */
export function machineKeychainOverride(env: NodeJS.ProcessEnv): Pick<AppOptions, 'machineKeychainService'> {
  const service = env.AUTOBOT_MACHINE_KEYCHAIN_SERVICE;
  return service ? { machineKeychainService: service } : {};
}

/**
 * AUTOBOT_PROVIDER_PEER: send every market-data provider's requests to this loopback address
 * (tests/support/provider-peer.ts) instead of the real APIs. Tests only, and only a loopback
 * http:// address is taken, so it can never turn TLS off for a real host; `autobot serve` reads it.
 */
export function providerPeerOverride(env: NodeJS.ProcessEnv): Pick<AppOptions, 'providers'> {
  const peer = env.AUTOBOT_PROVIDER_PEER;
  if (!peer) return {};
  const url = new URL(peer);
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`AUTOBOT_PROVIDER_PEER must be a loopback http:// address, got ${peer}`);
  const base = url.origin;
  return {
    providers: {
      endpoints: {
        alphavantage: base,
        twelvedata: base,
        coingecko: base,
        fred: base,
        newsapi: base,
        shopify: base,
      },
    },
  };
}

/**
 * AUTOBOT_CTRADER_PEER: a JSON object `{ oauth, demo, live?, ca, redirectPort }` sending cTrader's
 * OAuth and Open API to loopback fakes (tests/support/oauth-server.ts, ctrader-peer.ts) that present
 * a certificate of the test CA `ca`. Tests only, for the end-to-end run against `autobot serve`.
 * Every address must be 127.0.0.1 or localhost, so the extra trust anchor can never vouch for a
 * real cTrader host: verification stays on for those, with the system's CAs only.
 */
export function ctraderPeerOverride(env: NodeJS.ProcessEnv): Pick<AppOptions, 'ctrader'> {
  const raw = env.AUTOBOT_CTRADER_PEER;
  if (!raw) return {};
  const peer = JSON.parse(raw) as {
    oauth: string;
    demo: string;
    live?: string;
    ca: string;
    redirectPort: number;
  };
  const loopback = (host: string) => ['127.0.0.1', 'localhost'].includes(host);
  const oauth = new URL(peer.oauth);
  if (oauth.protocol !== 'https:' || !loopback(oauth.hostname))
    throw new Error(`AUTOBOT_CTRADER_PEER.oauth must be a loopback https:// origin, got ${peer.oauth}`);
  const endpoint = (name: string, address: string) => {
    const url = new URL(`wss://${address}`);
    if (!loopback(url.hostname) || url.port === '')
      throw new Error(`AUTOBOT_CTRADER_PEER.${name} must be a loopback host:port, got ${address}`);
    return { host: url.hostname, port: Number(url.port) };
  };
  return {
    ctrader: {
      testHooks: {
        oauth: { authorizeUrl: `${oauth.origin}/apps/auth`, tokenUrl: `${oauth.origin}/apps/token` },
        endpoints: {
          demo: endpoint('demo', peer.demo),
          ...(peer.live === undefined ? {} : { live: endpoint('live', peer.live) }),
        },
        ca: peer.ca,
        redirectPort: peer.redirectPort,
      },
    },
  };
}
