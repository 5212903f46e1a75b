// Runs a command with a real, unlocked Secret Service, so secret tests hit the same keychain code
// path users have. On Linux without a session bus it starts one (dbus-run-session) and a fresh
// gnome-keyring-daemon whose login keyring is unlocked with a throwaway password; elsewhere (or
// when a session bus is already there) it runs the command as it is.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const command = process.argv.slice(2);
if (command.length === 0) {
  console.error('usage: node scripts/with-keyring.ts COMMAND [ARGS...]');
  process.exit(2);
}

function has(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

const alreadyInSession =
  Boolean(process.env.DBUS_SESSION_BUS_ADDRESS) || process.env.AUTOBOT_KEYRING_READY === '1';
const canStart = process.platform === 'linux' && has('dbus-run-session') && has('gnome-keyring-daemon');

if (alreadyInSession || !canStart) {
  if (!alreadyInSession && process.platform === 'linux') {
    console.error(
      '[with-keyring] dbus-run-session or gnome-keyring-daemon not found: keychain tests will report it.',
    );
  }
  const result = spawnSync(command[0]!, command.slice(1), {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  process.exit(result.status ?? 1);
}

// A private HOME-like data dir keeps the throwaway keyring away from the user's real one.
const keyringHome = mkdtempSync(path.join(tmpdir(), 'autobot-keyring-'));

// If the daemon exits mid-run (CI saw it: every later keychain call failed with "unlock prompt was
// dismissed"), D-Bus activates a fresh one on the next call; the stock service file starts it with
// the login keyring locked and no display to ask for the password. Our own service file, found
// first under XDG_DATA_HOME, restarts it unlocked with the same throwaway password and says so.
const password = 'autobot-test';
const restartScript = path.join(keyringHome, 'restart-keyring.sh');
writeFileSync(
  restartScript,
  [
    '#!/bin/sh',
    'echo "[with-keyring] gnome-keyring-daemon exited; D-Bus started a new one, unlocked with the test password" >&2',
    `printf '${password}' | exec gnome-keyring-daemon --foreground --unlock --components=secrets`,
    '',
  ].join('\n'),
);
chmodSync(restartScript, 0o755);
const serviceDir = path.join(keyringHome, 'dbus-1', 'services');
mkdirSync(serviceDir, { recursive: true });
writeFileSync(
  path.join(serviceDir, 'org.freedesktop.secrets.service'),
  `[D-BUS Service]\nName=org.freedesktop.secrets\nExec=${restartScript}\n`,
);

const quoted = command.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
const script = [
  'set -e',
  // --unlock reads the new keyring's password from stdin; the login keyring is created on first use.
  `eval "$(printf '${password}' | gnome-keyring-daemon --unlock --components=secrets)"`,
  'export GNOME_KEYRING_CONTROL',
  'export AUTOBOT_KEYRING_READY=1',
  `exec ${quoted}`,
].join('\n');
const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
  stdio: 'inherit',
  env: { ...process.env, XDG_DATA_HOME: keyringHome, XDG_RUNTIME_DIR: keyringHome },
});
process.exit(result.status ?? 1);
