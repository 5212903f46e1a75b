// Credentials for exchanges and data providers, kept in the OS keychain. Only the core reads them
// whole (to sign venue requests); everything that leaves the core is masked.
import { AutobotError } from '../contract/errors.ts';
import type { SecretStore } from './secret-store.ts';

export interface ApiCredential {
  key: string;
  secret: string;
  passphrase?: string;
}

export interface MaskedCredential {
  provider: string;
  /** The key's last four characters behind bullets, e.g. "••••a1b2". */
  keyHint: string;
  hasSecret: boolean;
  hasPassphrase: boolean;
  updatedAt: string;
}

interface StoredCredential extends ApiCredential {
  updatedAt: string;
}

const prefix = 'vault.';

export function maskSecret(value: string): string {
  return value.length <= 4 ? '••••' : `••••${value.slice(-4)}`;
}

function masked(provider: string, stored: StoredCredential): MaskedCredential {
  return {
    provider,
    keyHint: maskSecret(stored.key),
    hasSecret: stored.secret.length > 0,
    hasPassphrase: Boolean(stored.passphrase),
    updatedAt: stored.updatedAt,
  };
}

export class ApiKeyVault {
  readonly #secrets: SecretStore;
  readonly #now: () => Date;

  constructor(secrets: SecretStore, now: () => Date = () => new Date()) {
    this.#secrets = secrets;
    this.#now = now;
  }

  async list(): Promise<MaskedCredential[]> {
    const names = (await this.#secrets.list()).filter((name) => name.startsWith(prefix));
    const credentials: MaskedCredential[] = [];
    for (const name of names) {
      const stored = await this.#read(name);
      if (stored) credentials.push(masked(name.slice(prefix.length), stored));
    }
    return credentials;
  }

  /** Adds or replaces the credential of one provider. */
  async save(provider: string, credential: ApiCredential): Promise<MaskedCredential> {
    const stored: StoredCredential = { ...credential, updatedAt: this.#now().toISOString() };
    await this.#secrets.set(prefix + provider, JSON.stringify(stored));
    return masked(provider, stored);
  }

  async remove(provider: string): Promise<boolean> {
    return this.#secrets.delete(prefix + provider);
  }

  /** The whole credential, for venue adapters inside the core only — never returned over the contract. */
  async reveal(provider: string): Promise<ApiCredential> {
    const stored = await this.#read(prefix + provider);
    if (!stored)
      throw new AutobotError(
        'not_found',
        `No API key is stored for "${provider}". Add one on the Account page.`,
      );
    const credential: ApiCredential = { key: stored.key, secret: stored.secret };
    if (stored.passphrase) credential.passphrase = stored.passphrase;
    return credential;
  }

  async #read(name: string): Promise<StoredCredential | null> {
    const raw = await this.#secrets.get(name);
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as StoredCredential;
    } catch {
      return null; // not ours (written by something else under our service): skip rather than crash
    }
  }
}
