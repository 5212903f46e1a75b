// The app side: install / activation / status / the gate, with an injected clock, an in-memory
// keychain and the persisted clock high-water mark.
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LicenseService,
  licenseSecretNames,
  type LicenseServiceOptions,
} from '../../core/license/license-service.ts';
import { machineRecordNames } from '../../core/license/machine-records.ts';
import { activate, issueLicense, type IssueLicenseOptions } from '../../core/license/vendor.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const vendor = generateKeyPairSync('ed25519');
const privateKeyPem = vendor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const hour = 60 * 60_000;
const day = 24 * hour;
const start = Date.parse('2026-03-01T09:00:00.000Z');
const thisMachine = 'a'.repeat(32);
const otherMachine = 'b'.repeat(32);
const clockName = machineRecordNames(thisMachine).clock;

function licenseKey(overrides: Partial<IssueLicenseOptions> = {}): string {
  return issueLicense({
    privateKeyPem,
    licensee: 'Ada Lovelace',
    email: 'ada@example.com',
    plan: 'pro',
    features: ['backtest', 'live-trading'],
    maxInstances: 1,
    issuedAt: new Date(start - day),
    expires: '2026-12-31',
    id: 'lic-1',
    ...overrides,
  });
}

/** A fake clock the tests move by hand. */
class Clock {
  time = start;
  now = () => new Date(this.time);
  advance(ms: number) {
    this.time += ms;
  }
}

let clock: Clock;
let secrets: MemorySecretStore;
let temp: ReturnType<typeof makeTempDir>;

beforeEach(() => {
  clock = new Clock();
  secrets = new MemorySecretStore();
  temp = makeTempDir('autobot-license-');
});
afterEach(() => temp.cleanup());

function service(options: Partial<LicenseServiceOptions> = {}): LicenseService {
  return new LicenseService({
    secrets,
    trustedKeys: [vendor.publicKey],
    now: clock.now,
    fingerprint: () => thisMachine,
    ...options,
  });
}

function activation(request: string): string {
  const result = activate({
    privateKeyPem,
    ledgerFile: path.join(temp.dir, 'ledger.db'),
    request,
    now: clock.now(),
  });
  if (!result.ok) throw new Error(result.refusal.message);
  return result.value;
}

