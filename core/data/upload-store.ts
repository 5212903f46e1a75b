// Files a client streams to the headless host before a call uses them (a 200 MB CSV must never
// become one JSON string). Each upload is a file in <data dir>/uploads named by a random id; the
// call that consumes it refers to the id, never to a path, so a client cannot name other files.
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AutobotError } from '../domain/autobot-error.ts';

/** Largest upload accepted: well above any CSV a desktop user has, and enforced while streaming. */
export const maxUploadBytes = 4 * 1024 ** 3;
/** Uploads nobody imported are removed after a day. */
const staleAfterMs = 24 * 3600 * 1000;
const uploadIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface StoredUpload {
  upload: string;
  bytes: number;
}

export class UploadStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'uploads');
  }

  /** Streams `body` to a new upload; refuses (and deletes) it as soon as it passes `maxBytes`. */
  async receive(body: Readable, maxBytes = maxUploadBytes): Promise<StoredUpload> {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.sweep();
    const upload = randomUUID();
    const partial = path.join(this.dir, `${upload}.part`);
    const out = createWriteStream(partial, { mode: 0o600 });
    let bytes = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        if (bytes > maxBytes) throw tooLarge(maxBytes);
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      out.destroy();
      rmSync(partial, { force: true });
      throw error;
    }
    renameSync(partial, this.fileOf(upload));
    return { upload, bytes };
  }

  /** The file of an upload, or not_found naming the field. */
  pathOf(upload: string): string {
    const file = uploadIdPattern.test(upload) ? this.fileOf(upload) : null;
    if (!file || !existsSync(file)) {
      throw new AutobotError('not_found', `There is no upload "${upload}" (uploads are kept for a day).`, {
        issues: [{ path: 'upload', message: 'no such upload' }],
      });
    }
    return file;
  }

  /** Deletes an upload without blocking the caller's thread (unlinking a large file can take a while). */
  async remove(upload: string): Promise<void> {
    if (uploadIdPattern.test(upload)) await rm(this.fileOf(upload), { force: true });
  }

  /** Removes uploads (and half-received ones) older than a day. */
  sweep(now = Date.now()): void {
    if (!existsSync(this.dir)) return;
    for (const name of readdirSync(this.dir)) {
      const file = path.join(this.dir, name);
      try {
        if (now - statSync(file).mtimeMs > staleAfterMs) rmSync(file, { force: true });
      } catch {
        // Removed by another sweep in the meantime: nothing to do.
      }
    }
  }

  /** Writes a string as an upload (an inline CSV too large to parse on the host's thread). */
  async fromText(text: string): Promise<StoredUpload> {
    const { Readable } = await import('node:stream');
    return this.receive(Readable.from([Buffer.from(text)]));
  }

  fileOf(upload: string): string {
    return path.join(this.dir, `${upload}.csv`);
  }
}

export function tooLarge(maxBytes: number): AutobotError {
  const message = `The upload is larger than ${Math.round(maxBytes / 1024 ** 2).toLocaleString('en-US')} MiB.`;
  return new AutobotError('payload_too_large', message, { issues: [{ path: '', message }] });
}
