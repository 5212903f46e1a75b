// A vendor key pair made for one test run, and licences signed with it. No private key is ever
// committed; the app under test trusts the public half as its extra test key.
import { generateKeyPairSync } from 'node:crypto';
import { issueLicense, type IssueLicenseOptions } from '../../core/license/vendor.ts';

export interface TestVendor {
  publicKeyPem: string;
  privateKeyPem: string;
  issue(overrides?: Partial<Omit<IssueLicenseOptions, 'privateKeyPem'>>): string;
}

export function makeTestVendor(): TestVendor {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    publicKeyPem,
    privateKeyPem,
    issue: (overrides = {}) =>
      issueLicense({
        privateKeyPem,
        licensee: 'Test Trader',
        email: 'trader@example.com',
        plan: 'pro',
        features: ['backtest', 'optimize', 'live-trading'],
        maxInstances: 5,
        maxMachines: null,
        ...overrides,
      }),
  };
}
