// The wire format of licences and activations: one copy-pasteable string per document,
// `PREFIX.<base64url(payload JSON)>.<base64url(Ed25519 signature)>`. The signature covers exactly the
// decoded payload bytes as transmitted, so verification never re-serialises JSON. docs/licensing.md.
import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { licenseKeyPrefix } from '../contract/license-key.ts';

export const productName = 'autobot';
export const licensePrefix = licenseKeyPrefix;
export const activationPrefix = 'AUTOBOT-ACT1';
export const activationRequestPrefix = 'AUTOBOT-ACTREQ1';

/** Why a licence, an activation or a request was refused. Mapped to contract codes by the caller. */
export type LicenseErrorCode =
  /** Nothing installed. */
  | 'no_license'
  /** Wrong prefix, not base64url, not JSON, fields missing or of the wrong type. */
  | 'bad_encoding'
  /** No trusted key verifies the signature: changed after issue, or issued by someone else. */
  | 'bad_signature'
  /** This build trusts no key at all (no resources/vendor-public.pem and no test key). */
  | 'no_trusted_key'
  | 'wrong_product'
  | 'not_yet_valid'
  | 'expired'
  /** The licence is machine-bound (maxMachines set) and no activation is installed. */
  | 'no_activation'
  /** The activation was issued for another machine's fingerprint. */
  | 'wrong_machine'
  /** The activation was issued for another licence id. */
  | 'wrong_license'
  /** The clock is behind the persisted high-water mark by more than the tolerance. */
  | 'clock_rollback'
  /** The licence (or the trial) is valid but does not include a feature the call needs. */
  | 'missing_feature'
  /** No licence, and the machine's 14-day trial has ended. */
  | 'trial_ended'
  /** startTrial: this machine already had its trial. */
  | 'trial_used'
  /** The OS keychain holding the licence and the trial record does not answer. */
  | 'keychain_unavailable'
  /** Vendor side: the licence already has maxMachines distinct machines in the ledger. */
  | 'machine_limit';

export interface LicenseRefusal {
  code: LicenseErrorCode;
  /** One or two plain-English sentences for the person in front of the screen. */
  message: string;
}

export type LicenseResult<T> = { ok: true; value: T } | { ok: false; refusal: LicenseRefusal };

export const refuse = (code: LicenseErrorCode, message: string): { ok: false; refusal: LicenseRefusal } => ({
  ok: false,
  refusal: { code, message },
});

const isoInstant = z.iso
  .datetime({ offset: true })
  .refine((value) => Number.isFinite(Date.parse(value)), 'not a real date');

/**
 * A licence as signed by the vendor. Unknown fields are ignored (stripped), so a later vendor tool
 * may add informational fields; a new *restriction* needs a new prefix (AUTOBOT2), because old
 * apps would ignore it.
 */
export const licensePayloadSchema = z.object({
  id: z.string().min(1).max(128),
  licensee: z.string().min(1).max(200),
  email: z
    .string()
    .max(320)
    .regex(/^[^\s@]+@[^\s@]+$/, 'not an email address'),
  plan: z.string().min(1).max(100),
  features: z.array(z.string().min(1).max(100)).max(200),
  /** Concurrent running instances allowed; carried for the instance guard, not checked here. */
  maxInstances: z.int().min(1),
  /** Distinct machines that may be activated; null = not machine-bound (no activation needed). */
  maxMachines: z.int().min(1).nullable(),
  issuedAt: isoInstant,
  expiresAt: isoInstant.optional(),
  product: z.string(),
});
export type LicensePayload = z.infer<typeof licensePayloadSchema>;

/** Fingerprints are sha256 hex, truncated; see fingerprint.ts. */
export const fingerprintSchema = z.string().regex(/^[0-9a-f]{16,64}$/, 'not a machine fingerprint');

export const activationPayloadSchema = z.object({
  licenseId: z.string().min(1).max(128),
  fingerprint: fingerprintSchema,
  activatedAt: isoInstant,
});
export type ActivationPayload = z.infer<typeof activationPayloadSchema>;

/** Unsigned (the app holds no private key): the vendor re-verifies the licence it carries. */
export const activationRequestSchema = z.object({
  licenseId: z.string().min(1).max(128),
  fingerprint: fingerprintSchema,
  license: z.string().min(1).max(20_000),
});
export type ActivationRequest = z.infer<typeof activationRequestSchema>;

/** Keys arrive from e-mails, files and clipboards: drop every whitespace (none is significant). */
export function normalizeToken(text: string): string {
  return text.replace(/\s+/g, '');
}

const base64url = /^[A-Za-z0-9_-]+$/;

/** Strict base64url: the alphabet only, no padding, and canonical (re-encodes to the same text). */
export function decodeBase64url(text: string): Buffer | null {
  if (!base64url.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

export function encodeSigned(prefix: string, payload: unknown, privateKey: KeyObject): string {
  const bytes = Buffer.from(JSON.stringify(payload), 'utf8');
  const signature = sign(null, bytes, privateKey);
  return `${prefix}.${bytes.toString('base64url')}.${signature.toString('base64url')}`;
}

export interface SignedParts {
  payloadBytes: Buffer;
  signature: Buffer;
}

const ed25519SignatureBytes = 64;

/** Splits and decodes a signed token; checks shape only, not the signature. */
export function splitSigned(prefix: string, text: string, what: string): LicenseResult<SignedParts> {
  const token = normalizeToken(text);
  if (token.length === 0) return refuse('bad_encoding', `The ${what} is empty.`);
  const parts = token.split('.');
  if (parts[0] !== prefix) {
    return refuse(
      'bad_encoding',
      `This is not an AUTOBOT ${what}: it should start with "${prefix}.". Copy the whole text again.`,
    );
  }
  if (parts.length !== 3) {
    return refuse(
      'bad_encoding',
      `The ${what} is incomplete: it should have three parts separated by dots. Copy the whole text again.`,
    );
  }
  const payloadBytes = decodeBase64url(parts[1]!);
  const signature = decodeBase64url(parts[2]!);
  if (!payloadBytes || !signature || signature.length !== ed25519SignatureBytes) {
    return refuse(
      'bad_encoding',
      `The ${what} is damaged (it contains characters that do not belong there, or a part is cut short). Copy the whole text again.`,
    );
  }
  return { ok: true, value: { payloadBytes, signature } };
}

/** The index of the first trusted key that verifies the signature, or -1. */
export function findSigner(parts: SignedParts, trustedKeys: readonly KeyObject[]): number {
  return trustedKeys.findIndex((key) => {
    try {
      return verify(null, parts.payloadBytes, key, parts.signature);
    } catch {
      return false;
    }
  });
}

/** JSON.parse without throwing; the UTF-8 must be well formed too. */
export function parseJsonBytes(bytes: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

export function describeIssues(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const where = first.path.length > 0 ? `field "${first.path.map(String).join('.')}"` : 'the contents';
  return `${where}: ${first.message}`;
}
