// The licence key format and its refusals, one code each; fast-check for tampering and foreign keys.
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSigned, licensePrefix, type LicenseErrorCode } from '../../core/license/format.ts';
import { issueLicense } from '../../core/license/vendor.ts';
import { checkClock, decodeLicenseKey, verifyLicenseKey } from '../../core/license/verify.ts';

const vendor = generateKeyPairSync('ed25519');
const privateKeyPem = vendor.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const trusted = [vendor.publicKey];

const issuedAt = new Date('2026-01-01T00:00:00.000Z');
const now = new Date('2026-06-01T00:00:00.000Z');
const base = {
  licensee: 'Ada Lovelace',
  email: 'ada@example.com',
  plan: 'pro',
  features: ['backtest', 'live-trading'],
  maxInstances: 2,
  issuedAt,
};
const key = issueLicense({ ...base, privateKeyPem, id: 'lic-1', expires: '2026-12-31' });

const payload = {
  id: 'lic-1',
  licensee: 'Ada Lovelace',
  email: 'ada@example.com',
  plan: 'pro',
  features: ['backtest'],
  maxInstances: 1,
  maxMachines: null,
  issuedAt: issuedAt.toISOString(),
  product: 'autobot',
};

function refusalCode(text: string, at: Date = now, keys = trusted): LicenseErrorCode | 'ok' {
  const result = verifyLicenseKey(text, keys, at);
  return result.ok ? 'ok' : result.refusal.code;
}

/** A key over arbitrary bytes, signed by the trusted vendor key. */
function signedRaw(bytes: Buffer): string {
  const signature = sign(null, bytes, vendor.privateKey);
  return `${licensePrefix}.${bytes.toString('base64url')}.${signature.toString('base64url')}`;
}

describe('licence keys', () => {
  it('round-trips: the issued key verifies and carries the payload', () => {
    expect(key.startsWith('AUTOBOT1.')).toBe(true);
    expect(key.split('.')).toHaveLength(3);
    const result = verifyLicenseKey(key, trusted, now);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.payload).toEqual({
      id: 'lic-1',
      licensee: 'Ada Lovelace',
      email: 'ada@example.com',
      plan: 'pro',
      features: ['backtest', 'live-trading'],
      maxInstances: 2,
      maxMachines: null,
      issuedAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-12-31T23:59:59.999Z',
      product: 'autobot',
    });
  });

  it('tolerates whitespace and line breaks around and inside the key (a .license file, a wrapped e-mail)', () => {
    const wrapped = `\n  ${key.slice(0, 60)}\r\n${key.slice(60, 130)}\n\t${key.slice(130)}  \n\n`;
    expect(refusalCode(wrapped)).toBe('ok');
  });

  it('the signature covers the payload bytes as transmitted (no re-serialisation)', () => {
    // Same JSON meaning, different bytes (key order): the original signature no longer verifies.
    const [prefix, body, signature] = key.split('.');
    const reordered = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(Buffer.from(body!, 'base64url').toString())).reverse()),
    );
    expect(refusalCode(`${prefix}.${Buffer.from(reordered).toString('base64url')}.${signature}`)).toBe(
      'bad_signature',
    );
  });

  describe('bad_encoding', () => {
    it.each([
      ['an empty string', ''],
      ['a wrong prefix', key.replace(/^AUTOBOT1\./, 'AUTOBOT2.')],
      ['no prefix', key.slice('AUTOBOT1.'.length)],
      ['a missing part', key.split('.').slice(0, 2).join('.')],
      ['an extra part', `${key}.AAAA`],
      ['a character outside base64url', key.replace(/\.(.)/, '.*')],
      ['padding', `${key}==`],
      ['a truncated signature', key.slice(0, -10)],
    ])('%s', (_label, text) => {
      const result = verifyLicenseKey(text, trusted, now);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.refusal.code).toBe('bad_encoding');
        expect(result.refusal.message.length).toBeGreaterThan(10);
      }
    });

    it('a signed payload that is not JSON', () => {
      expect(refusalCode(signedRaw(Buffer.from('not json at all')))).toBe('bad_encoding');
    });

    it('a signed payload that is not UTF-8', () => {
      expect(refusalCode(signedRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))).toBe('bad_encoding');
    });

    it.each([
      ['email missing', { ...payload, email: undefined }],
      ['maxInstances as a string', { ...payload, maxInstances: '1' }],
      ['maxInstances 0', { ...payload, maxInstances: 0 }],
      ['features not an array', { ...payload, features: 'backtest' }],
      ['issuedAt not a date', { ...payload, issuedAt: 'yesterday' }],
      ['maxMachines missing', { ...payload, maxMachines: undefined }],
      ['an array instead of an object', [payload]],
    ])('a signed payload with %s', (_label, content) => {
      const text = encodeSigned(licensePrefix, content, vendor.privateKey);
      const result = verifyLicenseKey(text, trusted, now);
      expect(result.ok ? 'ok' : result.refusal.code).toBe('bad_encoding');
      if (!result.ok) expect(result.refusal.message).toMatch(/contents/);
    });
  });

  it('bad_signature: a flipped bit of the signature or of the payload', () => {
    const [prefix, body, signature] = key.split('.');
    const flip = (part: string, index: number) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[index % bytes.length]! ^= 0x01;
      return bytes.toString('base64url');
    };
    expect(refusalCode(`${prefix}.${body}.${flip(signature!, 10)}`)).toBe('bad_signature');
    expect(refusalCode(`${prefix}.${flip(body!, 20)}.${signature}`)).toBe('bad_signature');
  });

  it('no_trusted_key: a build without any trusted key accepts nothing', () => {
    expect(refusalCode(key, now, [])).toBe('no_trusted_key');
  });

  it('wrong_product: a licence signed for another product', () => {
    const text = encodeSigned(licensePrefix, { ...payload, product: 'otherbot' }, vendor.privateKey);
    const result = verifyLicenseKey(text, trusted, now);
    expect(result.ok ? 'ok' : result.refusal).toEqual({
      code: 'wrong_product',
      message: expect.stringContaining('"otherbot"'),
    });
  });

  it('not_yet_valid: issuedAt in the future beyond the 5-minute skew', () => {
    expect(refusalCode(key, new Date(issuedAt.getTime() - 10 * 60_000))).toBe('not_yet_valid');
    expect(refusalCode(key, new Date(issuedAt.getTime() - 4 * 60_000))).toBe('ok');
  });

  it('expired: after the last valid instant (a date-only expiry covers that whole day, UTC)', () => {
    expect(refusalCode(key, new Date('2026-12-31T23:59:59.000Z'))).toBe('ok');
    const result = verifyLicenseKey(key, trusted, new Date('2027-01-01T00:00:00.000Z'));
    expect(result.ok ? 'ok' : result.refusal).toEqual({
      code: 'expired',
      message: expect.stringContaining('2026-12-31'),
    });
  });

  it('a licence without expiresAt never expires', () => {
    const perpetual = issueLicense({ ...base, privateKeyPem });
    expect(refusalCode(perpetual, new Date('2099-01-01T00:00:00Z'))).toBe('ok');
  });

  it('clock_rollback: the clock behind the high-water mark by more than the tolerance', () => {
    const mark = new Date('2026-06-01T12:00:00Z');
    const hour = 60 * 60_000;
    expect(checkClock(new Date(mark.getTime() - 2 * hour), mark)?.code).toBe('clock_rollback');
    expect(checkClock(new Date(mark.getTime() - hour / 2), mark)).toBeNull();
    expect(checkClock(new Date(mark.getTime() - hour / 2), mark, 60_000)?.code).toBe('clock_rollback');
    expect(checkClock(mark, null)).toBeNull();
  });

  it('issueLicense refuses bad input instead of signing it', () => {
    expect(() => issueLicense({ ...base, privateKeyPem, email: 'not an email' })).toThrow(/email/);
    expect(() => issueLicense({ ...base, privateKeyPem, maxInstances: 0 })).toThrow(/maxInstances/);
    expect(() => issueLicense({ ...base, privateKeyPem, expires: '2025-01-01' })).toThrow(/not after/);
    expect(() => issueLicense({ ...base, privateKeyPem, expires: 'next year' })).toThrow(/not a date/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaPem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => issueLicense({ ...base, privateKeyPem: rsaPem })).toThrow(/Ed25519/);
  });
});

