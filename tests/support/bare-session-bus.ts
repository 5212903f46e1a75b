// A D-Bus session bus with nothing on it: no Secret Service, and no service files from which one
// could be activated (the stock session.conf would start gnome-keyring on demand). It is the state
// of a server or a container that has D-Bus but no desktop keychain.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface BareSessionBus {
  /** The value for DBUS_SESSION_BUS_ADDRESS. */
  address: string;
  stop(): Promise<void>;
}

/** Whether this machine can start one (Linux with dbus-daemon installed). */
export function canStartBareSessionBus(): boolean {
  return (
    process.platform === 'linux' &&
    spawnSync('sh', ['-c', 'command -v dbus-daemon'], { stdio: 'ignore' }).status === 0
  );
}

export async function startBareSessionBus(): Promise<BareSessionBus> {
  const directory = mkdtempSync(path.join(tmpdir(), 'autobot-bare-bus-'));
  const config = path.join(directory, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${directory}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const daemon = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address=1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const address = await new Promise<string>((resolve, reject) => {
    let output = '';
    daemon.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve(line.trim());
    });
    daemon.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    daemon.once('error', reject);
    daemon.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${output}`)));
  });
  return {
    address,
    async stop() {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        daemon.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