describe('LicenseService', () => {
  it('without a licence: state none, and the gate says license_required / no_license', async () => {
    const licensing = service();
    expect(await licensing.status()).toEqual({
      state: 'none',
      reason: { code: 'no_license', message: expect.any(String) },
      tier: 'free',
      plan: 'free',
      features: [],
      maxInstances: 0,
      trial: { state: 'available', days: 14 },
      testKeyTrusted: false,
    });
    expect(await licensing.check()).toEqual({
      code: 'license_required',
      reason: { code: 'no_license', message: expect.any(String) },
    });
  });

  it('install stores a valid key in the keychain as license.key and the gate opens', async () => {
    const licensing = service();
    const key = licenseKey();
    const installed = await licensing.install(`\n${key}\n`);
    expect(installed.ok).toBe(true);
    expect(await secrets.get(licenseSecretNames.key)).toBe(key);
    const status = await licensing.status();
    expect(status.state).toBe('valid');
    expect(status.reason).toBeUndefined();
    expect(status.license?.licensee).toBe('Ada Lovelace');
    expect(status.activationRequest).toBeUndefined();
    expect(await licensing.check()).toBeNull();
    expect(await licensing.check({ feature: 'live-trading' })).toBeNull();
  });

  it('missing features: license_invalid with reason missing_feature', async () => {
    const licensing = service();
    await licensing.install(licenseKey());
    expect(await licensing.check({ feature: 'live-trading' })).toBeNull();
    const refusal = await licensing.check({ feature: 'rl' });
    expect(refusal?.code).toBe('license_invalid');
    expect(refusal?.reason.code).toBe('missing_feature');
    expect(refusal?.reason.message).toMatch(/plan "pro".*"rl"/);
  });

  it('an invalid key is refused and does not replace the valid one', async () => {
    const licensing = service();
    const key = licenseKey();
    await licensing.install(key);
    const forger = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    const cases: [string, string][] = [
      ['garbage', 'bad_encoding'],
      [licenseKey({ privateKeyPem: forger.toString() }), 'bad_signature'],
      [licenseKey({ issuedAt: new Date(start - 400 * day), expires: '2026-01-01' }), 'expired'],
      [licenseKey({ issuedAt: new Date(start + day), expires: undefined }), 'not_yet_valid'],
    ];
    for (const [text, code] of cases) {
      const result = await licensing.install(text);
      expect(result.ok ? 'ok' : result.refusal.code).toBe(code);
    }
    expect(await secrets.get(licenseSecretNames.key)).toBe(key);
    expect((await licensing.status()).state).toBe('valid');
  });

  it('expired: a stored licence turns invalid once its time is up', async () => {
    const licensing = service();
    await licensing.install(licenseKey({ expires: new Date(start + 2 * day) }));
    expect(await licensing.check()).toBeNull();
    clock.advance(3 * day);
    expect(await licensing.check()).toEqual({
      code: 'license_invalid',
      reason: { code: 'expired', message: expect.stringContaining('expired') },
    });
    expect((await licensing.status()).license?.id).toBe('lic-1');
  });

  it('the key is verified again when read back: a stored key this build does not trust is invalid', async () => {
    await service().install(licenseKey());
    const otherBuild = service({ trustedKeys: [generateKeyPairSync('ed25519').publicKey] });
    expect((await otherBuild.check())?.reason.code).toBe('bad_signature');
  });

  it('remove deletes key and activation, keeps the clock mark', async () => {
    const licensing = service();
    await licensing.install(licenseKey());
    expect(await licensing.check()).toBeNull();
    expect(await licensing.remove()).toBe(true);
    expect((await licensing.status()).state).toBe('none');
    expect(await secrets.list()).toEqual([clockName]);
    expect(await licensing.remove()).toBe(false);
  });

  it('reports a trusted test key so the UI can warn', async () => {
    expect((await service({ testKeyTrusted: true }).status()).testKeyTrusted).toBe(true);
    expect((await service().status()).testKeyTrusted).toBe(false);
  });

  describe('clock high-water mark', () => {
    it('clock_rollback: a second instance on the same keychain refuses a clock turned back past the tolerance', async () => {
      const first = service();
      await first.install(licenseKey());
      clock.advance(30 * day);
      expect(await first.check()).toBeNull();
      expect(await secrets.get(clockName)).toBe(new Date(clock.time).toISOString());

      // "Restart" with the clock set two hours back.
      const seen = clock.time;
      clock.time = seen - 2 * hour;
      const second = service();
      const refusal = await second.check();
      expect(refusal).toEqual({
        code: 'license_invalid',
        reason: { code: 'clock_rollback', message: expect.stringContaining('behind') },
      });
      expect((await second.status()).reason?.code).toBe('clock_rollback');

      // Within the tolerance (1 h by default) is fine: small corrections by NTP are not punished.
      clock.time = seen - 30 * 60_000;
      expect(await service().check()).toBeNull();
    });

    it('turning the clock back does not revive an expired licence', async () => {
      const expiry = start + 10 * day;
      const first = service();
      await first.install(licenseKey({ expires: new Date(expiry) }));
      clock.time = expiry + 2 * day;
      expect((await first.check())?.reason.code).toBe('expired');

      clock.time = expiry - day;
      const restarted = service();
      expect((await restarted.check())?.reason.code).toBe('clock_rollback');
      // The key itself is not re-installable at that time either.
      expect(await restarted.install(licenseKey({ expires: new Date(expiry) }))).toMatchObject({
        ok: false,
        refusal: { code: 'clock_rollback' },
      });
    });

    it('is written at most once per interval, and a keychain failure does not break the gate', async () => {
      const licensing = service({ highWaterMarkIntervalMs: 60_000 });
      await licensing.install(licenseKey());
      const set = vi.spyOn(secrets, 'set');
      for (let i = 0; i < 100; i++) {
        clock.advance(1000);
        expect(await licensing.check()).toBeNull();
      }
      const clockWrites = set.mock.calls.filter(([name]) => name === clockName);
      expect(clockWrites.length).toBeGreaterThanOrEqual(1);
      expect(clockWrites.length).toBeLessThanOrEqual(2);

      set.mockRejectedValue(new Error('keychain locked'));
      clock.advance(5 * 60_000);
      expect(await licensing.check()).toBeNull();
    });
  });

  describe('cache', () => {
    it('does not read the keychain on every check; re-reads after cacheMs or install/remove', async () => {
      const licensing = service({ cacheMs: 30_000 });
      await licensing.install(licenseKey());
      await licensing.check();
      const get = vi.spyOn(secrets, 'get');
      for (let i = 0; i < 1000; i++) await licensing.check({ feature: 'live-trading' });
      expect(get).not.toHaveBeenCalled();

      // Another process removes the licence: seen once the cache is older than cacheMs.
      await secrets.delete(licenseSecretNames.key);
      expect(await licensing.check()).toBeNull();
      clock.advance(31_000);
      expect((await licensing.check())?.reason.code).toBe('no_license');
      expect(get).toHaveBeenCalled();

      // install invalidates at once.
      await licensing.install(licenseKey());
      expect(await licensing.check()).toBeNull();
    });
  });

  describe('activation (maxMachines set)', () => {
    it('no_activation until an activation for this machine is installed; then valid', async () => {
      const licensing = service();
      await licensing.install(licenseKey({ maxMachines: 2 }));
      const status = await licensing.status();
      expect(status.state).toBe('invalid');
      expect(status.reason?.code).toBe('no_activation');
      expect(status.activationRequest).toMatch(/^AUTOBOT-ACTREQ1\./);
      expect(await licensing.check()).toMatchObject({
        code: 'license_required',
        reason: { code: 'no_activation' },
      });

      const installed = await licensing.installActivation(activation(status.activationRequest!));
      expect(installed.ok).toBe(true);
      expect(await secrets.get(licenseSecretNames.activation)).toMatch(/^AUTOBOT-ACT1\./);
      const after = await licensing.status();
      expect(after.state).toBe('valid');
      expect(after.activation).toMatchObject({ licenseId: 'lic-1', fingerprint: thisMachine });
      expect(after.activationRequest).toBeUndefined();
      expect(await licensing.check({ feature: 'live-trading' })).toBeNull();
    });

    it('wrong_machine: the same keychain contents on another machine (or its activation installed here)', async () => {
      const here = service();
      await here.install(licenseKey({ maxMachines: 1 }));
      await here.installActivation(activation((await here.status()).activationRequest!));
      expect(await here.check()).toBeNull();

      const elsewhere = service({ fingerprint: () => otherMachine });
      const status = await elsewhere.status();
      expect(status.reason?.code).toBe('wrong_machine');
      expect(status.activationRequest).toMatch(/^AUTOBOT-ACTREQ1\./);
      expect((await elsewhere.check())?.code).toBe('license_invalid');

      const refused = await elsewhere.installActivation((await secrets.get(licenseSecretNames.activation))!);
      expect(refused).toMatchObject({ ok: false, refusal: { code: 'wrong_machine' } });
    });

    it('wrong_license: an activation for another licence id is refused', async () => {
      const licensing = service();
      const other = service();
      await other.install(licenseKey({ id: 'lic-2', maxMachines: 1 }));
      const otherActivation = activation((await other.status()).activationRequest!);

      await licensing.install(licenseKey({ maxMachines: 1 }));
      const refused = await licensing.installActivation(otherActivation);
      expect(refused).toMatchObject({ ok: false, refusal: { code: 'wrong_license' } });
    });

    it('installing a key with another id drops the activation of the old one', async () => {
      const licensing = service();
      await licensing.install(licenseKey({ maxMachines: 1 }));
      await licensing.installActivation(activation((await licensing.status()).activationRequest!));
      await licensing.install(licenseKey({ maxMachines: 1 })); // same id (renewal): activation kept
      expect(await secrets.get(licenseSecretNames.activation)).not.toBeNull();
      await licensing.install(licenseKey({ id: 'lic-9', maxMachines: 1 }));
      expect(await secrets.get(licenseSecretNames.activation)).toBeNull();
      expect((await licensing.status()).reason?.code).toBe('no_activation');
    });

    it('an activation before any licence, or a tampered one, is refused', async () => {
      const licensing = service();
      const donor = service({ secrets: new MemorySecretStore() });
      await donor.install(licenseKey({ maxMachines: 1 }));
      const text = activation((await donor.status()).activationRequest!);
      expect(await licensing.installActivation(text)).toMatchObject({
        ok: false,
        refusal: { code: 'no_license' },
      });

      await licensing.install(licenseKey({ maxMachines: 1 }));
      // Change the third character from the end (inside the signature) to another one.
      const changed = text.at(-3) === 'A' ? 'B' : 'A';
      const tampered = text.slice(0, -3) + changed + text.slice(-2);
      expect(tampered).not.toBe(text);
      const result = await licensing.installActivation(tampered);
      expect(result.ok).toBe(false);
      expect(await secrets.get(licenseSecretNames.activation)).toBeNull();
    });

    it('a licence without maxMachines needs no activation', async () => {
      const licensing = service({ fingerprint: () => otherMachine });
      await licensing.install(licenseKey({ maxMachines: null }));
      expect(await licensing.check()).toBeNull();
    });
  });
});
