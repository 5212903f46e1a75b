import { readFileSync } from 'node:fs';
import type { AppOptions } from './app.ts';

/**
 * Settings a development or test run of the desktop app may take from the environment; a packaged
 * app ignores them (electron/main.ts only calls this when !app.isPackaged):
 * - AUTOBOT_TEST_PUBLIC_KEY_FILE: also trust this licence public key (the app then says so everywhere);
 * - AUTOBOT_KEYCHAIN_SERVICE: file secrets under another keychain service, so tests and a
 *   developer's experiments never touch the entries of their real AUTOBOT install.
 */
export function devHostOverrides(
  env: NodeJS.ProcessEnv,
): Pick<AppOptions, 'testPublicKeyPem' | 'keychainService'> {
  const overrides: Pick<AppOptions, 'testPublicKeyPem' | 'keychainService'> = {};
  if (env.AUTOBOT_TEST_PUBLIC_KEY_FILE)
    overrides.testPublicKeyPem = readFileSync(env.AUTOBOT_TEST_PUBLIC_KEY_FILE, 'utf8');
  if (env.AUTOBOT_KEYCHAIN_SERVICE) overrides.keychainService = env.AUTOBOT_KEYCHAIN_SERVICE;
  return overrides;
}
