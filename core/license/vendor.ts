// The vendor's side, as plain functions behind `autobot license …` (core/cli/license-commands.ts):
// key pair generation, issuing and verifying licences, and turning activation requests into
// machine-bound activations under the ledger's maxMachines limit. Nothing here runs in the app.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  activationPrefix,
  encodeSigned,
  licensePayloadSchema,
  licensePrefix,
  productName,
  refuse,
  describeIssues,
  type ActivationPayload,
  type LicensePayload,
  type LicenseResult,
} from './format.ts';
import {
  listLedger,
  openLedger,
  recordActivation,
  releaseInLedger,
  type ActivationRecord,
} from './ledger.ts';
import { parseCalendarDay } from './calendar-day.ts';
import { parseEd25519PublicKey } from './trust.ts';
import { parseActivationRequest, verifyLicenseKey } from './verify.ts';

export const vendorPrivateKeyFileName = 'vendor-private.pem';

export interface VendorKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
}

/**
 * Writes a new Ed25519 pair: vendor-private.pem (mode 0600, PKCS#8) and vendor-public.pem (SPKI).
 * Refuses to overwrite an existing private key: losing it means no key can ever be issued again
 * for the apps that embed its public half.
 */
export function generateVendorKeyPair(outDir: string): VendorKeyFiles {
  mkdirSync(outDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateKeyFile = path.join(outDir, vendorPrivateKeyFileName);
  const publicKeyFile = path.join(outDir, 'vendor-public.pem');
  try {
    writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new Error(`${privateKeyFile} already exists; refusing to overwrite a vendor private key.`, {
        cause: error,
      });
    }
    throw error;
  }
  writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
  return { privateKeyFile, publicKeyFile };
}

export function parseEd25519PrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(
      `The vendor private key is not a PEM private key: ${error instanceof Error ? error.message : error}`,
      { cause: error },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(
      `The vendor private key is a ${key.asymmetricKeyType ?? 'unknown'} key; licences use Ed25519.`,
    );
  }
  return key;
}

const expiryUsage = 'use YYYY-MM-DD or an ISO instant with a time zone (…Z)';
const expiryPattern =
  /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/i;

/**
 * "2027-01-31" means through the end of that day (UTC); a full ISO instant is taken as given. The
 * day is checked against the calendar first: Date would roll 2027-02-30 over to 2 March.
 */
export function parseExpiry(value: Date | string): Date {
  if (value instanceof Date) {
    if (!Number.isFinite(value.getTime())) throw new Error('The expiry is not a valid date.');
    return value;
  }
  const trimmed = value.trim();
  const match = expiryPattern.exec(trimmed);
  if (!match) throw new Error(`"${value}" is not a date: ${expiryUsage}.`);
  const day = parseCalendarDay(match[1]!);
  if (!day.ok) throw new Error(day.message);
  const [hours, minutes, seconds] = [match[2], match[3], match[4]].map(Number);
  if (hours! > 23 || minutes! > 59 || seconds! > 59) {
    throw new Error(`"${value}" is not a real time of day: ${expiryUsage}.`);
  }
  const dateOnly = match[2] === undefined;
  const date = new Date(dateOnly ? `${match[1]}T23:59:59.999Z` : trimmed);
  if (!Number.isFinite(date.getTime())) throw new Error(`"${value}" is not a date: ${expiryUsage}.`);
  return date;
}

export interface IssueLicenseOptions {
  privateKeyPem: string;
  licensee: string;
  email: string;
  plan: string;
  features: readonly string[];
  maxInstances: number;
  /** Distinct machines; omitted or null = not machine-bound (no activation needed). */
  maxMachines?: number | null;
  expires?: Date | string;
  issuedAt?: Date;
  id?: string;
}

