// `npm start` always ends in a running app: the desktop window where Electron can open one, else
// the headless host (`autobot serve`) in the browser, after one plain sentence saying why and how
// to get the desktop app. Never Electron's installer: require('electron') would try to download a
// missing binary and end in a stack trace (scripts/electron-binary.ts).
//
// Arguments after `npm start --` go to `autobot serve` (e.g. `--port 0 --data-dir DIR`).
// AUTOBOT_START_SKIP_BUILD=1 skips `npm run build` (the test suite has built already).
// Ctrl-C stops the app: the child runs in its own process group, so it gets exactly one signal,
// from here, and shuts down cleanly (a second SIGINT would cut serve's shutdown short).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { findElectronBinary, hasDesktop, isDisplayError } from './electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..');
const serveArgs = process.argv.slice(2);
/** Electron ending with an error this soon after it started failed to open its window. */
const startupWindowMs = 5000;
// Windows gives a detached child its own console window; there Ctrl-C reaches every process anyway.
const ownGroup = process.platform !== 'win32';

const noDisplayReason = 'Electron found no display it could open';

let child: ChildProcess | null = null;
let stopping = false;

function alive(running: ChildProcess | null): running is ChildProcess {
  return running !== null && running.exitCode === null && running.signalCode === null;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    if (alive(child)) child.kill(signal);
    else process.exit(130);
  });
}
// However this process ends, it does not leave the app running behind it.
process.on('exit', () => {
  if (alive(child)) child.kill('SIGTERM');
});

function build(): void {
  if (process.env.AUTOBOT_START_SKIP_BUILD === '1') return;
  // Under `npm start`, npm_execpath is npm's own script: the same npm, on every OS, without a shell.
  const npm = process.env.npm_execpath;
  const result = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Ends as the child ended: its exit code, or 128 + the signal's number, as a shell reports it. */
function exitWith(code: number | null, signal: NodeJS.Signals | null): never {
  process.exit(code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1));
}

/**
 * Runs Electron on the built app. Resolves with the reason when it cannot show its window: it ends
 * with a display error (whenever that comes), or with any other error while it is still starting.
 * Otherwise this process ends when Electron does, with its exit code.
 */
function runElectron(binary: string): Promise<string> {
  return new Promise((resolve) => {
    const electron = spawn(binary, ['.'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'pipe'],
      detached: ownGroup,
    });
    child = electron;
    // Held back while Electron starts (null once released): if it cannot open a window, the
    // sentence explains instead of Chromium's log lines.
    let held: string | null = '';
    // The end of everything Electron wrote, to recognise a display error whenever it comes.
    let recent = '';
    const release = () => {
      if (held) process.stderr.write(held);
      held = null;
    };
    const releaseTimer = setTimeout(release, startupWindowMs);
    releaseTimer.unref();
    electron.stderr!.on('data', (chunk: Buffer) => {
      recent = (recent + chunk.toString()).slice(-8192);
      if (held === null) process.stderr.write(chunk);
      else held += chunk.toString();
    });
    electron.on('error', (error) => {
      clearTimeout(releaseTimer);
      resolve(`Electron could not be started (${error.message})`);
    });
    electron.on('exit', (code, signal) => {
      clearTimeout(releaseTimer);
      if (code !== 0 && !stopping) {
        if (isDisplayError(recent)) return resolve(noDisplayReason);
        if (held !== null) {
          const firstLine = held.split('\n').find((line) => line.trim() !== '');
          return resolve(
            `Electron stopped as it started (${firstLine?.trim() ?? `exit code ${code ?? signal}`})`,
          );
        }
      }
      release();
      exitWith(code, signal);
    });
  });
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const opener = spawn(command, args, { stdio: 'ignore', detached: true });
  // No opener installed: the URL is printed above, the user opens it.
  opener.on('error', () => {});
  opener.unref();
}

/** The headless host, its output passed through; the browser opens on it when `browser` says so. */
function runServe(browser: boolean): void {
  const serve = spawn(process.execPath, [path.join(root, 'bin', 'autobot.js'), 'serve', ...serveArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: ownGroup,
  });
  child = serve;
  let listening: string | null = null;
  let loginLink: string | null = null;
  let opened = !browser;
  const open = () => {
    if (opened || listening === null) return;
    opened = true;
    openBrowser(loginLink ?? listening);
  };
  const lines = createInterface({ input: serve.stdout! });
  lines.on('line', (line) => {
    console.log(line);
    // serve prints `AUTOBOT listening on <url>`, maybe a one-time login link, then `data dir: …`.
    const url = /\bhttps?:\/\/\S+/.exec(line)?.[0];
    if (line.startsWith('AUTOBOT listening on ') && url) listening = url;
    else if (listening !== null && url && /login|link|once/i.test(line)) loginLink ??= url;
    if (loginLink !== null || line.startsWith('data dir:')) open();
  });
  lines.on('close', open);
  serve.on('exit', exitWith);
}

/** The one sentence: why there is no desktop window, and what to do to get one. */
function fallbackSentence(why: string, fix: string): string {
  return `The desktop window can't open here because ${why}, so AUTOBOT starts in your browser instead; to get the desktop app, ${fix}.`;
}

build();
const electron = findElectronBinary();
let why: string;
let fix = 'run `npm start` from a desktop session';
if ('missing' in electron) {
  why = electron.missing;
  fix = electron.fix;
} else if (!hasDesktop()) {
  why = 'there is no display to draw on (neither DISPLAY nor WAYLAND_DISPLAY is set)';
} else {
  why = await runElectron(electron.binary);
  if (why !== noDisplayReason)
    fix =
      'fix what Electron reported (run the app with `npx electron .` to see all of it), then `npm start` again';
}
console.log(fallbackSentence(why, fix));
// A browser window can open where a desktop is, unless Electron just found that there is none.
runServe(hasDesktop() && why !== noDisplayReason);
