// PKCE (RFC 7636) with S256, and the `state` that ties a redirect to the request we made. cTrader
// does not document PKCE; we send it anyway (RFC 8252 asks native apps to) and never depend on it.
import { createHash, randomBytes } from 'node:crypto';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url'); // 43 characters, the minimum allowed
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), method: 'S256' };
}

export function createState(): string {
  return randomBytes(24).toString('base64url');
}