/** Signs a licence and returns the key string (also the whole content of a `.license` file). Throws on bad input. */
export function issueLicense(options: IssueLicenseOptions): string {
  const privateKey = parseEd25519PrivateKey(options.privateKeyPem);
  const issuedAt = options.issuedAt ?? new Date();
  const expiresAt = options.expires === undefined ? undefined : parseExpiry(options.expires);
  if (expiresAt && expiresAt.getTime() <= issuedAt.getTime()) {
    throw new Error(
      `The expiry ${expiresAt.toISOString()} is not after the issue time ${issuedAt.toISOString()}.`,
    );
  }
  const payload: LicensePayload = {
    id: options.id ?? randomUUID(),
    licensee: options.licensee,
    email: options.email,
    plan: options.plan,
    features: [...new Set(options.features.map((feature) => feature.trim()).filter(Boolean))],
    maxInstances: options.maxInstances,
    maxMachines: options.maxMachines ?? null,
    issuedAt: issuedAt.toISOString(),
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
    product: productName,
  };
  const parsed = licensePayloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error(`Cannot issue this licence: ${describeIssues(parsed.error)}.`);
  return encodeSigned(licensePrefix, parsed.data, privateKey);
}

/** The vendor's check of a key (support requests): every check that does not need the customer's machine. */
export function verifyLicense(key: string, publicKeyPem: string, now: Date): LicenseResult<LicensePayload> {
  const publicKey = parseEd25519PublicKey(publicKeyPem, 'The vendor public key');
  const verified = verifyLicenseKey(key, [publicKey], now);
  return verified.ok ? { ok: true, value: verified.value.payload } : verified;
}

export interface ActivateOptions {
  privateKeyPem: string;
  ledgerFile: string;
  /** The AUTOBOT-ACTREQ1 text the customer sent. */
  request: string;
  now: Date;
}

/**
 * Turns an activation request into an activation string for that machine. The licence inside the
 * request is verified with the public half of `privateKeyPem` (so only our own, unexpired keys are
 * activated); the ledger refuses a new machine once the licence has maxMachines active ones.
 */
export function activate(options: ActivateOptions): LicenseResult<string> {
  const privateKey = parseEd25519PrivateKey(options.privateKeyPem);
  const request = parseActivationRequest(options.request);
  if (!request.ok) return request;
  const license = verifyLicenseKey(request.value.license, [createPublicKey(privateKey)], options.now);
  if (!license.ok) return license;
  const payload = license.value.payload;
  if (payload.id !== request.value.licenseId) {
    return refuse(
      'bad_encoding',
      'The activation request names a different licence id than the licence it carries.',
    );
  }
  const activatedAt = options.now.toISOString();
  const db = openLedger(options.ledgerFile);
  try {
    const outcome = recordActivation(db, {
      licenseId: payload.id,
      fingerprint: request.value.fingerprint,
      maxMachines: payload.maxMachines,
      at: activatedAt,
    });
    if (!outcome.ok) {
      return refuse(
        'machine_limit',
        `Licence ${payload.id} is already activated on ${outcome.activeMachines} machine(s), its limit. Release one (autobot license release) before activating another.`,
      );
    }
  } finally {
    db.close();
  }
  const activation: ActivationPayload = {
    licenseId: payload.id,
    fingerprint: request.value.fingerprint,
    activatedAt,
  };
  return { ok: true, value: encodeSigned(activationPrefix, activation, privateKey) };
}

export function listActivations(ledgerFile: string, licenseId?: string): ActivationRecord[] {
  const db = openLedger(ledgerFile);
  try {
    return listLedger(db, licenseId);
  } finally {
    db.close();
  }
}

/**
 * Frees one machine's slot. The activation file already on that machine keeps working (offline
 * activations cannot be revoked); releasing is for a customer who says the old computer is gone.
 */
export function releaseActivation(
  ledgerFile: string,
  licenseId: string,
  fingerprint: string,
  now: Date,
): boolean {
  const db = openLedger(ledgerFile);
  try {
    return releaseInLedger(db, licenseId, fingerprint, now.toISOString());
  } finally {
    db.close();
  }
}
