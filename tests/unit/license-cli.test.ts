// `autobot license …` through a commander program built here (exitOverride + captured output).
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerLicenseCommands } from '../../core/cli/license-commands.ts';
import { decodeLicenseKey, createActivationRequest, decodeActivation } from '../../core/license/verify.ts';
import { loadTrustedKeys } from '../../core/license/trust.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const now = new Date('2026-05-01T12:00:00.000Z');

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], resourcesDir: string, at: Date = now): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command('autobot')
    .exitOverride()
    .configureOutput({ writeOut: (text) => stdout.push(text), writeErr: (text) => stderr.push(text) });
  registerLicenseCommands(program, { resourcesDir, now: () => at });
  let exitCode = 0;
  try {
    await program.parseAsync(['node', 'autobot', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    exitCode = error.exitCode;
  }
  return { exitCode, stdout: stdout.join(''), stderr: stderr.join('') };
}

let temp: ReturnType<typeof makeTempDir>;
let keys: string;
let resources: string;
beforeEach(() => {
  temp = makeTempDir('autobot-license-cli-');
  keys = path.join(temp.dir, 'keys');
  resources = path.join(temp.dir, 'resources');
});
afterEach(() => temp.cleanup());

const issueArgs = () => [
  'license',
  'issue',
  '--private-key',
  path.join(keys, 'vendor-private.pem'),
  '--licensee',
  'Ada Lovelace',
  '--email',
  'ada@example.com',
  '--plan',
  'pro',
  '--features',
  'backtest, live-trading',
  '--max-instances',
  '2',
];

describe('autobot license', () => {
  it('keygen → issue → verify round trip; a tampered key exits 1 with the reason', async () => {
    const keygen = await cli(['license', 'keygen', '--out', keys], resources);
    expect(keygen).toMatchObject({ exitCode: 0, stderr: '' });
    expect(keygen.stdout).toContain('vendor-private.pem');
    if (process.platform !== 'win32') {
      expect(statSync(path.join(keys, 'vendor-private.pem')).mode & 0o777).toBe(0o600);
    }
    expect(readFileSync(path.join(keys, 'vendor-public.pem'), 'utf8')).toMatch(/BEGIN PUBLIC KEY/);

    const licenseFile = path.join(temp.dir, 'ada.license');
    const issue = await cli(
      [
        ...issueArgs(),
        '--max-machines',
        '3',
        '--expires',
        '2026-12-31',
        '--id',
        'lic-42',
        '--out',
        licenseFile,
      ],
      resources,
    );
    expect(issue.exitCode).toBe(0);
    const key = issue.stdout.trim();
    expect(key).toMatch(/^AUTOBOT1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(readFileSync(licenseFile, 'utf8').trim()).toBe(key);

    const publicKey = path.join(keys, 'vendor-public.pem');
    for (const argument of [key, licenseFile]) {
      const verify = await cli(['license', 'verify', argument, '--public-key', publicKey], resources);
      expect(verify).toMatchObject({ exitCode: 0, stderr: '' });
      expect(JSON.parse(verify.stdout)).toEqual({
        id: 'lic-42',
        licensee: 'Ada Lovelace',
        email: 'ada@example.com',
        plan: 'pro',
        features: ['backtest', 'live-trading'],
        maxInstances: 2,
        maxMachines: 3,
        issuedAt: now.toISOString(),
        expiresAt: '2026-12-31T23:59:59.999Z',
        product: 'autobot',
      });
    }

    const [prefix, body, signature] = key.split('.');
    const bytes = Buffer.from(body!, 'base64url');
    bytes[bytes.length - 3]! ^= 0x01;
    const tampered = `${prefix}.${bytes.toString('base64url')}.${signature}`;
    const refused = await cli(['license', 'verify', tampered, '--public-key', publicKey], resources);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/^bad_signature: .*signature does not match/);

    const late = await cli(
      ['license', 'verify', key, '--public-key', publicKey],
      resources,
      new Date('2027-02-01'),
    );
    expect(late.exitCode).toBe(1);
    expect(late.stderr).toMatch(/^expired: /);
  });

  it('verify without --public-key uses resources/vendor-public.pem, and says so when it is missing', async () => {
    await cli(['license', 'keygen', '--out', keys], resources);
    const key = (await cli(issueArgs(), resources)).stdout.trim();

    const missing = await cli(['license', 'verify', key], resources);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/no vendor public key at .*vendor-public\.pem; pass --public-key/);

    mkdirSync(resources);
    copyFileSync(path.join(keys, 'vendor-public.pem'), path.join(resources, 'vendor-public.pem'));
    const verified = await cli(['license', 'verify', key], resources);
    expect(verified.exitCode).toBe(0);
    expect(JSON.parse(verified.stdout).maxMachines).toBeNull();
  });

  it('refuses to overwrite a vendor private key, bad numbers and unreadable files', async () => {
    expect((await cli(['license', 'keygen', '--out', keys], resources)).exitCode).toBe(0);
    const again = await cli(['license', 'keygen', '--out', keys], resources);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already exists/);

    const badNumber = await cli([...issueArgs().slice(0, -1), 'two'], resources);
    expect(badNumber.exitCode).not.toBe(0);
    expect(badNumber.stderr).toMatch(/max-instances/);

    const noKey = await cli(['license', 'verify', path.join(temp.dir, 'nope.license')], resources);
    expect(noKey.exitCode).toBe(1);
    expect(noKey.stderr).toMatch(/neither a licence key .* nor an existing file/);

    const notAKey = path.join(temp.dir, 'junk.license');
    writeFileSync(notAKey, 'hello\n');
    const junk = await cli(
      ['license', 'verify', notAKey, '--public-key', path.join(keys, 'vendor-public.pem')],
      resources,
    );
    expect(junk.exitCode).toBe(1);
    expect(junk.stderr).toMatch(/^bad_encoding: /);
  });

  it('issue refuses an expiry day that does not exist instead of rolling it into the next month', async () => {
    expect((await cli(['license', 'keygen', '--out', keys], resources)).exitCode).toBe(0);
    const refused = await cli([...issueArgs(), '--expires', '2027-02-30'], resources);
    expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
    expect(refused.stderr).toContain('"2027-02-30" is not a real date: February 2027 has 28 days.');
    const accepted = await cli([...issueArgs(), '--expires', '2027-02-28'], resources);
    expect(accepted.exitCode).toBe(0);
    expect(decodeLicenseKey(accepted.stdout, loadTrustedKeys({ resourcesDir: keys }).keys)).toMatchObject({
      ok: true,
      value: { payload: { expiresAt: '2027-02-28T23:59:59.999Z' } },
    });
  });

  it('activate prints an activation for the machine and enforces --max-machines through the ledger', async () => {
    await cli(['license', 'keygen', '--out', keys], resources);
    const key = (await cli([...issueArgs(), '--max-machines', '1'], resources)).stdout.trim();
    const trusted = [loadTrustedKeys({ resourcesDir: keys }).keys[0]!];
    const decoded = decodeLicenseKey(key, trusted);
    if (!decoded.ok) throw new Error(decoded.refusal.message);
    const ledger = path.join(temp.dir, 'ledger.db');
    const privateKey = path.join(keys, 'vendor-private.pem');

    const requestFile = path.join(temp.dir, 'machine-a.actreq');
    writeFileSync(requestFile, `${createActivationRequest(decoded.value, 'a1'.repeat(16))}\n`);
    const first = await cli(
      ['license', 'activate', '--private-key', privateKey, '--ledger', ledger, requestFile],
      resources,
    );
    expect(first.exitCode).toBe(0);
    const activation = decodeActivation(first.stdout.trim(), trusted);
    expect(activation).toMatchObject({ ok: true, value: { fingerprint: 'a1'.repeat(16) } });

    const other = createActivationRequest(decoded.value, 'b2'.repeat(16));
    const second = await cli(
      ['license', 'activate', '--private-key', privateKey, '--ledger', ledger, other],
      resources,
    );
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(/^machine_limit: /);

    const list = await cli(['license', 'activations', '--ledger', ledger], resources);
    expect(JSON.parse(list.stdout)).toMatchObject([{ fingerprint: 'a1'.repeat(16), releasedAt: null }]);

    const release = await cli(
      ['license', 'release', '--ledger', ledger, decoded.value.payload.id, 'a1'.repeat(16)],
      resources,
    );
    expect(release.exitCode).toBe(0);
    const retry = await cli(
      ['license', 'activate', '--private-key', privateKey, '--ledger', ledger, other],
      resources,
    );
    expect(retry.exitCode).toBe(0);
  });

  it('fingerprint prints this machine’s hash and its source, never the raw id', async () => {
    const run = await cli(['license', 'fingerprint'], resources);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^[0-9a-f]{32} \(from [a-z0-9]+:.+\)\n$/);
  });
});
