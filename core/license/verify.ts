// The checks, each with its own refusal code. Pure functions of (text, trusted keys, time, machine):
// the service (license-service.ts) and the vendor tool (vendor.ts) share them.
import type { KeyObject } from 'node:crypto';
import {
  activationPayloadSchema,
  activationPrefix,
  activationRequestPrefix,
  activationRequestSchema,
  decodeBase64url,
  describeIssues,
  findSigner,
  licensePayloadSchema,
  licensePrefix,
  normalizeToken,
  parseJsonBytes,
  productName,
  refuse,
  splitSigned,
  type ActivationPayload,
  type ActivationRequest,
  type LicensePayload,
  type LicenseRefusal,
  type LicenseResult,
} from './format.ts';

/** issuedAt may be this far in the future (clocks of vendor and user differ a little). */
export const issueSkewMs = 5 * 60_000;
/** The clock may be this far behind the high-water mark before it counts as turned back. */
export const defaultClockToleranceMs = 60 * 60_000;

export interface VerifiedLicense {
  payload: LicensePayload;
  /** The key exactly as stored: whitespace removed. */
  key: string;
  /** Index in trustedKeys of the key that verified the signature. */
  signerIndex: number;
}

const noTrustedKey = () =>
  refuse(
    'no_trusted_key',
    'This build of AUTOBOT has no vendor public key to check licences with (resources/vendor-public.pem is missing).',
  );

/**
 * Encoding, signature, product and schema — everything that does not depend on the time or the
 * machine. The signature is checked before the payload is parsed: nothing unauthenticated is
 * interpreted beyond its shape.
 */
export function decodeLicenseKey(
  text: string,
  trustedKeys: readonly KeyObject[],
): LicenseResult<VerifiedLicense> {
  const parts = splitSigned(licensePrefix, text, 'licence key');
  if (!parts.ok) return parts;
  if (trustedKeys.length === 0) return noTrustedKey();
  const signerIndex = findSigner(parts.value, trustedKeys);
  if (signerIndex < 0) {
    return refuse(
      'bad_signature',
      'This licence key was not issued by the AUTOBOT vendor, or it was changed after it was issued (its signature does not match). Copy the key again exactly as you received it.',
    );
  }
  const json = parseJsonBytes(parts.value.payloadBytes);
  if (!json.ok) return refuse('bad_encoding', 'The licence key is signed but its contents are not readable.');
  const product = (json.value as { product?: unknown } | null)?.product;
  if (typeof product === 'string' && product !== productName) {
    return refuse('wrong_product', `This licence key is for "${product}", not for AUTOBOT.`);
  }
  const parsed = licensePayloadSchema.safeParse(json.value);
  if (!parsed.success) {
    return refuse(
      'bad_encoding',
      `The licence key is signed but its contents are incomplete (${describeIssues(parsed.error)}). Ask the vendor for a new key.`,
    );
  }
  return { ok: true, value: { payload: parsed.data, key: normalizeToken(text), signerIndex } };
}

const day = (iso: string) => iso.slice(0, 10);

/** not_yet_valid and expired. `now` is whatever the injected clock says. */
export function checkLicenseTime(payload: LicensePayload, now: Date): LicenseRefusal | null {
  const time = now.getTime();
  if (time < Date.parse(payload.issuedAt) - issueSkewMs) {
    return {
      code: 'not_yet_valid',
      message: `This licence only becomes valid on ${payload.issuedAt}. Check that your computer's date and time are correct.`,
    };
  }
  if (payload.expiresAt !== undefined && time > Date.parse(payload.expiresAt)) {
    return {
      code: 'expired',
      message: `This licence expired on ${day(payload.expiresAt)}. Renew it to keep using AUTOBOT's licensed features.`,
    };
  }
  return null;
}

