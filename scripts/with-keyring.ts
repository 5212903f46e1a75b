// Runs a command with a real, unlocked Secret Service, so secret tests hit the same keychain code
// path users have. On Linux without a session bus it starts one (dbus-run-session) and a fresh
// gnome-keyring-daemon whose login keyring is unlocked with a throwaway password; elsewhere (or
// when a session bus is already there) it runs the command as it is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
const quoted = command.map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(' ');
const script = [
  'set -e',
  // --unlock reads the new keyring's password from stdin; the login keyring is created on first use.
  `eval "$(printf 'autobot-test' | gnome-keyring-daemon --unlock --components=secrets)"`,
  'export GNOME_KEYRING_CONTROL',
  'export AUTOBOT_KEYRING_READY=1',
  `exec ${quoted}`,
].join('\n');
const result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
  stdio: 'inherit',
  env: { ...process.env, XDG_DATA_HOME: keyringHome, XDG_RUNTIME_DIR: keyringHome },
});
process.exit(result.status ?? 1);
