// The data folder and the journal hold trades, balances and run history: readable by their owner
// only, whatever the umask, for every host (Electron, `autobot serve` and the CLI share createApp).
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp, databaseFileName } from '../../core/app/app.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir();
afterAll(() => temp.cleanup());

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('data folder permissions', () => {
  it.each([
    ['a new data folder', (dir: string) => dir],
    [
      'an existing world-readable folder',
      (dir: string) => {
        mkdirSync(dir, { recursive: true });
        chmodSync(dir, 0o755);
        return dir;
      },
    ],
  ])('%s becomes 0700 and the database, its WAL and shared memory 0600', (_name, prepare) => {
    const dir = prepare(path.join(temp.dir, String(Math.random()).slice(2)));
    const app = createApp({
      dataDir: dir,
      host: 'test',
      secretStore: new MemorySecretStore(),
      log: () => {},
    });
    try {
      app.db.exec('CREATE TABLE IF NOT EXISTS probe (x); INSERT INTO probe VALUES (1);');
      expect(modeOf(dir)).toBe(0o700);
      for (const suffix of ['', '-wal', '-shm'])
        expect(modeOf(path.join(dir, databaseFileName + suffix)), suffix || 'db').toBe(0o600);
    } finally {
      app.close();
    }
  });
});
