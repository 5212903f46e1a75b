import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * ../shared/data holds real market data on the build machines; a user's clone has no ../shared.
 * AUTOBOT_SHARED_DATA points elsewhere (a git worktree nested deeper than the main checkout).
 */
export const sharedDataDir =
  process.env.AUTOBOT_SHARED_DATA ?? path.resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data');

export function sharedDataFile(name: string): string | null {
  const file = path.join(sharedDataDir, name);
  if (existsSync(file)) return file;
  if (process.env.CI) throw new Error(`${file} is missing: CI must have ../shared/data.`);
  return null;
}

export const sharedDataSkipReason = `needs ${sharedDataDir} (real market data, present on the build machines only)`;
