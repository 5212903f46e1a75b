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
