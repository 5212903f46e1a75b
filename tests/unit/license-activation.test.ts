// Offline activation: request → vendor (ledger with maxMachines) → activation bound to one machine.
import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activate,
  issueLicense,
  listActivations,
  releaseActivation,
  type IssueLicenseOptions,
} from '../../core/license/vendor.ts';
import {
  checkActivation,
  createActivationRequest,
  decodeActivation,
  decodeLicenseKey,
  parseActivationRequest,
} from '../../core/license/verify.ts';
import type { LicenseResult } from '../../core/license/format.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const vendor = generateKeyPairSync('ed25519');
const privateKeyPem = vendor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const now = new Date('2026-04-01T10:00:00.000Z');
const machineA = '0a'.repeat(16);
const machineB = '0b'.repeat(16);
const machineC = '0c'.repeat(16);

function licenseKey(overrides: Partial<IssueLicenseOptions> = {}): string {
  return issueLicense({
    privateKeyPem,
    licensee: 'Grace Hopper',
    email: 'grace@example.com',
    plan: 'team',
    features: ['backtest'],
    maxInstances: 1,
    maxMachines: 2,
    issuedAt: new Date('2026-01-01T00:00:00Z'),
    id: 'lic-team',
    ...overrides,
  });
}

function requestFor(key: string, fingerprint: string): string {
  const decoded = decodeLicenseKey(key, [vendor.publicKey]);
  if (!decoded.ok) throw new Error(decoded.refusal.message);
  return createActivationRequest(decoded.value, fingerprint);
}

const code = (result: LicenseResult<unknown>) => (result.ok ? 'ok' : result.refusal.code);

let temp: ReturnType<typeof makeTempDir>;
let ledgerFile: string;
beforeEach(() => {
  temp = makeTempDir('autobot-ledger-');
  ledgerFile = path.join(temp.dir, 'activations.db');
});
afterEach(() => temp.cleanup());

const activateOn = (key: string, fingerprint: string, at: Date = now) =>
  activate({ privateKeyPem, ledgerFile, request: requestFor(key, fingerprint), now: at });

describe('activation requests', () => {
  it('carry the licence id, the fingerprint and the licence, and parse back (whitespace-tolerant)', () => {
    const key = licenseKey();
    const request = requestFor(key, machineA);
    expect(request).toMatch(/^AUTOBOT-ACTREQ1\.[A-Za-z0-9_-]+$/);
    const parsed = parseActivationRequest(`\n ${request.slice(0, 50)}\n${request.slice(50)} \n`);
    expect(parsed).toEqual({
      ok: true,
      value: { licenseId: 'lic-team', fingerprint: machineA, license: key },
    });
  });

  it('a damaged request is bad_encoding', () => {
    expect(code(parseActivationRequest('AUTOBOT-ACTREQ1.not*base64'))).toBe('bad_encoding');
    expect(code(parseActivationRequest('hello'))).toBe('bad_encoding');
    const fake = `AUTOBOT-ACTREQ1.${Buffer.from(JSON.stringify({ licenseId: 'x' })).toString('base64url')}`;
    expect(code(parseActivationRequest(fake))).toBe('bad_encoding');
  });
});

