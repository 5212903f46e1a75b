// `autobot serve` as an operator starts it: a bind beyond loopback without --allowed-hosts is
// refused before anything listens; with the list, the printed login link uses the allowed name and
// a foreign Host header is refused. `autobot token` prints the token a script then sends, and
// `autobot login-link` a fresh link for another browser.
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore } from '../../core/secrets/secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const autobotJs = path.resolve(import.meta.dirname, '..', '..', 'bin', 'autobot.js');
const temp = makeTempDir();
const service = `AUTOBOT-serve-cli-${randomUUID()}`;

afterAll(async () => {
  const secrets = new KeychainSecretStore(service);
  for (const name of await secrets.list().catch(() => [])) await secrets.delete(name);
  temp.cleanup();
});

async function autobot(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [autobotJs, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

function status(port: string, hostHeader: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.2',
        port,
        path: '/api/call/app.info',
        method: 'POST',
        headers: { host: `${hostHeader}:${port}`, ...headers },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('autobot serve beyond loopback', () => {
  it('refuses --host 0.0.0.0 without --allowed-hosts, exiting non-zero with one sentence', async () => {
    const { code, stdout, stderr } = await autobot([
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--data-dir',
      temp.dir,
      '--keychain-service',
      service,
    ]);
    expect(code).not.toBe(0);
    expect(stdout).not.toContain('AUTOBOT listening');
    expect(stderr.trim()).toBe(
      'Binding 0.0.0.0 reaches beyond this machine: give --allowed-hosts with the host names clients will use (e.g. --allowed-hosts autobot.lan,192.168.1.20).',
    );
  });

  it('with --allowed-hosts serves the listed name only, and scripts get in with `autobot token`', async () => {
    const child = spawn(
      process.execPath,
      [
        autobotJs,
        'serve',
        '--host',
        '127.0.0.2',
        '--allowed-hosts',
        'AUTOBOT.test, 127.0.0.2',
        '--port',
        '0',
        '--data-dir',
        temp.dir,
        '--keychain-service',
        service,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = '';
        const onData = (chunk: Buffer) => {
          text += chunk.toString();
          if (/data dir: /.test(text)) resolve(text);
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${text}`)));
      });
      const port = /AUTOBOT listening on http:\/\/127\.0\.0\.2:(\d+)/.exec(output)?.[1];
      expect(port).toBeDefined();
      expect(output).toContain(
        `Open AUTOBOT (this link works once): http://autobot.test:${port}/login?code=`,
      );

      const token = (await autobot(['token', '--keychain-service', service])).stdout.trim();
      const bearer = { authorization: `Bearer ${token}` };
      expect(await status(port!, 'autobot.test', bearer)).toBe(200);
      expect(await status(port!, '127.0.0.2', bearer)).toBe(200);
      expect(await status(port!, 'autobot.test', {})).toBe(401);
      expect(await status(port!, 'rebound.example', bearer)).toBe(403);

      const minted = await autobot([
        'login-link',
        '--url',
        `http://127.0.0.2:${port}`,
        '--keychain-service',
        service,
      ]);
      const link = new URL(minted.stdout.trim());
      expect(link.pathname).toBe('/login');
      const opened = await fetch(link, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      expect(opened.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
