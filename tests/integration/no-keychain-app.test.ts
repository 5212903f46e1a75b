// The core with a keychain that does not answer, as every host starts it (Electron main and
// `autobot serve` call createApp the same way): it starts, says why once, answers every call that
// needs no secret, and the calls that need one fail with keychain_unavailable and the fix.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../core/app/app.ts';
import { keychainUnavailableError } from '../../core/secrets/keychain-unavailable.ts';
import type { SecretStore } from '../../core/secrets/secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

/** Fails exactly as KeychainSecretStore does on Linux with no session bus (message recorded there). */
const noSessionBus =
  'Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead';
const missingKeychain: SecretStore = {
  get: async (name) => {
    throw keychainUnavailableError('read', name, noSessionBus, 'linux');
  },
  set: async (name) => {
    throw keychainUnavailableError('save', name, noSessionBus, 'linux');
  },
  delete: async (name) => {
    throw keychainUnavailableError('delete', name, noSessionBus, 'linux');
  },
  list: async () => {
    throw keychainUnavailableError('list', '*', noSessionBus, 'linux');
  },
};

describe('an app started with no keychain', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let app: App;
  let logged: string[];

  beforeEach(() => {
    temp = makeTempDir();
    logged = [];
    app = createApp({
      dataDir: temp.dir,
      host: 'test',
      secretStore: missingKeychain,
      checkOutputs: true,
      log: (message) => logged.push(message),
    });
  });
  afterEach(() => {
    app.close();
    temp.cleanup();
  });

  it('starts and says once, in the log, what is missing and how to fix it', async () => {
    const status = await app.secretsStatus();
    expect(status.available).toBe(false);
    expect(logged).toEqual([expect.stringContaining('The system keychain is not available')]);
    expect(logged[0]).toContain('gnome-keyring');
  });

  it('answers secrets.status with the cause and the fix, without a licence', async () => {
    const result = await app.dispatch('secrets.status', {});
    expect(result).toEqual({
      ok: true,
      value: {
        backend: 'keychain',
        available: false,
        message: expect.stringMatching(/^The system keychain is not available: no D-Bus session bus/),
        fix: expect.stringContaining('--secrets-dir'),
      },
    });
  });

  it('answers the calls that need no secret', async () => {
    expect(await app.dispatch('app.info', {})).toMatchObject({ ok: true });
    expect(await app.dispatch('candles.list', {})).toEqual({ ok: true, value: { series: [] } });
    const license = await app.dispatch('license.status', {});
    expect(license).toMatchObject({ ok: true, value: { state: 'none' } });
  });

  it('refuses to keep a secret with keychain_unavailable: no silent plaintext fallback', async () => {
    const saved = await app.dispatch('license.install', { key: 'AUTOBOT1.x.y' });
    expect(saved.ok).toBe(false);
    const vault = await app.dispatch('vault.save', { provider: 'binance', key: 'k', secret: 's' });
    expect(vault).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } });
    expect(!vault.ok && vault.error.message).toContain('The system keychain is not available');
  });
});
