// Whether secrets can be kept right now, probed once at start and again whenever the last answer
// was "no": everything that needs no secret keeps working without a keychain, and the pages that
// need one show this status instead of failing blank. The probe is bounded by a timeout, because a
// hung D-Bus would otherwise hang whoever waits for it.
import { AutobotError } from '../contract/errors.ts';
import { explainKeychainFailure } from './keychain-unavailable.ts';
import type { SecretStore } from './secret-store.ts';

export type SecretsBackend = 'keychain' | 'directory';

export interface SecretsStatus {
  backend: SecretsBackend;
  available: boolean;
  /** One sentence for people: where secrets are kept, or why they cannot be. */
  message: string;
  /** What to do about it on this OS (only when not available). */
  fix?: string;
  /** The operator's secrets directory (backend "directory"). */
  directory?: string;
}

export interface ProbeOptions {
  backend: SecretsBackend;
  directory?: string;
  /** Default 5 s: long enough for a slow D-Bus activation, short enough not to look hung. */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

/** A name nothing is stored under: reading it asks the store to answer without changing anything. */
export const probeSecretName = 'autobot.probe';
export const defaultProbeTimeoutMs = 5_000;

class ProbeTimeout extends Error {}

function withTimeout<T>(operation: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout()), timeoutMs);
    timer.unref();
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}

function keychainReason(error: unknown, timeoutMs: number): string {
  if (error instanceof ProbeTimeout)
    return `the keychain did not answer within ${Math.round(timeoutMs / 100) / 10} s`;
  const keychainMessage = error instanceof AutobotError ? error.detail?.keychainMessage : undefined;
  if (typeof keychainMessage === 'string') return keychainMessage;
  return error instanceof Error ? error.message : String(error);
}

export async function probeSecrets(store: SecretStore, options: ProbeOptions): Promise<SecretsStatus> {
  const timeoutMs = options.timeoutMs ?? defaultProbeTimeoutMs;
  const where = options.directory === undefined ? {} : { directory: options.directory };
  try {
    await withTimeout(store.get(probeSecretName), timeoutMs);
    return {
      backend: options.backend,
      available: true,
      message:
        options.backend === 'directory'
          ? `Secrets are kept in files under ${options.directory} (--secrets-dir), readable by this user only.`
          : 'Secrets are kept in the OS keychain.',
      ...where,
    };
  } catch (error) {
    if (options.backend === 'directory') {
      // The directory store's refusals already name the path and the fix.
      const fix = error instanceof AutobotError ? error.detail?.fix : undefined;
      return {
        backend: 'directory',
        available: false,
        message:
          error instanceof ProbeTimeout
            ? `The secrets directory ${options.directory} did not answer.`
            : error instanceof Error
              ? error.message
              : String(error),
        ...(typeof fix === 'string' ? { fix } : {}),
        ...where,
      };
    }
    const explained = explainKeychainFailure(keychainReason(error, timeoutMs), options.platform);
    return { backend: 'keychain', available: false, message: explained.message, fix: explained.fix };
  }
}

/**
 * The current answer, shared by every caller. A "yes" is kept; a "no" is asked again on the next
 * request, so a user who starts their keyring and reloads the page sees it at once.
 */
export class SecretsAvailability {
  readonly #probe: () => Promise<SecretsStatus>;
  #pending: Promise<SecretsStatus> | null = null;
  #known: SecretsStatus | null = null;

  constructor(probe: () => Promise<SecretsStatus>) {
    this.#probe = probe;
  }

  current(): Promise<SecretsStatus> {
    if (this.#known?.available) return Promise.resolve(this.#known);
    if (this.#pending) return this.#pending;
    const pending = this.#probe().then((status) => {
      this.#known = status;
      this.#pending = null;
      return status;
    });
    this.#pending = pending;
    return pending;
  }
}
