// A missing keychain is a clear state: its cause in plain words and the fix for the user's OS,
// from the messages @napi-rs/keyring really gives (recorded on Debian with no bus, a bus without a
// Secret Service, and a gnome-keyring without an unlocked keyring).
import { describe, expect, it } from 'vitest';
import {
  classifyKeychainFailure,
  explainKeychainFailure,
  keychainFix,
  keychainUnavailableError,
} from '../../core/secrets/keychain-unavailable.ts';
import { probeSecrets, SecretsAvailability, type SecretsStatus } from '../../core/secrets/secrets-status.ts';
import type { SecretStore } from '../../core/secrets/secret-store.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';

const recorded = {
  noBusX11:
    'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead',
  noBusSocket:
    'zbus error: Failed to connect to address `unix:path=/run/user/0/bus`: No such file or directory (os error 2)',
  busGone:
    'Platform failure: DBus error: Failed to connect to socket /nonexistent/autobot-bus: No such file or directory',
  bareBus:
    'Platform failure: DBus error: The name org.freedesktop.secrets was not provided by any .service files',
  bareBusList:
    'zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files',
  bareBusListNoProvider: 'no secret service provider or dbus session found',
  noCollection: "Couldn't access platform storage: Secret Service: no result found",
};

describe('classifying what the keychain said', () => {
  it.each([
    [recorded.noBusX11, 'no_session_bus'],
    [recorded.noBusSocket, 'no_session_bus'],
    [recorded.busGone, 'no_session_bus'],
    [recorded.bareBus, 'no_secret_service'],
    [recorded.bareBusList, 'no_secret_service'],
    [recorded.bareBusListNoProvider, 'no_secret_service'],
    [recorded.noCollection, 'locked'],
    ['something nobody has seen before', 'refused'],
  ])('%s → %s', (reason, cause) => {
    expect(classifyKeychainFailure(reason)).toBe(cause);
  });

  it('says "the system keychain is not available" with the cause in plain words, not D-Bus jargon', () => {
    const explained = explainKeychainFailure(recorded.noBusX11, 'linux');
    expect(explained.message).toMatch(/^The system keychain is not available: no D-Bus session bus/);
    expect(explained.message).not.toContain('X11');
    expect(explainKeychainFailure(recorded.bareBus, 'linux').message).toContain(
      'GNOME Keyring or KWallet is not running',
    );
  });
});

describe('the fix for each OS', () => {
  it('Linux: install and unlock gnome-keyring or KWallet, or on a server run with --secrets-dir', () => {
    const fix = keychainFix('linux');
    expect(fix).toContain('gnome-keyring');
    expect(fix).toContain('KWallet');
    expect(fix).toContain('autobot serve --secrets-dir DIR');
  });

  it('macOS and Windows: their own keychain', () => {
    expect(keychainFix('darwin')).toContain('Keychain Access');
    expect(keychainFix('win32')).toContain('Credential Manager');
    expect(keychainFix('win32')).not.toContain('--secrets-dir');
  });
});

describe('the error of a keychain operation', () => {
  it('is keychain_unavailable naming the action, the secret, the cause and the fix; no fallback', () => {
    const error = keychainUnavailableError('save', 'vault.binance', recorded.bareBus, 'linux');
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toContain('Could not save secret "vault.binance" in the OS keychain.');
    expect(error.message).toContain('The system keychain is not available');
    expect(error.message).toContain('--secrets-dir');
    expect(error.message).toContain('never in a plain file');
    expect(error.detail).toMatchObject({ cause: 'no_secret_service', keychainMessage: recorded.bareBus });
  });
});

class FailingKeychain extends MemorySecretStore {
  attempts = 0;
  failing = true;
  override async get(name: string) {
    this.attempts++;
    if (this.failing) throw keychainUnavailableError('read', name, recorded.noBusX11);
    return super.get(name);
  }
}

/** A keychain behind a D-Bus that accepts the call and never answers. */
const hungKeychain: SecretStore = {
  get: () => new Promise<never>(() => undefined),
  set: () => new Promise<never>(() => undefined),
  delete: () => new Promise<never>(() => undefined),
  list: () => new Promise<never>(() => undefined),
};

describe('probing the secret store', () => {
  it('reports an answering keychain as available', async () => {
    const status = await probeSecrets(new MemorySecretStore(), { backend: 'keychain' });
    expect(status).toEqual({
      backend: 'keychain',
      available: true,
      message: 'Secrets are kept in the OS keychain.',
    });
  });

  it('reports a keychain that fails with the plain cause and the fix for this OS', async () => {
    const status = await probeSecrets(new FailingKeychain(), { backend: 'keychain', platform: 'linux' });
    expect(status.available).toBe(false);
    expect(status.message).toMatch(/^The system keychain is not available: no D-Bus session bus/);
    expect(status.fix).toBe(keychainFix('linux'));
  });

  it('gives up on a keychain that never answers instead of hanging whoever asks', async () => {
    const status = await probeSecrets(hungKeychain, { backend: 'keychain', timeoutMs: 20 });
    expect(status.available).toBe(false);
    expect(status.message).toMatch(/^The system keychain is not available: the keychain did not answer/);
  });

  it('keeps a "yes", and asks again after a "no" so a keychain started later is seen', async () => {
    const keychain = new FailingKeychain();
    const availability = new SecretsAvailability(() => probeSecrets(keychain, { backend: 'keychain' }));
    const [first, concurrent] = await Promise.all([availability.current(), availability.current()]);
    expect(first.available).toBe(false);
    expect(concurrent).toBe(first); // one probe answers both
    expect(keychain.attempts).toBe(1);

    keychain.failing = false; // the user started and unlocked their keyring
    const second: SecretsStatus = await availability.current();
    expect(second.available).toBe(true);
    await availability.current();
    expect(keychain.attempts).toBe(2);
  });
});
