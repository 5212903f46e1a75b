// What belongs to the machine rather than to one install: the trial record and the clock's
// high-water mark. They are filed under a fixed keychain service and named by the machine
// fingerprint, so neither deleting the data folder nor reinstalling under another
// `--keychain-service` starts a second trial or forgets the latest time seen. docs/licensing.md.
import type { SecretStore } from '../secrets/secret-store.ts';

/** The keychain service of machine-level records. Only development and test hosts may use another (dev-overrides.ts). */
export const machineKeychainService = 'AUTOBOT-machine';

export function machineRecordNames(fingerprint: string): { trial: string; clock: string } {
  return { trial: `trial.${fingerprint}`, clock: `clock.${fingerprint}` };
}

/** Where the mark was kept before it moved to machine level; still read, so an upgrade forgets nothing. */
export const legacyClockSecretName = 'license.clock';

/** Where the latest time the app has seen is kept between runs. */
export interface HighWaterMarkStore {
  read(): Promise<Date | null>;
  write(value: Date): Promise<void>;
}

async function readInstant(store: SecretStore, name: string): Promise<number | null> {
  const value = await store.get(name);
  const time = value === null ? NaN : Date.parse(value);
  return Number.isFinite(time) ? time : null;
}

/**
 * The mark as `clock.<fingerprint>` in the machine store; reading also takes the install's older
 * `license.clock` into account (the later of the two wins).
 */
export function machineHighWaterMark(
  machine: SecretStore,
  fingerprint: () => string,
  legacy?: SecretStore,
): HighWaterMarkStore {
  return {
    async read() {
      const [current, old] = await Promise.all([
        readInstant(machine, machineRecordNames(fingerprint()).clock),
        legacy ? readInstant(legacy, legacyClockSecretName) : null,
      ]);
      const latest = Math.max(current ?? -Infinity, old ?? -Infinity);
      return Number.isFinite(latest) ? new Date(latest) : null;
    },
    async write(value) {
      await machine.set(machineRecordNames(fingerprint()).clock, value.toISOString());
    },
  };
}
