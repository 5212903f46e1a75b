// Where the Electron binary is, found the way node_modules/electron/index.js finds it — path.txt
// names it inside dist/, or inside ELECTRON_OVERRIDE_DIST_PATH — but without require('electron'),
// which starts a download when the binary is missing and throws a stack trace when that fails.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The binary, or why there is none and what gets it (the end of a sentence, for people). */
export type ElectronBinary = { binary: string } | { missing: string; fix: string };

const downloadFailed = {
  missing: 'the Electron binary is missing (its download failed or never ran)',
  fix: 'run `npx install-electron` with internet access, then `npm start` again',
};

export function findElectronBinary(
  env: NodeJS.ProcessEnv = process.env,
  from: string = import.meta.url,
): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return {
      missing: 'the electron package is not installed',
      fix: 'run `npm install` with internet access, then `npm start` again',
    };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  const named = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  let binary: string;
  if (env.ELECTRON_OVERRIDE_DIST_PATH)
    binary = path.join(env.ELECTRON_OVERRIDE_DIST_PATH, named || 'electron');
  else if (named) binary = path.join(packageDir, 'dist', named);
  else return downloadFailed;
  if (!existsSync(binary)) return downloadFailed;
  return { binary };
}

/**
 * Whether windows can open here: always on macOS and Windows; on Linux (and the BSDs) only with an
 * X11 or Wayland display to draw on (not over plain SSH, in a container or on CI).
 */
export function hasDesktop(env: NodeJS.ProcessEnv = process.env, platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Electron's own words when it finds no display it can draw on (X11 or Wayland). */
export function isDisplayError(stderr: string): boolean {
  return /Missing X server|\$DISPLAY|cannot open display|Failed to connect to Wayland|platform failed to initiali[sz]e/i.test(
    stderr,
  );
}
