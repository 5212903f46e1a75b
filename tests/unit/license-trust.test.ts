// Which keys are trusted, and the machine fingerprint.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fingerprintOf,
  machineFingerprint,
  machineIdentity,
  type MachineFacts,
} from '../../core/license/fingerprint.ts';
import { loadTrustedKeys } from '../../core/license/trust.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const pem = (key: { export(options: { type: 'spki'; format: 'pem' }): string | Buffer }) =>
  key.export({ type: 'spki', format: 'pem' }).toString();

describe('loadTrustedKeys', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir('autobot-trust-');
  });
  afterEach(() => temp.cleanup());

  it('trusts nothing when the build has no vendor key and no test key', () => {
    expect(loadTrustedKeys({ resourcesDir: temp.dir })).toEqual({
      keys: [],
      testKeyTrusted: false,
      vendorKeyFile: null,
    });
  });

  it('loads resources/vendor-public.pem, and a test key on top with testKeyTrusted', () => {
    const vendor = generateKeyPairSync('ed25519');
    const test = generateKeyPairSync('ed25519');
    const file = path.join(temp.dir, 'vendor-public.pem');
    writeFileSync(file, pem(vendor.publicKey));

    const release = loadTrustedKeys({ resourcesDir: temp.dir });
    expect(release.vendorKeyFile).toBe(file);
    expect(release.testKeyTrusted).toBe(false);
    expect(release.keys.map((key) => key.equals(vendor.publicKey))).toEqual([true]);

    const dev = loadTrustedKeys({ resourcesDir: temp.dir, extraTestKeyPem: pem(test.publicKey) });
    expect(dev.testKeyTrusted).toBe(true);
    expect(dev.keys.map((key) => [key.equals(vendor.publicKey), key.equals(test.publicKey)])).toEqual([
      [true, false],
      [false, true],
    ]);

    expect(loadTrustedKeys({ resourcesDir: temp.dir, extraTestKeyPem: '  ' }).testKeyTrusted).toBe(false);
  });

  it('refuses keys that are not Ed25519 public keys, loudly', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => loadTrustedKeys({ resourcesDir: temp.dir, extraTestKeyPem: pem(ec.publicKey) })).toThrow(
      /Ed25519/,
    );
    expect(() => loadTrustedKeys({ resourcesDir: temp.dir, extraTestKeyPem: 'not a pem' })).toThrow(/PEM/);
    writeFileSync(path.join(temp.dir, 'vendor-public.pem'), 'garbage');
    expect(() => loadTrustedKeys({ resourcesDir: temp.dir })).toThrow(/vendor-public\.pem/);
  });
});

describe('machine fingerprint', () => {
  const facts = (overrides: Partial<MachineFacts>): MachineFacts => ({
    platform: 'linux',
    readFile: () => {
      throw new Error('ENOENT');
    },
    run: () => {
      throw new Error('not found');
    },
    hostname: () => 'trading-box',
    arch: 'x64',
    ...overrides,
  });

  it('reads the OS machine id on Linux, macOS and Windows, else falls back to hostname+platform+arch', () => {
    expect(
      machineIdentity(facts({ readFile: (file) => (file === '/etc/machine-id' ? 'abc123\n' : '') })),
    ).toEqual({ source: 'linux:/etc/machine-id', value: 'abc123' });
    expect(
      machineIdentity(facts({ readFile: (file) => (file === '/var/lib/dbus/machine-id' ? 'dbus1' : '') })),
    ).toEqual({ source: 'linux:/var/lib/dbus/machine-id', value: 'dbus1' });
    const ioreg =
      '  "IOPlatformSerialNumber" = "C02XYZ"\n  "IOPlatformUUID" = "564D1234-ABCD-EF00-1111-222233334444"\n';
    expect(machineIdentity(facts({ platform: 'darwin', run: () => ioreg }))).toEqual({
      source: 'darwin:IOPlatformUUID',
      value: '564D1234-ABCD-EF00-1111-222233334444',
    });
    const reg =
      '\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\r\n    MachineGuid    REG_SZ    1b2c3d4e-0000-1111-2222-333344445555\r\n';
    expect(machineIdentity(facts({ platform: 'win32', run: () => reg }))).toEqual({
      source: 'win32:MachineGuid',
      value: '1b2c3d4e-0000-1111-2222-333344445555',
    });
    expect(machineIdentity(facts({ platform: 'darwin' }))).toEqual({
      source: 'fallback:hostname',
      value: 'trading-box|darwin|x64',
    });
  });

  it('is a salted sha256, truncated to 32 hex characters, that never contains the raw id', () => {
    const identity = { source: 'linux:/etc/machine-id', value: '3d121f0e9a8b4c7d8e9f0a1b2c3d4e5f' };
    const fingerprint = fingerprintOf(identity);
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint).toBe(fingerprintOf({ ...identity }));
    expect(fingerprint).not.toContain(identity.value.slice(0, 8));
    expect(fingerprintOf({ ...identity, value: `${identity.value}0` })).not.toBe(fingerprint);
    expect(fingerprintOf({ ...identity, source: 'fallback:hostname' })).not.toBe(fingerprint);
  });

  it('machineFingerprint() is stable on this machine', () => {
    const first = machineFingerprint();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(machineFingerprint()).toBe(first);
    expect(fingerprintOf(machineIdentity())).toBe(first);
  });
});
