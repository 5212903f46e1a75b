// The app's licence state: the key and its activation live in the OS keychain (never a plain
// file), are verified against the trusted public keys, and are re-read at most every `cacheMs` so
// the call gate costs a few comparisons. Time-dependent checks run on every call against the
// injected clock; a high-water mark of the clock, also in the keychain, stops a turned-back clock
// from reviving an expired licence or a used trial. Without a licence the app runs on the free
// tier, or on the 14-day trial once started (trial.ts); entitlements.ts turns both into what the
// app may do. docs/licensing.md.
import type { KeyObject } from 'node:crypto';
import { AutobotError } from '../contract/errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { accessRefusal, entitlementsOf, type AccessRequirement, type Entitlements } from './entitlements.ts';
import { machineFingerprint } from './fingerprint.ts';
import {
  normalizeToken,
  refuse,
  type ActivationPayload,
  type LicensePayload,
  type LicenseRefusal,
  type LicenseResult,
} from './format.ts';
import {
  checkActivation,
  checkClock,
  checkLicenseTime,
  createActivationRequest,
  decodeActivation,
  decodeLicenseKey,
  defaultClockToleranceMs,
  type VerifiedLicense,
} from './verify.ts';
import { machineHighWaterMark, machineRecordNames, type HighWaterMarkStore } from './machine-records.ts';
import {
  parseTrialRecord,
  serializeTrialRecord,
  trialDays,
  trialStatus,
  type TrialRecord,
  type TrialStatus,
} from './trial.ts';

export type { HighWaterMarkStore } from './machine-records.ts';

/** The install's entries, under its own keychain service. */
export const licenseSecretNames = {
  key: 'license.key',
  activation: 'license.activation',
} as const;

export interface LicenseServiceOptions {
  /** The install's store: the key and the activation. */
  secrets: SecretStore;
  /** The machine's store: the trial record and the clock's high-water mark (machine-records.ts). Default: `secrets`. */
  machineSecrets?: SecretStore;
  /** Public Ed25519 keys whose signatures are accepted (loadTrustedKeys().keys). */
  trustedKeys: readonly KeyObject[];
  /** loadTrustedKeys().testKeyTrusted: echoed in status() so the UI can warn. */
  testKeyTrusted?: boolean;
  now?: () => Date;
  /** This machine's fingerprint; machineFingerprint() by default. */
  fingerprint?: () => string;
  /** machineHighWaterMark(machineSecrets, fingerprint, secrets) by default. */
  highWaterMark?: HighWaterMarkStore;
  /** How long the keychain contents are reused before being read again. Default 60 s. */
  cacheMs?: number;
  /** The high-water mark is written at most this often. Default 60 s. */
  highWaterMarkIntervalMs?: number;
  /** How far the clock may fall behind the high-water mark. Default 1 h. */
  clockToleranceMs?: number;
}

export type LicenseState = 'none' | 'valid' | 'invalid';

export interface LicenseStatus extends Entitlements {
  /** The installed licence: none, valid, or refused (see reason). */
  state: LicenseState;
  /** Why the state is not 'valid' (absent when it is). */
  reason?: LicenseRefusal;
  /** The signed licence, whenever its signature verified (also when expired, not activated, …). */
  license?: LicensePayload;
  /** The installed activation, whenever its signature verified. */
  activation?: ActivationPayload;
  /** For a machine-bound licence not activated on this machine: the text to send to the vendor. */
  activationRequest?: string;
  trial: TrialStatus;
  testKeyTrusted: boolean;
}

/** The part of the status about the installed licence alone. */
type InstalledLicenseStatus = Omit<LicenseStatus, keyof Entitlements | 'trial' | 'testKeyTrusted'>;

export interface LicenseCheckRefusal {
  /**
   * license_required: something must be installed (or the trial started); license_invalid: what is
   * installed does not do; keychain_unavailable: nothing can be known until the keychain answers.
   */
  code: 'license_required' | 'license_invalid' | 'keychain_unavailable';
  reason: LicenseRefusal;
}

interface Loaded {
  key: LicenseResult<VerifiedLicense> | null;
  activation: LicenseResult<ActivationPayload> | null;
  trial: TrialRecord | 'damaged' | null;
  /** The clock (injected) when this was read, for the cache. */
  loadedAt: number;
  generation: number;
}

const day = (iso: string) => iso.slice(0, 10);

