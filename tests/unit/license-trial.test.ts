// The 14-day trial and the free tier, with an injected clock and in-memory keychains: started once
// per machine, days left, the end, a clock turned back, and independence from the install's
// keychain service (the machine's records live apart from it).
import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { LicenseService, type LicenseServiceOptions } from '../../core/license/license-service.ts';
import { legacyClockSecretName, machineRecordNames } from '../../core/license/machine-records.ts';
import { parseTrialRecord, serializeTrialRecord, trialStatus } from '../../core/license/trial.ts';
import { issueLicense } from '../../core/license/vendor.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { UnavailableKeychain } from '../support/unavailable-keychain.ts';

const vendor = generateKeyPairSync('ed25519');
const privateKeyPem = vendor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const hour = 60 * 60_000;
const day = 24 * hour;
const start = Date.parse('2026-03-01T09:00:00.000Z');
const thisMachine = 'c'.repeat(32);

class Clock {
  time = start;
  now = () => new Date(this.time);
}

let clock: Clock;
let install: MemorySecretStore;
let machine: MemorySecretStore;

beforeEach(() => {
  clock = new Clock();
  install = new MemorySecretStore();
  machine = new MemorySecretStore();
});

function service(options: Partial<LicenseServiceOptions> = {}): LicenseService {
  return new LicenseService({
    secrets: install,
    machineSecrets: machine,
    trustedKeys: [vendor.publicKey],
    now: clock.now,
    fingerprint: () => thisMachine,
    ...options,
  });
}

function licenseKey(features: string[]): string {
  return issueLicense({
    privateKeyPem,
    licensee: 'Ada Lovelace',
    email: 'ada@example.com',
    plan: 'starter',
    features,
    maxInstances: 3,
    issuedAt: new Date(start - day),
  });
}

async function startedTrial(licensing: LicenseService) {
  const started = await licensing.startTrial();
  if (!started.ok) throw new Error(started.refusal.message);
  return started.value;
}

describe('the free tier', () => {
  it('free calls pass without a licence; licensed and feature calls say what unlocks them', async () => {
    const licensing = service();
    expect(await licensing.check('free')).toBeNull();
    expect(await licensing.check('licensed')).toMatchObject({
      code: 'license_required',
      reason: { code: 'no_license', message: expect.stringMatching(/trial/) },
    });
    expect(await licensing.check({ feature: 'live-trading' })).toMatchObject({
      code: 'license_required',
      reason: { code: 'no_license', message: expect.stringContaining('"live-trading"') },
    });
    expect(await licensing.entitlements()).toEqual({
      tier: 'free',
      plan: 'free',
      features: [],
      maxInstances: 0,
    });
  });

  it('free calls never touch the keychain, so they pass when it does not answer', async () => {
    const broken = new UnavailableKeychain();
    const licensing = service({ secrets: broken, machineSecrets: broken });
    expect(await licensing.check('free')).toBeNull();
    expect(broken.touched).toBe(0);
    expect(await licensing.check('licensed')).toMatchObject({
      code: 'keychain_unavailable',
      reason: { code: 'keychain_unavailable', message: expect.stringContaining('keychain') },
    });
    const status = await licensing.status();
    expect(status).toMatchObject({ state: 'none', tier: 'free', trial: { state: 'unavailable' } });
    await expect(licensing.startTrial()).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });
});

