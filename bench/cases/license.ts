// Licence verification cost. Each timed run is ONE operation, and `runs` is large: the harness's
// median_ms is therefore the median of single operations, i.e. directly the per-verify (or
// per-check) figure the acceptance is stated in (≤ 1 ms per verify). A batch-and-divide figure
// would report a mean, which hides outliers the gate would feel. median_ms is rounded to 0.01 ms by
// the harness; the *_us figures keep more precision.
import { generateKeyPairSync } from 'node:crypto';
import type { BenchCase } from '../harness.ts';
import type { SecretStore } from '../../core/secrets/secret-store.ts';
import { LicenseService } from '../../core/license/license-service.ts';
import { issueLicense } from '../../core/license/vendor.ts';
import { verifyLicenseKey } from '../../core/license/verify.ts';

const runs = 2001;
const warmup = 200;

function fixture() {
  const vendor = generateKeyPairSync('ed25519');
  const key = issueLicense({
    privateKeyPem: vendor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    licensee: 'Bench Mark',
    email: 'bench@example.com',
    plan: 'pro',
    features: ['backtest', 'optimise', 'live-trading', 'bots'],
    maxInstances: 1,
    issuedAt: new Date('2026-01-01T00:00:00Z'),
    expires: '2030-12-31',
  });
  return { key, trusted: [vendor.publicKey], now: new Date('2026-06-01T00:00:00Z') };
}

/** Keychain stand-in: the bench measures the licence code, not D-Bus. */
function memorySecrets(): SecretStore {
  const values = new Map<string, string>();
  return {
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => values.delete(name),
    list: async () => [...values.keys()].sort(),
  };
}

const micro = (ms: number) => ({
  per_op_us: Math.round(ms * 1000 * 10) / 10,
  ops_per_s: Math.round(1000 / ms),
});

export const licenseCases: BenchCase[] = [
  {
    // Full verification of a pasted key: strip whitespace, base64url, Ed25519 signature, JSON,
    // zod schema, product and validity dates.
    name: 'license.verify',
    runs,
    warmup,
    setup: fixture,
    run: (state) => {
      const { key, trusted, now } = state as ReturnType<typeof fixture>;
      if (!verifyLicenseKey(key, trusted, now).ok) throw new Error('the bench licence did not verify');
    },
    figures: (ms) => ({ per_verify_ms: Math.round(ms * 10_000) / 10_000, ...micro(ms) }),
  },
  {
    // The call gate with a warm cache: what every licensed call pays.
    name: 'license.check',
    runs,
    warmup,
    setup: async () => {
      const { key, trusted, now } = fixture();
      const service = new LicenseService({
        secrets: memorySecrets(),
        trustedKeys: trusted,
        now: () => now,
        fingerprint: () => '0'.repeat(32),
      });
      const installed = await service.install(key);
      if (!installed.ok) throw new Error(installed.refusal.message);
      return service;
    },
    run: async (state) => {
      if ((await (state as LicenseService).check({ feature: 'live-trading' })) !== null) {
        throw new Error('the bench licence was refused');
      }
    },
    figures: micro,
  },
];
