// Secrets (broker tokens, exchange keys, the licence) live only in the OS keychain: Keychain on
// macOS, Credential Manager on Windows, the Secret Service (GNOME Keyring, KWallet) on Linux.
// There is deliberately no plaintext fallback: if no keychain answers, every operation fails with
// keychain_unavailable, its cause in plain words and the fix for this OS. The only other backend is
// a directory of secret files the operator chooses explicitly (secret-dir-store.ts, --secrets-dir).
// docs/secrets.md explains why @napi-rs/keyring and not keytar.
import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import { AutobotError } from '../contract/errors.ts';
import { keychainUnavailableError } from './keychain-unavailable.ts';

export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  /** Returns whether there was a secret to delete. */
  delete(name: string): Promise<boolean>;
  /** Names of the secrets this app holds (never their values). */
  list(): Promise<string[]>;
}

const secretName = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

export function assertSecretName(name: string): void {
  if (!secretName.test(name)) {
    throw new AutobotError(
      'invalid_input',
      `"${name}" is not a valid secret name (letters, digits and . _ : @ / - only).`,
      {
        issues: [{ path: 'name', message: 'invalid secret name' }],
      },
    );
  }
}

/** Linux: pin the persistent Secret Service; the kernel keyutils store forgets everything at reboot. */
const entryOptions: EntryOptions | undefined =
  process.platform === 'linux' ? { linux: { store: 'secret-service' } } : undefined;

export class KeychainSecretStore implements SecretStore {
  readonly #service: string;

  /** @param service the keychain "service" every entry of this app is filed under. */
  constructor(service: string) {
    this.#service = service;
  }

  async get(name: string): Promise<string | null> {
    assertSecretName(name);
    return this.#withKeychain('read', name, () => this.#entry(name).getPassword());
  }

  async set(name: string, value: string): Promise<void> {
    assertSecretName(name);
    await this.#withKeychain('save', name, () => this.#entry(name).setPassword(value));
  }

  async delete(name: string): Promise<boolean> {
    assertSecretName(name);
    return this.#withKeychain('delete', name, () => this.#entry(name).deletePassword());
  }

  async list(): Promise<string[]> {
    const credentials = await this.#withKeychain('list', '*', () => findCredentialsAsync(this.#service));
    return credentials.map((credential) => credential.account).sort();
  }

  #entry(name: string): AsyncEntry {
    return new AsyncEntry(this.#service, name, entryOptions);
  }

  async #withKeychain<T>(action: string, name: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw keychainUnavailableError(action, name, reason);
    }
  }
}
