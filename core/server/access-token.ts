// The headless host's API token: 32 random bytes, made at the first start and kept with the other
// secrets so scripts and logged-in browsers survive a restart. Where no secret store answers (no
// keychain, no --secrets-dir) the token lives only in this process and changes at every start:
// never a plaintext file. An operator may hand one in through AUTOBOT_TOKEN instead (read, never stored).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AutobotError } from '../contract/errors.ts';
import type { SecretStore } from '../secrets/secret-store.ts';

export const serverTokenSecret = 'server.token';
const minimumTokenLength = 32;

export interface AccessToken {
  token: string;
  /** Where it came from: the secret store (kept across restarts), the environment, or this process only. */
  source: 'secrets' | 'environment' | 'memory';
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored token, made and stored on first use; keychain_unavailable propagates. */
export async function readOrCreateStoredToken(secrets: SecretStore): Promise<string> {
  const stored = await secrets.get(serverTokenSecret);
  if (stored && stored.length >= minimumTokenLength) return stored;
  const token = newToken();
  await secrets.set(serverTokenSecret, token);
  return token;
}

export async function loadAccessToken(
  secrets: SecretStore,
  env: Record<string, string | undefined> = process.env,
): Promise<AccessToken> {
  const fromEnv = env.AUTOBOT_TOKEN?.trim();
  if (fromEnv) {
    if (fromEnv.length < minimumTokenLength)
      throw new AutobotError(
        'invalid_input',
        `AUTOBOT_TOKEN must be at least ${minimumTokenLength} characters; leave it unset and AUTOBOT makes one.`,
        { issues: [{ path: 'AUTOBOT_TOKEN', message: 'too short' }] },
      );
    return { token: fromEnv, source: 'environment' };
  }
  try {
    return { token: await readOrCreateStoredToken(secrets), source: 'secrets' };
  } catch (error) {
    if (error instanceof AutobotError && error.code === 'keychain_unavailable')
      return { token: newToken(), source: 'memory' };
    throw error;
  }
}

/** Constant-time equality, so a wrong guess reveals nothing about how close it came. */
export function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, which timingSafeEqual requires, without leaking the length.
  const digest = (value: string) => createHmac('sha256', 'autobot-compare').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** What the browser's cookie holds: derived from the token, so rotating the token logs every browser out. */
export function sessionCredential(token: string): string {
  return createHmac('sha256', token).update('autobot-session-v1').digest('base64url');
}
