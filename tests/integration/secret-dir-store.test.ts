// The operator's secrets directory (--secrets-dir) on a real file system: files 0600, written
// atomically, and anything other users could read refused with the file named and the fix.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileDirSecretStore, secretFileName } from '../../core/secrets/secret-dir-store.ts';
import { ApiKeyVault } from '../../core/secrets/api-key-vault.ts';
import { probeSecrets } from '../../core/secrets/secrets-status.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const mode = (file: string) => statSync(file).mode & 0o777;

// File modes mean nothing on Windows, where the store refuses to open (tested below on every OS).
describe.skipIf(process.platform === 'win32')('FileDirSecretStore', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dir: string;

  beforeEach(() => {
    temp = makeTempDir('autobot-secrets-');
    dir = path.join(temp.dir, 'secrets');
    mkdirSync(dir, { mode: 0o700 });
    chmodSync(dir, 0o700);
  });
  afterEach(() => temp.cleanup());

  it('stores each secret in its own 0600 file and reads it back in another process', async () => {
    const store = FileDirSecretStore.open(dir);
    expect(await store.get('license.key')).toBeNull();
    await store.set('license.key', 'AUTOBOT1.payload.signature');
    await store.set('vault.binance', '{"key":"k","secret":"ünïcode-🔑"}');

    const file = path.join(dir, 'license.key');
    expect(mode(file)).toBe(0o600);
    expect(mode(path.join(dir, 'vault.binance'))).toBe(0o600);

    const script = `import { FileDirSecretStore } from ${JSON.stringify(path.resolve('core/secrets/secret-dir-store.ts'))};
      console.log(await FileDirSecretStore.open(${JSON.stringify(dir)}).get('vault.binance'));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('{"key":"k","secret":"ünïcode-🔑"}');
  });

  it('creates files 0600 whatever the umask', async () => {
    const script = `process.umask(0o277);
      import(${JSON.stringify(path.resolve('core/secrets/secret-dir-store.ts'))}).then(async ({ FileDirSecretStore }) => {
        await FileDirSecretStore.open(${JSON.stringify(dir)}).set('license.key', 'v');
      });`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(mode(path.join(dir, 'license.key'))).toBe(0o600);
  });

  it('replaces a secret atomically: the new value, still 0600, and no temporary file left', async () => {
    const store = FileDirSecretStore.open(dir);
    await store.set('license.key', 'old');
    const file = path.join(dir, 'license.key');
    const before = statSync(file).ino;
    await store.set('license.key', 'new');
    expect(await store.get('license.key')).toBe('new');
    expect(mode(file)).toBe(0o600);
    // A rename put a new file in place (readers saw either the old file or the new one, whole).
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(dir)).toEqual(['license.key']);
  });

  it('lists and deletes secrets by name, encoding names that are not safe file names', async () => {
    const store = FileDirSecretStore.open(dir);
    await store.set('vault.kraken', 'a');
    await store.set('oauth/ctrader:live@me', 'b');
    expect(readdirSync(dir).sort()).toEqual(['oauth%2Fctrader%3Alive%40me', 'vault.kraken']);
    expect(secretFileName('oauth/ctrader:live@me')).toBe('oauth%2Fctrader%3Alive%40me');
    expect(await store.list()).toEqual(['oauth/ctrader:live@me', 'vault.kraken']);
    expect(await store.get('oauth/ctrader:live@me')).toBe('b');

    expect(await store.delete('vault.kraken')).toBe(true);
    expect(await store.delete('vault.kraken')).toBe(false);
    expect(await store.list()).toEqual(['oauth/ctrader:live@me']);
  });

  it('ignores dot files and folders (temporary files, Kubernetes ..data links) when listing', async () => {
    const store = FileDirSecretStore.open(dir);
    mkdirSync(path.join(dir, '..2026_12_01'), { mode: 0o700 });
    writeFileSync(path.join(dir, '..2026_12_01', 'license.key'), 'mounted', { mode: 0o600 });
    symlinkSync('..2026_12_01', path.join(dir, '..data'));
    // Kubernetes' layout: each key is a link into the current ..data folder.
    symlinkSync(path.join('..data', 'license.key'), path.join(dir, 'license.key'));
    writeFileSync(path.join(dir, '.half-written.tmp'), 'x', { mode: 0o600 });
    expect(await store.list()).toEqual(['license.key']);
    expect(await store.get('license.key')).toBe('mounted');
  });

  it.each([0o640, 0o644, 0o604, 0o660])(
    'refuses to read a secret file of mode %o, naming the file and the fix',
    async (fileMode) => {
      const store = FileDirSecretStore.open(dir);
      await store.set('vault.binance', '{"key":"k","secret":"s"}');
      const file = path.join(dir, 'vault.binance');
      chmodSync(file, fileMode);
      const refusal = { code: 'secrets_dir_refused', message: expect.stringContaining(file) };
      await expect(store.get('vault.binance')).rejects.toMatchObject(refusal);
      await expect(store.get('vault.binance')).rejects.toThrow(`chmod 600 ${file}`);
      // The vault's list reads every key: the user sees the same refusal, not a silently shorter list.
      await expect(new ApiKeyVault(store).list()).rejects.toMatchObject(refusal);
    },
  );

  it('refuses to start on a directory holding a file other users can read', () => {
    const file = path.join(dir, 'license.key');
    writeFileSync(file, 'AUTOBOT1.x.y', { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => FileDirSecretStore.open(dir)).toThrow(`chmod 600 ${file}`);
  });

  it('accepts an owner-only read-only file (0400), as Docker secrets are mounted', async () => {
    writeFileSync(path.join(dir, 'license.key'), 'AUTOBOT1.x.y', { mode: 0o400 });
    chmodSync(path.join(dir, 'license.key'), 0o400);
    expect(await FileDirSecretStore.open(dir).get('license.key')).toBe('AUTOBOT1.x.y');
  });

  it.each([0o755, 0o750, 0o701, 0o777])('refuses a directory of mode %o with the fix', (dirMode) => {
    chmodSync(dir, dirMode);
    expect(() => FileDirSecretStore.open(dir)).toThrow(`chmod 700 ${dir}`);
    expect(() => FileDirSecretStore.open(dir)).toThrow(
      expect.objectContaining({ code: 'secrets_dir_refused' }),
    );
  });

  it('notices a directory opened to others after start, on the next operation', async () => {
    const store = FileDirSecretStore.open(dir);
    chmodSync(dir, 0o755);
    await expect(store.set('license.key', 'v')).rejects.toThrow(`chmod 700 ${dir}`);
    expect(readdirSync(dir)).toEqual([]);
    const status = await probeSecrets(store, { backend: 'directory', directory: dir });
    expect(status).toMatchObject({ available: false, backend: 'directory' });
    expect(status.message).toContain(dir);
    expect(status.fix).toBe(`Make it private to the user running AUTOBOT: chmod 700 ${dir}`);
  });

  it('refuses a directory that does not exist rather than starting an empty store', () => {
    const missing = path.join(temp.dir, 'typo');
    expect(() => FileDirSecretStore.open(missing)).toThrow(`mkdir -m 700 ${missing}`);
  });

  it('reports a usable directory as available, naming it', async () => {
    const store = FileDirSecretStore.open(dir);
    const status = await probeSecrets(store, { backend: 'directory', directory: store.directory });
    expect(status).toMatchObject({ backend: 'directory', available: true, directory: dir });
    expect(readdirSync(dir)).toEqual([]); // probing wrote nothing
  });
});

describe.skipIf(process.platform === 'win32')('autobot serve --secrets-dir', () => {
  it('refuses to start on a directory other users can read, printing the fix', () => {
    const temp = makeTempDir('autobot-secrets-');
    try {
      const dir = path.join(temp.dir, 'secrets');
      mkdirSync(dir);
      chmodSync(dir, 0o755);
      const serve = spawnSync(
        process.execPath,
        [
          'bin/autobot.js',
          'serve',
          '--port',
          '0',
          '--data-dir',
          path.join(temp.dir, 'data'),
          '--secrets-dir',
          dir,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(serve.status).toBe(1);
      expect(serve.stdout).not.toContain('listening');
      expect(serve.stderr).toContain(`The secrets directory ${dir} is open to other users (mode 0755)`);
      expect(serve.stderr).toContain(`chmod 700 ${dir}`);
    } finally {
      temp.cleanup();
    }
  });
});

describe('FileDirSecretStore on Windows', () => {
  it('refuses to open: there are no file modes to keep the files private', () => {
    expect(() => FileDirSecretStore.open('C:\\secrets', 'win32')).toThrow(/Credential Manager/);
  });
});
