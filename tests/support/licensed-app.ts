import { createApp, type App, type AppOptions } from '../../core/app/app.ts';
import { MemorySecretStore } from './memory-secret-store.ts';
import { makeTestVendor, type TestVendor } from './test-license.ts';

/**
 * A real core that trusts a fresh test vendor key and holds a valid licence, for tests of layers
 * other than the licence itself (which tests/unit/license-*.test.ts and the gate tests cover).
 */
export async function createLicensedTestApp(
  options: Partial<AppOptions> & { dataDir: string; licensed?: boolean },
): Promise<{ app: App; vendor: TestVendor }> {
  const vendor = makeTestVendor();
  const app = createApp({
    host: 'test',
    secretStore: new MemorySecretStore(),
    checkOutputs: true,
    log: () => {},
    ...options,
    testPublicKeyPem: vendor.publicKeyPem,
  });
  if (options.licensed ?? true) {
    const installed = await app.license.install(vendor.issue());
    if (!installed.ok) throw new Error(`test licence refused: ${installed.refusal.message}`);
  }
  return { app, vendor };
}
