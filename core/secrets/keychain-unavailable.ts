// What "the keychain did not answer" means for a user, and what to do about it on their OS. The
// keychain library only says things like "DBus error: Using X11 for dbus-daemon autolaunch was
// disabled at compile time"; people need the cause in plain words and the fix for their system.
import { AutobotError } from '../contract/errors.ts';

export type KeychainFailureCause =
  'no_session_bus' | 'no_secret_service' | 'locked' | 'no_answer' | 'refused';

/** Every sentence shown for a missing keychain starts with this, so pages and tests can find it. */
export const keychainUnavailableHeadline = 'The system keychain is not available';

// Messages seen from @napi-rs/keyring (keyring-rs over dbus-secret-service / zbus) on Linux, in
// the situations a user meets: no session bus at all, a bus without a Secret Service, a keyring
// that is locked or has no default collection. Anything else is reported as the keychain's refusal.
const causes: readonly [KeychainFailureCause, RegExp][] = [
  [
    'no_secret_service',
    /ServiceUnknown|not provided by any \.service files|no secret service provider|org\.freedesktop\.secrets/i,
  ],
  [
    'no_session_bus',
    /dbus-daemon autolaunch|DBUS_SESSION_BUS_ADDRESS|Failed to connect to (address|socket)|dbus session found|connection refused/i,
  ],
  [
    'locked',
    /no result found|locked|prompt|dismissed|user canceled|Couldn't access platform storage|interaction is not allowed/i,
  ],
  ['no_answer', /did not answer/i],
];

export function classifyKeychainFailure(reason: string): KeychainFailureCause {
  return causes.find(([, pattern]) => pattern.test(reason))?.[0] ?? 'refused';
}

export function describeKeychainCause(cause: KeychainFailureCause, reason: string): string {
  switch (cause) {
    case 'no_session_bus':
      return 'no D-Bus session bus is running (DBUS_SESSION_BUS_ADDRESS is unset or points nowhere), so no Secret Service can be reached';
    case 'no_secret_service':
      return 'nothing on the D-Bus session bus provides the Secret Service (GNOME Keyring or KWallet is not running)';
    case 'locked':
      return 'the keyring is locked, or has no default keyring to store secrets in';
    case 'no_answer':
      return reason;
    case 'refused':
      return `the keychain refused: ${reason}`;
  }
}

/** What to do about it on this OS. */
export function keychainFix(platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'darwin':
      return 'Unlock your login keychain in Keychain Access (or sign out and in again), then reload this page.';
    case 'win32':
      return 'Run AUTOBOT signed in to your own Windows account (Credential Manager is not available to services running as SYSTEM), then reload this page.';
    case 'linux':
      return (
        'Install GNOME Keyring (package gnome-keyring) or KWallet, start it in your desktop session and unlock it, then reload this page. ' +
        'On a server or in a container, where there is no desktop keychain, start AUTOBOT with `autobot serve --secrets-dir DIR` (docs/secrets.md).'
      );
    default:
      return 'Start and unlock the keychain of your system, or on a server start AUTOBOT with `autobot serve --secrets-dir DIR` (docs/secrets.md).';
  }
}

export interface KeychainUnavailable {
  cause: KeychainFailureCause;
  /** "The system keychain is not available: <cause in plain words>." */
  message: string;
  fix: string;
}

export function explainKeychainFailure(
  reason: string,
  platform: NodeJS.Platform = process.platform,
): KeychainUnavailable {
  const cause = classifyKeychainFailure(reason);
  return {
    cause,
    message: `${keychainUnavailableHeadline}: ${describeKeychainCause(cause, reason)}.`,
    fix: keychainFix(platform),
  };
}

/**
 * The error every keychain operation fails with when the keychain does not answer: what was being
 * done, why it failed in plain words and the fix for this OS. There is no plaintext fallback.
 */
export function keychainUnavailableError(
  action: string,
  name: string,
  reason: string,
  platform: NodeJS.Platform = process.platform,
): AutobotError {
  const explained = explainKeychainFailure(reason, platform);
  return new AutobotError(
    'keychain_unavailable',
    `Could not ${action} secret "${name}" in the OS keychain. ${explained.message} ${explained.fix} ` +
      'AUTOBOT keeps secrets only in the keychain (or the secrets directory an operator chose), never in a plain file.',
    // The keychain's own words help support; they say why (locked, no D-Bus) but never hold the secret.
    { detail: { cause: explained.cause, fix: explained.fix, keychainMessage: reason } },
  );
}
