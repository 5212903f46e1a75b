import { AutobotError } from '../../core/contract/errors.ts';
import type { SecretStore } from '../../core/secrets/secret-store.ts';

/** A keychain that does not answer, failing the way KeychainSecretStore does; counts the attempts. */
export class UnavailableKeychain implements SecretStore {
  touched = 0;
  #fail(): never {
    this.touched++;
    throw new AutobotError(
      'keychain_unavailable',
      'Could not read a secret in the OS keychain: no D-Bus session. Start a Secret Service and unlock it.',
    );
  }
  async get(): Promise<string | null> {
    return this.#fail();
  }
  async set(): Promise<void> {
    this.#fail();
  }
  async delete(): Promise<boolean> {
    return this.#fail();
  }
  async list(): Promise<string[]> {
    return this.#fail();
  }
}