export class LicenseService {
  readonly #secrets: SecretStore;
  readonly #machine: SecretStore;
  readonly #trustedKeys: readonly KeyObject[];
  readonly #testKeyTrusted: boolean;
  readonly #now: () => Date;
  readonly #fingerprint: () => string;
  readonly #highWaterMark: HighWaterMarkStore;
  readonly #cacheMs: number;
  readonly #highWaterMarkIntervalMs: number;
  readonly #clockToleranceMs: number;

  #loaded: Loaded | null = null;
  #loading: { generation: number; promise: Promise<Loaded> } | null = null;
  #generation = 0;
  /** Latest time seen, in memory (ms), and the value last written to the store. */
  #highWater: number | null = null;
  #highWaterStored: number | null = null;
  #writes: Promise<unknown> = Promise.resolve();
  /** install / installActivation / remove run one at a time. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: LicenseServiceOptions) {
    this.#secrets = options.secrets;
    this.#machine = options.machineSecrets ?? options.secrets;
    this.#trustedKeys = [...options.trustedKeys];
    this.#testKeyTrusted = options.testKeyTrusted ?? false;
    this.#now = options.now ?? (() => new Date());
    this.#fingerprint = options.fingerprint ?? machineFingerprint;
    this.#highWaterMark =
      options.highWaterMark ?? machineHighWaterMark(this.#machine, this.#fingerprint, options.secrets);
    this.#cacheMs = options.cacheMs ?? 60_000;
    this.#highWaterMarkIntervalMs = options.highWaterMarkIntervalMs ?? 60_000;
    this.#clockToleranceMs = options.clockToleranceMs ?? defaultClockToleranceMs;
  }

  /**
   * The full picture for the licence screen. Never throws for a keychain that does not answer: the
   * app then runs on the free tier and the status says why (reason keychain_unavailable).
   */
  async status(): Promise<LicenseStatus> {
    let loaded: Loaded;
    try {
      loaded = await this.#current();
    } catch (error) {
      if (error instanceof AutobotError && error.code === 'keychain_unavailable') {
        return this.#keychainUnavailable(error.message);
      }
      throw error;
    }
    const status = this.#evaluate(loaded, this.#now());
    await this.#writes;
    return status;
  }

  /**
   * The gate: null when the call may run, else the refusal. Free calls never touch the keychain;
   * the others cost a few comparisons (keychain reads are cached, and the high-water mark is
   * written at most once a minute).
   */
  async check(requirement: AccessRequirement = 'licensed'): Promise<LicenseCheckRefusal | null> {
    if (requirement === 'free') return null;
    return accessRefusal(requirement, await this.status());
  }

  /** What the app may do now: tier, plan, features and how many bots may run at once. */
  async entitlements(): Promise<Entitlements> {
    const { tier, plan, features, maxInstances } = await this.status();
    return { tier, plan, features, maxInstances };
  }

  /** The cap the bot supervisor applies to running bots: the licence's maxInstances, 1 in the trial, 0 on the free tier. */
  async maxInstances(): Promise<number> {
    return (await this.entitlements()).maxInstances;
  }

