// The data folder and the journal hold trades, balances and run history: only the user who runs
// AUTOBOT may read them. Modes are set with chmod after creation, so a permissive umask cannot
// widen them. (On Windows chmod only toggles read-only; the profile folder's ACL protects the data.)
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * Creates `dir` if needed and makes it 0700. False where the file system refuses modes (a folder
 * of another owner, a FAT or SMB mount): the caller says so rather than refusing to start.
 */
export function ownerOnlyDir(dir: string): boolean {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return false;
    throw error;
  }
}

/** Creates `file` empty if needed and makes it 0600. */
export function ownerOnlyFile(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

/** Makes `file` 0600 if it exists (SQLite's -wal and -shm come and go). */
export function ownerOnlyIfPresent(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
