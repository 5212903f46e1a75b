// The token pair in the keychain, written so that a kill at any moment leaves a working pair.
// cTrader invalidates a refresh token the moment it is used, so the new pair must be stored before
// anything else happens, and never by overwriting the only copy of the old one. Two slots hold
// {pair, generation}: a write goes to the slot NOT holding the newest pair, with generation + 1;
// a read takes the highest generation that parses. One keychain entry is replaced whole by the OS,
// so whatever instant the process dies at, one slot holds a complete pair: the new one once its
// write returned, else the previous one. Secrets never leave the core (docs/ctrader.md).
import type { SecretStore } from '../secrets/secret-store.ts';
import type { TokenPair } from './token-client.ts';

export interface StoredTokens extends TokenPair {
  generation: number;
  /** Epoch ms the pair was stored. */
  storedAt: number;
}

export class TokenVault {
  readonly #secrets: SecretStore;
  readonly #prefix: string;

  /** @param name what the tokens belong to, e.g. "ctrader.demo". */
  constructor(secrets: SecretStore, name: string) {
    this.#secrets = secrets;
    this.#prefix = `${name}.token.`;
  }

  async read(): Promise<StoredTokens | null> {
    const slots = await Promise.all([this.#slot(0), this.#slot(1)]);
    return slots.reduce<StoredTokens | null>(
      (best, slot) => (slot !== null && (best === null || slot.generation > best.generation) ? slot : best),
      null,
    );
  }

  /** Stores `pair` as the newest; resolves once the keychain holds it. */
  async write(pair: TokenPair, now: number = Date.now()): Promise<StoredTokens> {
    const current = await this.read();
    const generation = (current?.generation ?? 0) + 1;
    const stored: StoredTokens = { ...pair, generation, storedAt: now };
    await this.#secrets.set(this.#prefix + String(generation % 2), JSON.stringify(stored));
    return stored;
  }

  /** Forgets both slots (Disconnect). */
  async clear(): Promise<void> {
    await this.#secrets.delete(`${this.#prefix}0`);
    await this.#secrets.delete(`${this.#prefix}1`);
  }

  async #slot(index: number): Promise<StoredTokens | null> {
    const raw = await this.#secrets.get(this.#prefix + String(index));
    if (raw === null) return null;
    try {
      const value = JSON.parse(raw) as Partial<StoredTokens>;
      if (
        typeof value.accessToken === 'string' &&
        typeof value.refreshToken === 'string' &&
        Number.isInteger(value.generation) &&
        typeof value.expiresAt === 'number'
      )
        return value as StoredTokens;
    } catch {
      // unreadable: the other slot decides
    }
    return null;
  }
}