  /**
   * Starts the 14-day trial, once per machine: the record is kept at machine level (machine-records.ts)
   * and refused with trial_used if one exists, or with clock_rollback if the clock is behind the
   * latest time already seen. A keychain that does not answer fails with keychain_unavailable.
   */
  async startTrial(): Promise<LicenseResult<LicenseStatus>> {
    return this.#exclusive(async () => {
      const name = machineRecordNames(this.#fingerprint()).trial;
      const stored = parseTrialRecord(await this.#machine.get(name));
      const now = this.#now();
      if (stored !== null) return refuse('trial_used', trialUsedMessage(trialStatus(stored, now)));
      this.#mergeStoredHighWater(await this.#highWaterMark.read());
      const rollback = checkClock(now, this.#highWaterDate(), this.#clockToleranceMs);
      if (rollback) return { ok: false, refusal: rollback };
      await this.#machine.set(name, serializeTrialRecord(now));
      this.#invalidate();
      return { ok: true, value: await this.status() };
    });
  }

  /**
   * Verifies a licence key and stores it under `license.key`. An invalid key is refused and the
   * stored one (if any) is left as it was. A machine-bound key is accepted without an activation
   * (status() then says no_activation and offers the activation request). An activation for a
   * different licence id is removed, since it can never apply to the new key.
   */
  async install(keyText: string): Promise<LicenseResult<LicenseStatus>> {
    return this.#exclusive(async () => {
      const decoded = decodeLicenseKey(keyText, this.#trustedKeys);
      if (!decoded.ok) return decoded;
      const now = this.#now();
      this.#mergeStoredHighWater(await this.#highWaterMark.read());
      const refusal =
        checkClock(now, this.#highWaterDate(), this.#clockToleranceMs) ??
        checkLicenseTime(decoded.value.payload, now);
      if (refusal) return { ok: false, refusal };

      const storedActivation = await this.#secrets.get(licenseSecretNames.activation);
      if (storedActivation !== null) {
        const activation = decodeActivation(storedActivation, this.#trustedKeys);
        if (!activation.ok || activation.value.licenseId !== decoded.value.payload.id) {
          await this.#secrets.delete(licenseSecretNames.activation);
        }
      }
      await this.#secrets.set(licenseSecretNames.key, decoded.value.key);
      this.#invalidate();
      return { ok: true, value: await this.status() };
    });
  }

  /** Verifies an activation against the installed licence and this machine; stores it under `license.activation`. */
  async installActivation(activationText: string): Promise<LicenseResult<LicenseStatus>> {
    return this.#exclusive(async () => {
      const activation = decodeActivation(activationText, this.#trustedKeys);
      if (!activation.ok) return activation;
      const loaded = await this.#current();
      if (!loaded.key) {
        return {
          ok: false,
          refusal: { code: 'no_license', message: 'Install the licence key before its activation.' },
        };
      }
      if (!loaded.key.ok) return loaded.key;
      const refusal = checkActivation(activation.value, loaded.key.value.payload, this.#fingerprint());
      if (refusal) return { ok: false, refusal };
      await this.#secrets.set(licenseSecretNames.activation, normalizeToken(activationText));
      this.#invalidate();
      return { ok: true, value: await this.status() };
    });
  }

  /** Deletes the key and the activation (not the clock's high-water mark). Returns whether a key was installed. */
  async remove(): Promise<boolean> {
    return this.#exclusive(async () => {
      const hadKey = await this.#secrets.delete(licenseSecretNames.key);
      await this.#secrets.delete(licenseSecretNames.activation);
      this.#invalidate();
      return hadKey;
    });
  }

  /** Drops the cache: the next call re-reads the keychain (e.g. after another process changed it). */
  refresh(): void {
    this.#invalidate();
  }

  #evaluate(loaded: Loaded, now: Date): LicenseStatus {
    const rollback = checkClock(now, this.#highWaterDate(), this.#clockToleranceMs);
    // Every evaluation raises the mark, failed ones included: raising it only on success would let
    // a user set the clock back to just before expiry again and again.
    if (!rollback && (loaded.key || loaded.trial)) this.#raiseHighWater(now);
    const license = this.#evaluateLicense(loaded, now, rollback);
    const trial = this.#evaluateTrial(loaded, now, rollback);
    const valid = license.state === 'valid' ? license.license : undefined;
    return { ...license, ...entitlementsOf(valid, trial), trial, testKeyTrusted: this.#testKeyTrusted };
  }

  #evaluateLicense(loaded: Loaded, now: Date, rollback: LicenseRefusal | null): InstalledLicenseStatus {
    const status: InstalledLicenseStatus = { state: 'invalid' };
    if (loaded.activation?.ok) status.activation = loaded.activation.value;
    if (!loaded.key) {
      return {
        ...status,
        state: 'none',
        reason: { code: 'no_license', message: 'No licence is installed. Install your licence key.' },
      };
    }
    if (!loaded.key.ok) return { ...status, reason: loaded.key.refusal };
    const license = loaded.key.value.payload;
    status.license = license;
    if (rollback) return { ...status, reason: rollback };

    const timeRefusal = checkLicenseTime(license, now);
    if (timeRefusal) return { ...status, reason: timeRefusal };
    const activationRefusal = this.#activationRefusal(loaded, license);
    if (!activationRefusal) return { ...status, state: 'valid' };
    return {
      ...status,
      reason: activationRefusal,
      activationRequest: createActivationRequest(loaded.key.value, this.#fingerprint()),
    };
  }

  #evaluateTrial(loaded: Loaded, now: Date, rollback: LicenseRefusal | null): TrialStatus {
    const trial = trialStatus(loaded.trial, now);
    if (!rollback || trial.state !== 'active') return trial;
    return {
      state: 'suspended',
      startedAt: trial.startedAt,
      endsAt: trial.endsAt,
      message: rollback.message,
    };
  }