describe('property: tampering never validates', () => {
  const alphabet = [
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
    '.',
    '=',
    '+',
    '/',
    ' ',
    '\n',
    'é',
  ];

  it('no key with mutated characters (payload, signature, prefix or dots) ever validates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: key.length - 1 }), fc.constantFrom(...alphabet)), {
          minLength: 1,
          maxLength: 4,
        }),
        (mutations) => {
          const chars = [...key];
          for (const [index, char] of mutations) chars[index] = char;
          const mutated = chars.join('');
          fc.pre(mutated !== key);
          expect(decodeLicenseKey(mutated, trusted).ok).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('no key with a mutated payload or signature byte validates, and the refusal is bad_signature', () => {
    const [prefix, body, signature] = key.split('.');
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), (inSignature, position, xor) => {
        const bytes = Buffer.from(inSignature ? signature! : body!, 'base64url');
        bytes[position % bytes.length]! ^= xor;
        const part = bytes.toString('base64url');
        const text = inSignature ? `${prefix}.${body}.${part}` : `${prefix}.${part}.${signature}`;
        const result = decodeLicenseKey(text, trusted);
        expect(result.ok ? 'ok' : result.refusal.code).toBe('bad_signature');
      }),
      { numRuns: 2000 },
    );
  });

  it('a licence signed by another key never validates', () => {
    const others = Array.from({ length: 8 }, () => generateKeyPairSync('ed25519'));
    fc.assert(
      fc.property(
        fc.constantFrom(...others),
        fc.record({
          licensee: fc.string({ minLength: 1, maxLength: 40 }),
          plan: fc.constantFrom('basic', 'pro', 'enterprise'),
          features: fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 5 }),
          maxInstances: fc.integer({ min: 1, max: 50 }),
          maxMachines: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
        }),
        (other, fields) => {
          const options = { ...fields, email: 'x@example.com', issuedAt };
          const otherPem = other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
          const forged = issueLicense({ ...options, privateKeyPem: otherPem });
          expect(refusalCode(forged)).toBe('bad_signature');
          // The same fields from the real vendor key do verify: the refusal is about the key alone.
          expect(refusalCode(issueLicense({ ...options, privateKeyPem }))).toBe('ok');
          // And trusting the other key as well (a test key) makes exactly that key acceptable.
          expect(refusalCode(forged, now, [vendor.publicKey, other.publicKey])).toBe('ok');
        },
      ),
      { numRuns: 300 },
    );
  });
});
