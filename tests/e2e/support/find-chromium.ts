// Which Chromium the end-to-end suite drives: $AUTOBOT_CHROMIUM, then Debian's /usr/bin/chromium,
// then one Playwright installed. Never downloads one (the build machines are offline).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export interface ChromiumLookup {
  executablePath: string | null;
  tried: string[];
}

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const candidates = [env.AUTOBOT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core throws when it has no browser of its own: nothing to add.
  }
  const tried = candidates.filter((candidate): candidate is string => Boolean(candidate));
  return { executablePath: tried.find((candidate) => existsSync(candidate)) ?? null, tried };
}
