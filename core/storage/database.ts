// The journal of record: one SQLite file in WAL mode, migrated to the latest schema before use.
import BetterSqlite3 from 'better-sqlite3';
import { migrations as defaultMigrations, type Migration } from './migrations.ts';
import { ownerOnlyFile, ownerOnlyIfPresent } from './owner-only.ts';

export type Database = BetterSqlite3.Database;

export function openDatabase(file: string, migrations: readonly Migration[] = defaultMigrations): Database {
  // SQLite gives the -wal and -shm files the database file's mode, so 0600 first covers all three.
  const onDisk = file !== ':memory:' && file !== '';
  if (onDisk) ownerOnlyFile(file);
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    if (onDisk) for (const suffix of ['-wal', '-shm']) ownerOnlyIfPresent(file + suffix);
    // NORMAL is durable in WAL mode against application crashes; a power cut can lose the last
    // transactions but never corrupts the file. FULL is the choice for order state (see docs/storage.md).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Database, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The database is at schema version ${current}, newer than this AUTOBOT understands (${latest}). Update the app.`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
