// One-time login codes: what a login link carries instead of the long-lived token, so a link left
// in a terminal's scrollback, a log or the browser history is worthless once a browser has used it.
// Codes live in this process only; a restart invalidates every unused one.
import { createHash, randomBytes } from 'node:crypto';

/** A code minted on request (`autobot login-link`) is for a browser about to open it. */
export const mintedCodeLifetimeMs = 10 * 60 * 1000;

const digestOf = (code: string) => createHash('sha256').update(code).digest('base64url');

export class LoginCodes {
  // Keyed by the code's digest, so lookups compare digests, never the code's own characters.
  readonly #expiresAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** A fresh code, valid once, until `lifetimeMs` has passed (Infinity: until used or restart). */
  issue(lifetimeMs: number = mintedCodeLifetimeMs): string {
    this.#sweep();
    const code = randomBytes(24).toString('base64url');
    this.#expiresAt.set(digestOf(code), this.#now() + lifetimeMs);
    return code;
  }

  /** True exactly once per issued code, and only before it expires. */
  redeem(code: string): boolean {
    const key = digestOf(code);
    const expiresAt = this.#expiresAt.get(key);
    if (expiresAt === undefined) return false;
    this.#expiresAt.delete(key);
    return expiresAt > this.#now();
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, expiresAt] of this.#expiresAt) if (expiresAt <= now) this.#expiresAt.delete(key);
  }
}
