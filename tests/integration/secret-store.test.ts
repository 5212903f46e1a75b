// Runs against the real OS keychain: under `npm test` that is a throwaway gnome-keyring on its own
// D-Bus session (scripts/with-keyring.ts), never an in-memory fake.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../core/secrets/secret-store.ts';
import { canStartBareSessionBus, startBareSessionBus } from '../support/bare-session-bus.ts';

const service = `autobot-test-${randomUUID()}`;
const store = new KeychainSecretStore(service);
const keychainReachable = process.platform !== 'linux' || Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
if (!keychainReachable && process.env.CI) {
  throw new Error(
    'CI must run the keychain tests against a real Secret Service: run them through scripts/with-keyring.ts.',
  );
}

afterAll(async () => {
  if (!keychainReachable) return;
  for (const name of await store.list()) await store.delete(name);
});

// Skipped only without a D-Bus session (plain `npx vitest` outside scripts/with-keyring.ts, which
// starts gnome-keyring); in CI, tests/integration/secret-store.test.ts fails instead of skipping.
describe.skipIf(!keychainReachable)('KeychainSecretStore against the real OS keychain', () => {
  it('sets, gets, overwrites and deletes a secret', async () => {
    expect(await store.get('exchange.binance.secret')).toBeNull();
    await store.set('exchange.binance.secret', 's3cr3t-ünïcode-🔑');
    expect(await store.get('exchange.binance.secret')).toBe('s3cr3t-ünïcode-🔑');
    await store.set('exchange.binance.secret', 'rotated');
    expect(await store.get('exchange.binance.secret')).toBe('rotated');
    expect(await store.list()).toEqual(['exchange.binance.secret']);
    expect(await store.delete('exchange.binance.secret')).toBe(true);
    expect(await store.get('exchange.binance.secret')).toBeNull();
    expect(await store.delete('exchange.binance.secret')).toBe(false);
  });

  it('keeps a secret for another process (it is in the keychain, not in memory)', async () => {
    await store.set('license', 'AUTOBOT1.payload.signature');
    const script = `import { KeychainSecretStore } from ${JSON.stringify(path.resolve('core/secrets/secret-store.ts'))};
      console.log(await new KeychainSecretStore(${JSON.stringify(service)}).get('license'));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('AUTOBOT1.payload.signature');
  });

  it('keeps secrets of different services apart', async () => {
    const other = new KeychainSecretStore(`${service}-other`);
    await store.set('shared-name', 'mine');
    expect(await other.get('shared-name')).toBeNull();
  });

  it('refuses names that could collide or smuggle in separators', async () => {
    await expect(store.set('', 'x')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(store.set('a b', 'x')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

// Linux only: the test removes the keychain by starting Node without a D-Bus session address,
// which is how Linux finds the Secret Service; macOS and Windows keychains cannot be hidden that way.
describe.skipIf(process.platform !== 'linux')('with no keychain reachable', () => {
  it('fails with keychain_unavailable and a clear message, never falling back to a file', () => {
    const script = `import { KeychainSecretStore } from ${JSON.stringify(path.resolve('core/secrets/secret-store.ts'))};
      try { await new KeychainSecretStore('autobot-nokeychain').set('k', 'v'); console.log('STORED'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/autobot-bus',
      },
    });
    const outcome = JSON.parse(child.stdout.trim()) as { code: string; message: string };
    expect(outcome.code).toBe('keychain_unavailable');
    expect(outcome.message).toMatch(/Could not save secret "k" in the OS keychain/);
    expect(outcome.message).toMatch(/The system keychain is not available: no D-Bus session bus/);
    expect(outcome.message).toMatch(/only in the keychain/);
  });
});

// A server or container with D-Bus but no desktop keychain: a session bus with nothing on it.
const bareBusSkipReason = 'needs Linux with dbus-daemon (a session bus without a Secret Service)';
if (!canStartBareSessionBus() && process.platform === 'linux' && process.env.CI) {
  throw new Error(`CI must run the no-Secret-Service tests: ${bareBusSkipReason}`);
}
describe.skipIf(!canStartBareSessionBus())('on a session bus without a Secret Service', () => {
  it('says what is missing and how to fix it, in the error and in the start-up probe', async () => {
    const bus = await startBareSessionBus();
    try {
      const modules = {
        store: path.resolve('core/secrets/secret-store.ts'),
        status: path.resolve('core/secrets/secrets-status.ts'),
      };
      const script = `import { KeychainSecretStore } from ${JSON.stringify(modules.store)};
        import { probeSecrets } from ${JSON.stringify(modules.status)};
        const store = new KeychainSecretStore('autobot-bare-bus');
        const status = await probeSecrets(store, { backend: 'keychain' });
        let error = null;
        try { await store.set('vault.binance', 'v'); } catch (e) { error = { code: e.code, message: e.message }; }
        console.log(JSON.stringify({ status, error }));`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DBUS_SESSION_BUS_ADDRESS: bus.address },
      });
      const outcome = JSON.parse(child.stdout.trim()) as {
        status: { available: boolean; message: string; fix: string };
        error: { code: string; message: string };
      };
      expect(outcome.status.available).toBe(false);
      expect(outcome.status.message).toBe(
        'The system keychain is not available: nothing on the D-Bus session bus provides the Secret Service (GNOME Keyring or KWallet is not running).',
      );
      expect(outcome.status.fix).toContain('--secrets-dir');
      expect(outcome.error.code).toBe('keychain_unavailable');
      expect(outcome.error.message).toContain('Could not save secret "vault.binance"');
      expect(outcome.error.message).toContain('GNOME Keyring or KWallet is not running');
    } finally {
      await bus.stop();
    }
  });
});
