// `npm start` always ends in a running app (issue #10): where Electron cannot open a window — its
// binary is missing, there is no display, or it stops at once for lack of one — the start script
// says so in one plain sentence and serves the app in the browser instead. Each test runs the real
// scripts/start.mjs (the build step skipped: the suite runs after `npm run build`) with a fresh data
// folder and a free port, waits for the URL it prints, and asks that URL for the app.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Started {
  child: ChildProcess;
  url: string;
  /** stdout before serve's own first line: what the start script itself said. */
  said: string[];
  stdout: () => string;
  stderr: () => string;
}

/** Runs the start script and resolves once it printed the URL it serves on. */
async function start(env: NodeJS.ProcessEnv): Promise<Started> {
  const data = makeTempDir('autobot-start-');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, AUTOBOT_START_SKIP_BUILD: '1', ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete childEnv[name];
  const child = spawn(
    process.execPath,
    [
      'scripts/start.mjs',
      '--port',
      '0',
      '--data-dir',
      data.dir,
      '--keychain-service',
      `autobot-test-${randomUUID()}`,
    ],
    { cwd: root, env: childEnv },
  );
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    // SIGTERM reaches serve through the start script, which ends as serve does: cleanly.
    expect(await exited).toEqual({ code: 0, signal: null });
    data.cleanup();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /AUTOBOT listening on (\S+)/.exec(stdout);
      if (listening) resolve(listening[1]!);
    });
    void exited.then(({ code }) =>
      reject(new Error(`the start script ended (code ${code}) before serving:\n${stdout}\n${stderr}`)),
    );
  });
  const said = stdout.slice(0, stdout.indexOf('AUTOBOT listening on')).split('\n').filter(Boolean);
  return { child, url, said, stdout: () => stdout, stderr: () => stderr };
}

/** A stand-in Electron binary: a script that leaves a mark when run and does what `body` says. */
function fakeElectron(body: string): { dist: string; ran: () => boolean } {
  const dist = makeTempDir('autobot-fake-electron-');
  cleanups.push(dist.cleanup);
  const mark = path.join(dist.dir, 'ran');
  // path.txt names the binary inside the dist folder; without path.txt, electron uses "electron".
  const binary = path.join(dist.dir, 'electron');
  writeFileSync(binary, `#!/bin/sh\ntouch '${mark}'\n${body}\n`);
  chmodSync(binary, 0o755);
  return { dist: dist.dir, ran: () => existsSync(mark) };
}

const stackTrace = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('npm start where the desktop window cannot open', () => {
  it('is the script these tests run', async () => {
    const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.start).toBe('node scripts/start.mjs');
  });

  it('without the Electron binary: one sentence saying so and how to get it, then the app at its URL', async () => {
    const empty = makeTempDir('autobot-no-electron-');
    cleanups.push(empty.cleanup);
    const started = await start({
      ELECTRON_OVERRIDE_DIST_PATH: empty.dir,
      DISPLAY: undefined,
      WAYLAND_DISPLAY: undefined,
    });
    expect(started.said).toEqual([
      expect.stringMatching(
        /^The desktop window can't open here because the Electron binary is missing .*; to get the desktop app, run `npx install-electron` .*\.$/,
      ),
    ]);
    expect(started.stderr()).not.toMatch(stackTrace);
    // Whatever the server asks of a browser (a login, the UI), it is up and answering.
    const response = await fetch(started.url);
    expect(response.status).toBeLessThan(500);
  });

  it.skipIf(process.platform === 'win32')(
    'with Electron but no display: says so and serves the app, without starting Electron',
    async () => {
      const electron = fakeElectron('exit 0');
      const started = await start({
        ELECTRON_OVERRIDE_DIST_PATH: electron.dist,
        DISPLAY: undefined,
        WAYLAND_DISPLAY: undefined,
      });
      expect(started.said).toEqual([
        expect.stringMatching(/^The desktop window can't open here because there is no display.*\.$/),
      ]);
      expect(electron.ran()).toBe(false);
      expect((await fetch(started.url)).status).toBeLessThan(500);
    },
  );

  it.skipIf(process.platform === 'win32')(
    'when Electron stops at once for lack of a display: says so instead of its error, and serves the app',
    async () => {
      const electron = fakeElectron(
        `echo '[1:ERROR:ozone_platform_x11.cc(240)] Missing X server or $DISPLAY' >&2\nexit 1`,
      );
      const started = await start({
        ELECTRON_OVERRIDE_DIST_PATH: electron.dist,
        DISPLAY: ':autobot-test-no-such-display',
        WAYLAND_DISPLAY: undefined,
      });
      expect(electron.ran()).toBe(true);
      expect(started.said).toEqual([
        expect.stringMatching(
          /^The desktop window can't open here because Electron found no display it could open.*\.$/,
        ),
      ]);
      expect(started.stderr()).not.toContain('Missing X server');
      expect((await fetch(started.url)).status).toBeLessThan(500);
    },
  );
});