describe('vendor activate', () => {
  it('issues an activation accepted on the same fingerprint and refused on another (wrong_machine)', () => {
    const key = licenseKey();
    const result = activateOn(key, machineA);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatch(/^AUTOBOT-ACT1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const decoded = decodeActivation(result.value, [vendor.publicKey]);
    expect(decoded).toEqual({
      ok: true,
      value: { licenseId: 'lic-team', fingerprint: machineA, activatedAt: now.toISOString() },
    });
    if (!decoded.ok) return;
    const license = decodeLicenseKey(key, [vendor.publicKey]);
    if (!license.ok) throw new Error('licence did not verify');
    expect(checkActivation(decoded.value, license.value.payload, machineA)).toBeNull();
    expect(checkActivation(decoded.value, license.value.payload, machineB)?.code).toBe('wrong_machine');
    expect(checkActivation(decoded.value, { ...license.value.payload, id: 'other' }, machineA)?.code).toBe(
      'wrong_license',
    );
  });

  it('an activation signed by another key, or tampered with, is refused', () => {
    const result = activateOn(licenseKey(), machineA);
    if (!result.ok) throw new Error(result.refusal.message);
    expect(code(decodeActivation(result.value, [generateKeyPairSync('ed25519').publicKey]))).toBe(
      'bad_signature',
    );
    const [prefix, body, signature] = result.value.split('.');
    const bytes = Buffer.from(body!, 'base64url');
    bytes[5]! ^= 0x20;
    expect(
      code(decodeActivation(`${prefix}.${bytes.toString('base64url')}.${signature}`, [vendor.publicKey])),
    ).toBe('bad_signature');
    expect(code(decodeActivation(licenseKey(), [vendor.publicKey]))).toBe('bad_encoding');
  });

  it('the ledger enforces maxMachines across activate calls; re-activating a machine is fine', () => {
    const key = licenseKey({ maxMachines: 2 });
    expect(code(activateOn(key, machineA))).toBe('ok');
    expect(code(activateOn(key, machineB))).toBe('ok');
    const third = activateOn(key, machineC);
    expect(code(third)).toBe('machine_limit');
    if (!third.ok) expect(third.refusal.message).toMatch(/2 machine/);
    expect(code(activateOn(key, machineA, new Date(now.getTime() + 60_000)))).toBe('ok');
    expect(code(activateOn(key, machineB))).toBe('ok');
    // Another licence has its own count.
    expect(code(activateOn(licenseKey({ id: 'lic-other', maxMachines: 1 }), machineC))).toBe('ok');
  });

  it('maxMachines 1: a fresh ledger takes the first machine and refuses the second', () => {
    const key = licenseKey({ maxMachines: 1 });
    expect(code(activateOn(key, machineA))).toBe('ok');
    expect(code(activateOn(key, machineB))).toBe('machine_limit');
  });

  it('the ledger survives reopening: a SQLite file in WAL mode with the activations', () => {
    const key = licenseKey({ maxMachines: 1 });
    expect(code(activateOn(key, machineA))).toBe('ok');
    expect(code(activateOn(key, machineA, new Date(now.getTime() + 1000)))).toBe('ok');

    const db = new BetterSqlite3(ledgerFile, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
    expect(listActivations(ledgerFile)).toEqual([
      {
        licenseId: 'lic-team',
        fingerprint: machineA,
        firstActivatedAt: now.toISOString(),
        lastActivatedAt: new Date(now.getTime() + 1000).toISOString(),
        activations: 2,
        releasedAt: null,
      },
    ]);
    // A new process (fresh open) still counts the machine.
    expect(code(activateOn(key, machineB))).toBe('machine_limit');
  });

  it('releasing a machine frees its slot', () => {
    const key = licenseKey({ maxMachines: 1 });
    expect(code(activateOn(key, machineA))).toBe('ok');
    expect(releaseActivation(ledgerFile, 'lic-team', machineA, now)).toBe(true);
    expect(releaseActivation(ledgerFile, 'lic-team', machineA, now)).toBe(false);
    expect(code(activateOn(key, machineB))).toBe('ok');
    expect(code(activateOn(key, machineA))).toBe('machine_limit');
    expect(listActivations(ledgerFile, 'lic-team').map((record) => record.releasedAt !== null)).toEqual([
      true,
      false,
    ]);
  });

  it('a licence without maxMachines activates any number of machines', () => {
    const key = licenseKey({ maxMachines: null });
    for (const machine of [machineA, machineB, machineC]) expect(code(activateOn(key, machine))).toBe('ok');
  });

  it('refuses requests carrying an expired, foreign or inconsistent licence', () => {
    const expired = licenseKey({ expires: '2026-02-01' });
    expect(code(activateOn(expired, machineA))).toBe('expired');

    const foreignPem = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const foreign = licenseKey({ privateKeyPem: foreignPem });
    const foreignRequest = createActivationRequest({ key: foreign, payload: { id: 'lic-team' } }, machineA);
    expect(code(activate({ privateKeyPem, ledgerFile, request: foreignRequest, now }))).toBe('bad_signature');

    const mismatched = createActivationRequest({ key: licenseKey(), payload: { id: 'lic-else' } }, machineA);
    expect(code(activate({ privateKeyPem, ledgerFile, request: mismatched, now }))).toBe('bad_encoding');
    expect(code(activate({ privateKeyPem, ledgerFile, request: 'AUTOBOT-ACTREQ1.xyz', now }))).toBe(
      'bad_encoding',
    );
    expect(listActivations(ledgerFile)).toEqual([]);
  });
});