  #keychainUnavailable(message: string): LicenseStatus {
    const reason: LicenseRefusal = { code: 'keychain_unavailable', message };
    return {
      state: 'none',
      reason,
      ...entitlementsOf(undefined, { state: 'unavailable', message }),
      trial: { state: 'unavailable', message },
      testKeyTrusted: this.#testKeyTrusted,
    };
  }

  #activationRefusal(loaded: Loaded, license: LicensePayload): LicenseRefusal | null {
    // Choice: a licence with maxMachines runs only on an activated machine; without it, anywhere.
    if (license.maxMachines === null) return null;
    if (!loaded.activation) {
      return {
        code: 'no_activation',
        message:
          'This licence must be activated on this computer. Send the activation request to the vendor and install the activation you receive.',
      };
    }
    if (!loaded.activation.ok) return loaded.activation.refusal;
    return checkActivation(loaded.activation.value, license, this.#fingerprint());
  }

  async #current(): Promise<Loaded> {
    const now = this.#now().getTime();
    const loaded = this.#loaded;
    if (loaded && loaded.generation === this.#generation) {
      const age = now - loaded.loadedAt;
      if (age >= 0 && age < this.#cacheMs) return loaded;
    }
    if (this.#loading?.generation !== this.#generation) {
      const loading = { generation: this.#generation, promise: this.#load(now) };
      this.#loading = loading;
      void loading.promise
        .finally(() => {
          if (this.#loading === loading) this.#loading = null;
        })
        .catch(() => undefined);
    }
    return this.#loading.promise;
  }

  async #load(now: number): Promise<Loaded> {
    const generation = this.#generation;
    const [key, activation, trial, highWater] = await Promise.all([
      this.#secrets.get(licenseSecretNames.key),
      this.#secrets.get(licenseSecretNames.activation),
      this.#machine.get(machineRecordNames(this.#fingerprint()).trial),
      this.#highWaterMark.read(),
    ]);
    this.#mergeStoredHighWater(highWater);
    const trialRecord = parseTrialRecord(trial);
    // The trial's start is a time already seen too, even if the clock mark was deleted.
    if (trialRecord !== null && trialRecord !== 'damaged') this.#mergeSeen(Date.parse(trialRecord.startedAt));
    const decodedKey = key === null ? null : decodeLicenseKey(key, this.#trustedKeys);
    // status() hands these objects out on every call: freeze them so no caller can edit the cache.
    if (decodedKey?.ok) Object.freeze(Object.freeze(decodedKey.value.payload).features);
    const decodedActivation = activation === null ? null : decodeActivation(activation, this.#trustedKeys);
    if (decodedActivation?.ok) Object.freeze(decodedActivation.value);
    const loaded: Loaded = {
      key: decodedKey,
      activation: decodedActivation,
      trial: trialRecord,
      loadedAt: now,
      generation,
    };
    if (generation === this.#generation) this.#loaded = loaded;
    return loaded;
  }

  #invalidate(): void {
    this.#generation++;
    this.#loaded = null;
  }

  #mergeStoredHighWater(stored: Date | null): void {
    if (!stored) return;
    const time = stored.getTime();
    this.#highWaterStored = Math.max(this.#highWaterStored ?? time, time);
    this.#highWater = Math.max(this.#highWater ?? time, time);
  }

  /** A time known to have passed, held in memory only (raising the mark persists it later). */
  #mergeSeen(time: number): void {
    this.#highWater = Math.max(this.#highWater ?? time, time);
  }

  #highWaterDate(): Date | null {
    return this.#highWater === null ? null : new Date(this.#highWater);
  }

  /** Raise in memory now; persist when the stored mark is more than the interval behind. */
  #raiseHighWater(now: Date): void {
    const time = now.getTime();
    if (this.#highWater === null || time > this.#highWater) this.#highWater = time;
    const mark = this.#highWater;
    const stored = this.#highWaterStored;
    if (stored !== null && mark - stored < this.#highWaterMarkIntervalMs) return;
    this.#highWaterStored = mark;
    this.#writes = this.#writes.then(() =>
      this.#highWaterMark.write(new Date(mark)).catch(() => {
        // The keychain refused: keep the mark in memory and try again on a later check.
        if (this.#highWaterStored === mark) this.#highWaterStored = stored;
      }),
    );
  }

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }
}

function trialUsedMessage(trial: TrialStatus): string {
  const again = `The trial can be started once per computer; install a licence key to keep using AUTOBOT's licensed features.`;
  if (trial.state === 'active') {
    return `The ${trialDays}-day trial is already running on this computer (until ${day(trial.endsAt)}).`;
  }
  if (trial.state === 'ended' && trial.startedAt && trial.endsAt) {
    return `The ${trialDays}-day trial was already used on this computer (${day(trial.startedAt)} to ${day(trial.endsAt)}). ${again}`;
  }
  return `The ${trialDays}-day trial was already used on this computer. ${again}`;
}
