// Which public keys may sign licences and activations: the vendor key shipped in
// resources/vendor-public.pem (put there by the release process, never by hand), plus optionally
// one test key for development and QA. A trusted test key means anyone holding its private half
// can mint licences, so status() reports it and the UI warns on every screen.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const vendorPublicKeyFileName = 'vendor-public.pem';

/** resources/ of the source tree (the CLI's default; a packaged app passes its own resources dir). */
export const defaultResourcesDir = path.resolve(import.meta.dirname, '..', '..', 'resources');

export interface TrustedKeys {
  /** Vendor key first (when present), then the test key. */
  keys: KeyObject[];
  /** True when a test key is among `keys`: show the warning. */
  testKeyTrusted: boolean;
  /** The vendor key file that was loaded, or null when the build has none. */
  vendorKeyFile: string | null;
}

/** Parses a PEM public key and insists on Ed25519 (throws with a message naming `what`). */
export function parseEd25519PublicKey(pem: string, what: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(`${what} is not a PEM public key: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${what} is a ${key.asymmetricKeyType ?? 'unknown'} key; licences use Ed25519.`);
  }
  return key;
}

export function loadTrustedKeys(options: { resourcesDir: string; extraTestKeyPem?: string }): TrustedKeys {
  const keys: KeyObject[] = [];
  const file = path.join(options.resourcesDir, vendorPublicKeyFileName);
  const vendorKeyFile = existsSync(file) ? file : null;
  if (vendorKeyFile) keys.push(parseEd25519PublicKey(readFileSync(vendorKeyFile, 'utf8'), vendorKeyFile));
  const testKeyTrusted = Boolean(options.extraTestKeyPem?.trim());
  if (testKeyTrusted) keys.push(parseEd25519PublicKey(options.extraTestKeyPem!, 'The licence test key'));
  return { keys, testKeyTrusted, vendorKeyFile };
}
