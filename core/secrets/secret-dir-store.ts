// Secrets as files in a directory the operator chose (`autobot serve --secrets-dir DIR`): the way
// Docker and Kubernetes hand secrets to a container, for servers where no desktop keychain exists.
// Never a fallback: only an explicit flag selects it. One file per secret, its content the value
// byte for byte; files are created 0600 and atomically (temp file + rename), and a file or the
// directory that other users could read is refused with the path and the fix. docs/secrets.md.
import { randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { AutobotError } from '../contract/errors.ts';
import { assertSecretName, type SecretStore } from './secret-store.ts';

/** File names keep these characters as they are; any other is written %XX (so "a/b" is "a%2Fb"). */
const plainCharacter = /[A-Za-z0-9._-]/;
/** Most file systems allow 255 bytes per name. */
const maxFileNameLength = 255;

export function secretFileName(name: string): string {
  assertSecretName(name);
  let encoded = '';
  for (const character of name) {
    encoded += plainCharacter.test(character)
      ? character
      : `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (encoded.length > maxFileNameLength) {
    throw new AutobotError(
      'invalid_input',
      `The secret name "${name}" is too long for a file name in the secrets directory.`,
      { issues: [{ path: 'name', message: 'too long for a file name' }] },
    );
  }
  return encoded;
}

/** The secret name a file holds, or null for a file that is not one of ours (dot files, other names). */
export function secretNameOfFile(fileName: string): string | null {
  if (fileName.startsWith('.')) return null; // our temp files, Kubernetes' ..data links
  let name: string;
  try {
    name = decodeURIComponent(fileName);
  } catch {
    return null;
  }
  try {
    // Only the canonical spelling counts, so two files can never claim the same secret.
    return secretFileName(name) === fileName ? name : null;
  } catch {
    return null;
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

function refused(message: string, fix: string, file: string): AutobotError {
  return new AutobotError('secrets_dir_refused', `${message} ${fix}`, { detail: { file, fix } });
}

function fileTooOpen(file: string, mode: number): AutobotError {
  return refused(
    `The secret file ${file} is open to other users (mode ${octal(mode)}); AUTOBOT refuses to use it.`,
    `Make it private to the user running AUTOBOT: chmod 600 ${file}`,
    file,
  );
}

function ioError(action: string, file: string, error: unknown): AutobotError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EROFS') {
    return refused(
      `Could not ${action} ${file}: the secrets directory is read-only (a mounted Docker or Kubernetes secret?).`,
      'Put the secret into the mounted secret itself, or mount a writable directory (docs/secrets.md).',
      file,
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return refused(
      `Could not ${action} ${file}: permission denied.`,
      'Run AUTOBOT as the user that owns the secrets directory and its files.',
      file,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return refused(`Could not ${action} ${file}: ${reason}.`, 'Check the secrets directory.', file);
}

/**
 * Checks the directory the operator named: it must exist (a mistyped path must not silently start
 * an empty store), be a directory, and be closed to other users. Synchronous, for use at start.
 */
function checkDirectory(directory: string, platform: NodeJS.Platform): void {
  if (platform === 'win32') {
    throw refused(
      `--secrets-dir ${directory}: Windows has no file modes to keep secret files private.`,
      'On Windows AUTOBOT keeps secrets in Credential Manager; leave --secrets-dir out.',
      directory,
    );
  }
  let info;
  try {
    info = statSync(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw refused(
        `The secrets directory ${directory} does not exist.`,
        `Create it readable by the user running AUTOBOT only: mkdir -m 700 ${directory}`,
        directory,
      );
    }
    throw ioError('open', directory, error);
  }
  if (!info.isDirectory()) {
    throw refused(
      `--secrets-dir ${directory} is not a directory.`,
      'Name a directory holding one file per secret.',
      directory,
    );
  }
  if ((info.mode & 0o077) !== 0) {
    throw refused(
      `The secrets directory ${directory} is open to other users (mode ${octal(info.mode)}); AUTOBOT refuses to use it.`,
      `Make it private to the user running AUTOBOT: chmod 700 ${directory}`,
      directory,
    );
  }
}

export class FileDirSecretStore implements SecretStore {
  readonly directory: string;
  readonly #platform: NodeJS.Platform;

  private constructor(directory: string, platform: NodeJS.Platform) {
    this.directory = directory;
    this.#platform = platform;
  }

  /**
   * Opens the operator's directory, refusing at once (so `autobot serve` does not start) if it or
   * any secret file in it is open to other users.
   */
  static open(directory: string, platform: NodeJS.Platform = process.platform): FileDirSecretStore {
    const resolved = path.resolve(directory);
    checkDirectory(resolved, platform);
    let entries: string[];
    try {
      entries = readdirSync(resolved);
    } catch (error) {
      throw ioError('list', resolved, error);
    }
    for (const entry of entries) {
      if (secretNameOfFile(entry) === null) continue;
      const file = path.join(resolved, entry);
      const info = statSync(file, { throwIfNoEntry: false }); // a dangling link holds no secret
      if (info?.isFile() && (info.mode & 0o077) !== 0) throw fileTooOpen(file, info.mode);
    }
    return new FileDirSecretStore(resolved, platform);
  }

  async get(name: string): Promise<string | null> {
    const file = this.#file(name);
    let handle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw ioError('read', file, error);
    }
    try {
      // The mode of the file actually opened (symlinks followed, as Kubernetes mounts them), not of a path
      // that could be swapped between a check and the read.
      const info = await handle.stat();
      if (!info.isFile())
        throw refused(`${file} is not a file.`, 'Remove it from the secrets directory.', file);
      if ((info.mode & 0o077) !== 0) throw fileTooOpen(file, info.mode);
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }

  async set(name: string, value: string): Promise<void> {
    const file = this.#file(name);
    const temporary = path.join(this.directory, `.${randomUUID()}.tmp`);
    try {
      // Created 0600 (exclusive, so nothing else's file is reused), filled and flushed, then renamed
      // over the old one: a reader sees the old secret or the new one, never half of either.
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.chmod(0o600); // whatever the umask took away
        await handle.writeFile(value, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw ioError('save', file, error);
    }
    await this.#syncDirectory();
  }

  async delete(name: string): Promise<boolean> {
    const file = this.#file(name);
    try {
      await unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw ioError('delete', file, error);
    }
    await this.#syncDirectory();
    return true;
  }

  async list(): Promise<string[]> {
    this.#checkDirectory();
    let entries: string[];
    try {
      entries = await readdir(this.directory);
    } catch (error) {
      throw ioError('list', this.directory, error);
    }
    const names: string[] = [];
    for (const entry of entries) {
      const name = secretNameOfFile(entry);
      if (name === null) continue;
      const info = await stat(path.join(this.directory, entry)).catch(() => null);
      if (info?.isFile()) names.push(name);
    }
    return names.sort();
  }

  /** The directory is checked on every operation: a chmod after start must not go unnoticed. */
  #file(name: string): string {
    const fileName = secretFileName(name);
    this.#checkDirectory();
    return path.join(this.directory, fileName);
  }

  #checkDirectory(): void {
    checkDirectory(this.directory, this.#platform);
  }

  /** A rename or unlink is durable only once the directory itself is flushed. */
  async #syncDirectory(): Promise<void> {
    try {
      const handle = await open(this.directory, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch {
      // Some file systems refuse to sync a directory; the rename itself has still happened.
    }
  }
}
