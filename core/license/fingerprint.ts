// A stable, non-personal identifier of this machine for offline activation. The OS's own machine id
// is read and immediately hashed with a product-specific salt: only the hash ever leaves the
// machine (in an activation request), and it cannot be matched against other products' ids.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const salt = 'AUTOBOT licence machine fingerprint v1';
/** 32 hex characters = 128 bits: collisions between customers' machines are not a concern. */
const fingerprintLength = 32;

export interface MachineIdentity {
  /** Where the id came from, e.g. "linux:/etc/machine-id" or "fallback:hostname". */
  source: string;
  /** The raw id. Never stored, logged or sent; only its salted hash is. */
  value: string;
}

/** What the identity is read from; tests replace these. */
export interface MachineFacts {
  platform: NodeJS.Platform;
  readFile: (file: string) => string;
  run: (command: string, args: string[]) => string;
  hostname: () => string;
  arch: string;
}

const systemFacts: MachineFacts = {
  platform: process.platform,
  readFile: (file) => readFileSync(file, 'utf8'),
  run: (command, args) =>
    execFileSync(command, args, {
      encoding: 'utf8',
      timeout: 5000,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  hostname: () => os.hostname(),
  arch: process.arch,
};

function attempt(read: () => string | undefined): string | undefined {
  try {
    const value = read()?.trim();
    return value ? value : undefined;
  } catch {
    return undefined;
  }
}

export function machineIdentity(facts: MachineFacts = systemFacts): MachineIdentity {
  if (facts.platform === 'linux' || facts.platform === 'freebsd' || facts.platform === 'openbsd') {
    // systemd (and dbus before it) write a random id at install time; it survives reboots and upgrades.
    for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
      const value = attempt(() => facts.readFile(file));
      if (value) return { source: `${facts.platform}:${file}`, value };
    }
  } else if (facts.platform === 'darwin') {
    const value = attempt(
      () =>
        /"IOPlatformUUID"\s*=\s*"([^"]+)"/.exec(
          facts.run('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']),
        )?.[1],
    );
    if (value) return { source: 'darwin:IOPlatformUUID', value };
  } else if (facts.platform === 'win32') {
    // /reg:64 reads the 64-bit view even from a 32-bit process (the value is not mirrored).
    const value = attempt(
      () =>
        /MachineGuid\s+REG_SZ\s+(\S+)/.exec(
          facts.run('reg', [
            'query',
            'HKLM\\SOFTWARE\\Microsoft\\Cryptography',
            '/v',
            'MachineGuid',
            '/reg:64',
          ]),
        )?.[1],
    );
    if (value) return { source: 'win32:MachineGuid', value };
  }
  return { source: 'fallback:hostname', value: `${facts.hostname()}|${facts.platform}|${facts.arch}` };
}

/** sha256(salt, source, id) in hex, truncated. */
export function fingerprintOf(identity: MachineIdentity): string {
  return createHash('sha256')
    .update(`${salt}\0${identity.source}\0${identity.value}`, 'utf8')
    .digest('hex')
    .slice(0, fingerprintLength);
}

let cached: string | undefined;

/** This machine's fingerprint (computed once per process: it may spawn ioreg or reg). */
export function machineFingerprint(): string {
  cached ??= fingerprintOf(machineIdentity());
  return cached;
}
