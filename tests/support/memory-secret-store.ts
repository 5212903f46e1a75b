import type { SecretStore } from '../../core/secrets/secret-store.ts';

/** For tests of code *around* secrets; the keychain itself is tested against real gnome-keyring. */
export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();
  async get(name: string) {
    return this.#values.get(name) ?? null;
  }
  async set(name: string, value: string) {
    this.#values.set(name, value);
  }
  async delete(name: string) {
    return this.#values.delete(name);
  }
  async list() {
    return [...this.#values.keys()].sort();
  }
}