describe('the 14-day trial', () => {
  it('starts once: every feature but live trading, one bot; a second start is refused', async () => {
    const licensing = service();
    const status = await startedTrial(licensing);
    expect(status).toMatchObject({
      state: 'none',
      tier: 'trial',
      plan: 'trial',
      features: ['rl'],
      maxInstances: 1,
      trial: {
        state: 'active',
        startedAt: new Date(start).toISOString(),
        endsAt: new Date(start + 14 * day).toISOString(),
        daysLeft: 14,
      },
    });
    expect(await licensing.check('licensed')).toBeNull();
    expect(await licensing.check({ feature: 'rl' })).toBeNull();
    expect(await licensing.maxInstances()).toBe(1);

    const refusal = await licensing.check({ feature: 'live-trading' });
    expect(refusal).toMatchObject({ code: 'license_required', reason: { code: 'missing_feature' } });
    expect(refusal?.reason.message).toMatch(/trial does not include "live-trading"/);

    clock.time += hour;
    expect(await licensing.startTrial()).toMatchObject({
      ok: false,
      refusal: { code: 'trial_used', message: expect.stringContaining('already running') },
    });
  });

  it('counts the days left on the injected clock and ends after 14 days', async () => {
    const licensing = service({ cacheMs: 0 });
    await startedTrial(licensing);
    const daysLeftAt = async (offset: number) => {
      clock.time = start + offset;
      const { trial } = await licensing.status();
      return trial.state === 'active' ? trial.daysLeft : trial.state;
    };
    expect(await daysLeftAt(1)).toBe(14);
    expect(await daysLeftAt(day)).toBe(13);
    expect(await daysLeftAt(day + 1)).toBe(13);
    expect(await daysLeftAt(13 * day + 1)).toBe(1);
    expect(await daysLeftAt(14 * day - 1)).toBe(1);
    expect(await daysLeftAt(14 * day)).toBe('ended');

    expect(await licensing.check('licensed')).toMatchObject({
      code: 'license_required',
      reason: { code: 'trial_ended', message: expect.stringContaining('2026-03-15') },
    });
    expect(await licensing.entitlements()).toMatchObject({ tier: 'free', maxInstances: 0 });
    expect(await licensing.startTrial()).toMatchObject({
      ok: false,
      refusal: { code: 'trial_used', message: expect.stringContaining('2026-03-01 to 2026-03-15') },
    });
  });

  it('a clock turned back after a restart neither revives nor extends it', async () => {
    const first = service();
    await startedTrial(first);
    clock.time = start + 15 * day;
    expect((await first.status()).trial.state).toBe('ended');

    // Restarted with the clock set back into the trial's window: the mark says that time has passed.
    clock.time = start + 10 * day;
    const restarted = service();
    const status = await restarted.status();
    expect(status.trial).toMatchObject({ state: 'suspended', message: expect.stringContaining('behind') });
    expect(status.tier).toBe('free');
    expect(await restarted.check('licensed')).toMatchObject({
      code: 'license_invalid',
      reason: { code: 'clock_rollback' },
    });
  });

  it("the trial's own start counts as a time already seen, even with the clock mark deleted", async () => {
    await startedTrial(service());
    await machine.delete(machineRecordNames(thisMachine).clock);
    clock.time = start - 2 * day;
    expect((await service().status()).trial.state).toBe('suspended');
  });

  it('cannot be started with the clock behind the mark, including the older per-install mark', async () => {
    await install.set(legacyClockSecretName, new Date(start + 5 * day).toISOString());
    expect(await service().startTrial()).toMatchObject({ ok: false, refusal: { code: 'clock_rollback' } });
    expect(await machine.list()).toEqual([]);
  });

  it('belongs to the machine: another install (keychain service, data folder) sees it and cannot start another', async () => {
    await startedTrial(service());
    const otherInstall = service({ secrets: new MemorySecretStore() });
    expect((await otherInstall.status()).trial).toMatchObject({ state: 'active', daysLeft: 14 });
    expect(await otherInstall.startTrial()).toMatchObject({ ok: false, refusal: { code: 'trial_used' } });

    // The clock mark too: it is written to the machine store, named by the fingerprint.
    clock.time = start + 3 * day;
    await otherInstall.status();
    expect(await machine.get(machineRecordNames(thisMachine).clock)).toBe(new Date(clock.time).toISOString());
    clock.time = start + day;
    expect((await service({ secrets: new MemorySecretStore() }).check('licensed'))?.reason.code).toBe(
      'clock_rollback',
    );

    // Another machine (another fingerprint) has its own trial.
    clock.time = start + 3 * day;
    expect((await service({ fingerprint: () => 'd'.repeat(32) }).startTrial()).ok).toBe(true);
  });

  it('a damaged trial record counts as used', async () => {
    await machine.set(machineRecordNames(thisMachine).trial, 'not json');
    const licensing = service();
    expect((await licensing.status()).trial).toEqual({ state: 'ended' });
    expect(await licensing.startTrial()).toMatchObject({ ok: false, refusal: { code: 'trial_used' } });
    expect(trialStatus('damaged', clock.now())).toEqual({ state: 'ended' });
  });
});

describe("a licence's features", () => {
  it('decide live trading; the plan and maxInstances come from the licence', async () => {
    const licensing = service();
    await licensing.install(licenseKey(['live-trading']));
    expect(await licensing.check({ feature: 'live-trading' })).toBeNull();
    expect(await licensing.entitlements()).toEqual({
      tier: 'licensed',
      plan: 'starter',
      features: ['live-trading'],
      maxInstances: 3,
    });
    const refusal = await licensing.check({ feature: 'rl' });
    expect(refusal).toMatchObject({ code: 'license_invalid', reason: { code: 'missing_feature' } });
    expect(refusal?.reason.message).toContain('"rl"');

    await licensing.install(licenseKey([]));
    expect((await licensing.check({ feature: 'live-trading' }))?.reason.message).toContain('"live-trading"');
    expect(await licensing.check('licensed')).toBeNull();
  });

  it('during a running trial, a licence adds to what the trial grants', async () => {
    const licensing = service();
    await startedTrial(licensing);
    await licensing.install(licenseKey(['live-trading']));
    expect(await licensing.entitlements()).toEqual({
      tier: 'licensed',
      plan: 'starter',
      features: ['live-trading', 'rl'],
      maxInstances: 3,
    });
  });
});

describe('the trial rules (properties)', () => {
  const startedAt = fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2100-01-01T00:00:00Z'),
    noInvalidDate: true,
  });
  const offset = fc.integer({ min: 0, max: 40 * day });

  it('active for exactly 14 days with 1 to 14 days left, never more as time passes; then ended', () => {
    fc.assert(
      fc.property(startedAt, offset, offset, (started, a, b) => {
        const record = parseTrialRecord(serializeTrialRecord(started));
        expect(record).toEqual({ startedAt: started.toISOString() });
        const [earlier, later] = [Math.min(a, b), Math.max(a, b)];
        const at = (ms: number) => trialStatus(record, new Date(started.getTime() + ms));
        const first = at(earlier);
        const second = at(later);
        for (const [status, ms] of [
          [first, earlier],
          [second, later],
        ] as const) {
          if (ms < 14 * day) {
            expect(status).toMatchObject({ state: 'active', daysLeft: Math.ceil((14 * day - ms) / day) });
          } else {
            expect(status.state).toBe('ended');
          }
        }
        const left = (status: typeof first) => (status.state === 'active' ? status.daysLeft : 0);
        expect(left(second)).toBeLessThanOrEqual(left(first));
      }),
    );
  });

  it('any stored text reads as no record, a record, or damaged (counted as used) — never a throw', () => {
    fc.assert(
      fc.property(fc.option(fc.oneof(fc.string(), fc.json()), { nil: null }), (text) => {
        const record = parseTrialRecord(text);
        if (text === null) expect(record).toBeNull();
        else expect(record === 'damaged' || typeof record?.startedAt === 'string').toBe(true);
        expect(trialStatus(record, clock.now()).state).not.toBe(record === null ? 'ended' : 'available');
      }),
    );
  });
});
