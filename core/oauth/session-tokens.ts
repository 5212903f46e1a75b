// The tokens of one connected cTrader environment, as the venue asks for them (TokenSource): the
// access token, refreshed first when under `refreshWithinMs` (7 days) of its expiry. A refresh runs
// once however many callers ask at the same moment (single flight), and the new pair is written to
// the keychain before anyone receives it — the old refresh token is dead from that moment on.
// The lock is per process; two AUTOBOT processes on one environment would each refresh (docs).
import type { TokenSource } from '../venues/ctrader/token-source.ts';
import { OAuthError } from './redirect-address.ts';
import type { TokenClient } from './token-client.ts';
import type { StoredTokens, TokenVault } from './token-vault.ts';

export const defaultRefreshWithinMs = 7 * 86_400_000;

export class SessionTokens implements TokenSource {
  readonly #vault: TokenVault;
  readonly #client: TokenClient;
  readonly #now: () => number;
  readonly #refreshWithinMs: number;
  #inFlight: Promise<StoredTokens> | null = null;

  constructor(options: {
    vault: TokenVault;
    client: TokenClient;
    now?: () => number;
    refreshWithinMs?: number;
  }) {
    this.#vault = options.vault;
    this.#client = options.client;
    this.#now = options.now ?? Date.now;
    this.#refreshWithinMs = options.refreshWithinMs ?? defaultRefreshWithinMs;
  }

  /** The stored pair (for expiry on the Account page), or null when not connected. */
  current(): Promise<StoredTokens | null> {
    return this.#vault.read();
  }

  async accessToken(): Promise<string> {
    const stored = await this.#stored();
    if (stored.expiresAt - this.#now() < this.#refreshWithinMs)
      return (await this.#refreshOnce()).accessToken;
    return stored.accessToken;
  }

  async refresh(): Promise<string> {
    return (await this.#refreshOnce()).accessToken;
  }

  #refreshOnce(): Promise<StoredTokens> {
    this.#inFlight ??= (async () => {
      const stored = await this.#stored();
      const pair = await this.#client.refresh(stored.refreshToken);
      // First thing after the answer: the old refresh token is already invalid at cTrader.
      return this.#vault.write(pair, this.#now());
    })().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  async #stored(): Promise<StoredTokens> {
    const stored = await this.#vault.read();
    if (stored === null)
      throw new OAuthError(
        'not_connected',
        'No cTrader tokens are stored: connect the account on the Account page',
      );
    return stored;
  }
}
