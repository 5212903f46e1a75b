// One real `autobot serve` per test file: a fresh data directory, its own keychain service in the
// test keyring (so licences never leak between tests), and a test vendor key it trusts. Its API
// token is chosen here (AUTOBOT_TOKEN), so the helper's calls work whatever secret store the host has.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { CallResult } from '../../../core/contract/result.ts';
import { KeychainSecretStore } from '../../../core/secrets/secret-store.ts';
import { makeTestVendor, type TestVendor } from '../../support/test-license.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

export interface HeadlessHost {
  url: string;
  /** The one-time login link `autobot serve` printed. */
  loginUrl: string;
  /** The API token (bearer) scripts send. */
  token: string;
  dataDir: string;
  vendor: TestVendor;
  /** Where this host keeps the machine-level records (trial, clock mark); pass it to a second host to share the "machine". */
  machineKeychainService: string;
  /**
   * Logs a page's browser context in through a fresh one-time login link. The link is fetched with
   * the context's own request client (same cookie jar), so the page itself stays blank and its
   * first goto loads the UI fresh (a goto that changes only the #hash would not reload it).
   */
  logIn(page: Page): Promise<void>;
  call<T = unknown>(name: string, input?: unknown): Promise<CallResult<T>>;
  /** Installs a valid licence signed by the trusted test key. */
  license(): Promise<void>;
  /**
   * Stops `autobot serve` (SIGTERM, as an operator would) and starts it again on the same data dir,
   * keychain service and token; `url` and `loginUrl` then name the new server.
   */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HeadlessHostOptions {
  machineKeychainService?: string;
  /** Extra `autobot serve` arguments, e.g. ['--secrets-dir', dir]. */
  args?: string[];
  /** Environment overrides, e.g. a DBUS_SESSION_BUS_ADDRESS with no Secret Service on it. */
  env?: NodeJS.ProcessEnv;
  /** Writes into the fresh data directory before the host starts (e.g. a journal a previous run left). */
  prepare?: (dataDir: string) => void;
}

export async function startHeadlessHost(options: HeadlessHostOptions = {}): Promise<HeadlessHost> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'autobot-e2e-'));
  options.prepare?.(dataDir);
  const vendor = makeTestVendor();
  const keyFile = path.join(dataDir, 'test-vendor-public.pem');
  writeFileSync(keyFile, vendor.publicKeyPem);
  // The trial and the clock mark are machine-level records; each host gets its own service for them.
  const machineKeychainService = options.machineKeychainService ?? `AUTOBOT-e2e-machine-${randomUUID()}`;
  const token = randomBytes(32).toString('base64url');
  const keychainService = `AUTOBOT-e2e-${randomUUID()}`;
  const launch = async (): Promise<{ child: ChildProcess; url: string; loginUrl: string }> => {
    const child: ChildProcess = spawn(
      process.execPath,
      [
        path.join(root, 'bin', 'autobot.js'),
        'serve',
        '--port',
        '0',
        '--data-dir',
        dataDir,
        '--trust-test-key',
        keyFile,
        '--keychain-service',
        keychainService,
        ...(options.args ?? []),
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          AUTOBOT_MACHINE_KEYCHAIN_SERVICE: machineKeychainService,
          AUTOBOT_TOKEN: token,
          ...options.env,
        },
      },
    );
    const started = await new Promise<{ url: string; loginUrl: string }>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`autobot serve did not start:\n${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const listening = /AUTOBOT listening on (\S+)/.exec(output)?.[1];
        const link = /Open AUTOBOT \(this link works once\): (\S+)/.exec(output)?.[1];
        if (listening && link) {
          clearTimeout(timer);
          resolve({ url: listening, loginUrl: link });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`autobot serve exited with ${code}:\n${output}`));
      });
    });
    return { child, ...started };
  };
  let { child, url, loginUrl } = await launch();

  const call = async <T>(name: string, input: unknown = {}) => {
    const response = await fetch(`${url}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
    return (await response.json()) as CallResult<T>;
  };

  const freshLoginLink = async () => {
    const response = await fetch(`${url}/api/login-link`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const minted = (await response.json()) as CallResult<{ url: string }>;
    if (!minted.ok) throw new Error(`no login link: ${minted.error.message}`);
    return minted.value.url;
  };

  const host: HeadlessHost = {
    url,
    loginUrl,
    token,
    dataDir,
    vendor,
    machineKeychainService,
    async logIn(page) {
      const response = await page.request.get(await freshLoginLink(), { maxRedirects: 0 });
      if (response.status() !== 303) throw new Error(`login link refused: ${response.status()}`);
    },
    call,
    async license() {
      const result = await call('license.install', { key: vendor.issue() });
      if (!result.ok) throw new Error(`test licence refused: ${result.error.message}`);
    },
    async restart() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      ({ child, url, loginUrl } = await launch());
      host.url = url;
      host.loginUrl = loginUrl;
    },
    async stop() {
      // Leave the test keyring as we found it: the licence lives there, not in the data dir.
      await call('license.remove').catch(() => undefined);
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      const machine = new KeychainSecretStore(machineKeychainService);
      for (const name of await machine.list().catch(() => [])) await machine.delete(name).catch(() => false);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return host;
}