/** clock_rollback: the clock is behind the latest time already seen by more than the tolerance. */
export function checkClock(
  now: Date,
  highWaterMark: Date | null,
  toleranceMs: number = defaultClockToleranceMs,
): LicenseRefusal | null {
  if (!highWaterMark || now.getTime() >= highWaterMark.getTime() - toleranceMs) return null;
  return {
    code: 'clock_rollback',
    message: `Your computer's clock (${now.toISOString()}) is behind the latest time AUTOBOT has already seen (${highWaterMark.toISOString()}). Set the correct date and time, then try again.`,
  };
}

/** The full licence check of the vendor tool and of install(): decode, then time. */
export function verifyLicenseKey(
  text: string,
  trustedKeys: readonly KeyObject[],
  now: Date,
): LicenseResult<VerifiedLicense> {
  const decoded = decodeLicenseKey(text, trustedKeys);
  if (!decoded.ok) return decoded;
  const refusal = checkLicenseTime(decoded.value.payload, now);
  return refusal ? { ok: false, refusal } : decoded;
}

export function decodeActivation(
  text: string,
  trustedKeys: readonly KeyObject[],
): LicenseResult<ActivationPayload> {
  const parts = splitSigned(activationPrefix, text, 'activation');
  if (!parts.ok) return parts;
  if (trustedKeys.length === 0) return noTrustedKey();
  if (findSigner(parts.value, trustedKeys) < 0) {
    return refuse(
      'bad_signature',
      'This activation was not issued by the AUTOBOT vendor, or it was changed after it was issued. Copy it again exactly as you received it.',
    );
  }
  const json = parseJsonBytes(parts.value.payloadBytes);
  const parsed = json.ok ? activationPayloadSchema.safeParse(json.value) : null;
  if (!parsed?.success) {
    return refuse('bad_encoding', 'The activation is signed but its contents are not readable.');
  }
  return { ok: true, value: parsed.data };
}

/** wrong_license and wrong_machine. */
export function checkActivation(
  activation: ActivationPayload,
  license: LicensePayload,
  fingerprint: string,
): LicenseRefusal | null {
  if (activation.licenseId !== license.id) {
    return {
      code: 'wrong_license',
      message: `This activation belongs to another licence (${activation.licenseId}), not to the installed one (${license.id}).`,
    };
  }
  if (activation.fingerprint !== fingerprint) {
    return {
      code: 'wrong_machine',
      message:
        'This activation is for a different computer. Send the activation request shown in AUTOBOT to the vendor to activate this one.',
    };
  }
  return null;
}

/** The request the user sends to the vendor: the licence itself plus this machine's fingerprint. */
export function createActivationRequest(
  license: Pick<VerifiedLicense, 'key'> & { payload: Pick<LicensePayload, 'id'> },
  fingerprint: string,
): string {
  const request: ActivationRequest = {
    licenseId: license.payload.id,
    fingerprint,
    license: normalizeToken(license.key),
  };
  return `${activationRequestPrefix}.${Buffer.from(JSON.stringify(request), 'utf8').toString('base64url')}`;
}

export function parseActivationRequest(text: string): LicenseResult<ActivationRequest> {
  const token = normalizeToken(text);
  const [prefix, body, ...rest] = token.split('.');
  if (prefix !== activationRequestPrefix || body === undefined || rest.length > 0) {
    return refuse(
      'bad_encoding',
      `This is not an AUTOBOT activation request: it should start with "${activationRequestPrefix}." and have two parts.`,
    );
  }
  const bytes = decodeBase64url(body);
  const json = bytes ? parseJsonBytes(bytes) : null;
  const parsed = json?.ok ? activationRequestSchema.safeParse(json.value) : null;
  if (!parsed?.success) {
    return refuse('bad_encoding', 'The activation request is damaged. Copy the whole request again.');
  }
  return { ok: true, value: parsed.data };
}

export function missingFeatures(license: LicensePayload, wanted: readonly string[]): string[] {
  return wanted.filter((feature) => !license.features.includes(feature));
}
