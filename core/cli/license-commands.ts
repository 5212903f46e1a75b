// `autobot license …`: the vendor's tool (keygen, issue, verify, activate, the ledger) plus
// `fingerprint` for support. Thin wrappers over core/license/vendor.ts; see docs/licensing.md.
// Output goes through commander's output configuration and failures through command.error(), so a
// program with exitOverride() and configureOutput() (the tests) sees exit codes instead of exiting.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { fingerprintOf, machineIdentity } from '../license/fingerprint.ts';
import {
  activationRequestPrefix,
  licensePrefix,
  normalizeToken,
  type LicenseRefusal,
} from '../license/format.ts';
import { defaultResourcesDir, vendorPublicKeyFileName } from '../license/trust.ts';
import {
  activate,
  generateVendorKeyPair,
  issueLicense,
  listActivations,
  releaseActivation,
  verifyLicense,
} from '../license/vendor.ts';

export interface LicenseCommandOptions {
  /** Where `license verify` finds vendor-public.pem without --public-key. Default: resources/ of the repo. */
  resourcesDir?: string;
  /** The clock of verify/activate/release. Default: the system clock. */
  now?: () => Date;
}

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number ≥ 1.');
  return number;
}

function featureList(value: string): string[] {
  return value
    .split(',')
    .map((feature) => feature.trim())
    .filter(Boolean);
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(
      `Cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** An argument that is either the token itself (starts with PREFIX.) or a file holding it. */
function tokenOrFile(value: string, prefix: string, what: string): string {
  if (normalizeToken(value).startsWith(`${prefix}.`)) return value;
  if (existsSync(value)) return readText(value, what);
  throw new Error(`"${value}" is neither ${what} (starting with "${prefix}.") nor an existing file.`);
}

function print(command: Command, text: string): void {
  const write = command.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
  write(`${text}\n`);
}

/** Runs an action; a thrown error or a refusal becomes the message on stderr and exit code 1. */
function guarded(command: Command, action: () => LicenseRefusal | void): void {
  let message: string | undefined;
  try {
    const refusal = action();
    if (refusal) message = `${refusal.code}: ${refusal.message}`;
  } catch (error) {
    message = error instanceof Error ? error.message : String(error);
  }
  if (message !== undefined) command.error(message, { exitCode: 1, code: 'autobot.license' });
}

/**
 * Adds `license` and its subcommands to `program`; returns the `license` command. Configure the
 * program's output and exitOverride before calling this: subcommands copy those settings.
 */
export function registerLicenseCommands(program: Command, options: LicenseCommandOptions = {}): Command {
  const now = options.now ?? (() => new Date());
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir;
  const license = program.command('license').description('Issue, verify and activate AUTOBOT licences.');

  license
    .command('keygen')
    .description(
      'Create the vendor key pair: vendor-private.pem (0600, keep it offline) and vendor-public.pem.',
    )
    .requiredOption('--out <dir>', 'folder to write the two files to')
    .action((opts: { out: string }, command: Command) =>
      guarded(command, () => {
        const files = generateVendorKeyPair(path.resolve(opts.out));
        print(command, `private key: ${files.privateKeyFile}`);
        print(command, `public key:  ${files.publicKeyFile}`);
      }),
    );

  license
    .command('issue')
    .description('Sign a licence and print its key (one line, also the content of a .license file).')
    .requiredOption('--private-key <file>', 'vendor-private.pem')
    .requiredOption('--licensee <name>', 'who the licence is for')
    .requiredOption('--email <email>', "the licensee's e-mail address")
    .requiredOption('--plan <plan>', 'plan name, e.g. pro')
    .requiredOption('--features <list>', 'comma-separated features, e.g. backtest,live-trading', featureList)
    .requiredOption('--max-instances <n>', 'instances that may run at once', positiveInteger)
    .option(
      '--max-machines <n>',
      'machines that may be activated (omit: no activation needed)',
      positiveInteger,
    )
    .option('--expires <date>', 'last valid day YYYY-MM-DD (UTC, inclusive) or an ISO instant')
    .option('--id <id>', 'licence id (default: a random UUID)')
    .option('--out <file>', 'also write the key to this .license file')
    .action(
      (
        opts: {
          privateKey: string;
          licensee: string;
          email: string;
          plan: string;
          features: string[];
          maxInstances: number;
          maxMachines?: number;
          expires?: string;
          id?: string;
          out?: string;
        },
        command: Command,
      ) =>
        guarded(command, () => {
          const key = issueLicense({
            privateKeyPem: readText(opts.privateKey, 'the private key'),
            licensee: opts.licensee,
            email: opts.email,
            plan: opts.plan,
            features: opts.features,
            maxInstances: opts.maxInstances,
            maxMachines: opts.maxMachines ?? null,
            ...(opts.expires !== undefined ? { expires: opts.expires } : {}),
            ...(opts.id !== undefined ? { id: opts.id } : {}),
            issuedAt: now(),
          });
          if (opts.out) writeFileSync(opts.out, `${key}\n`);
          print(command, key);
        }),
    );

  license
    .command('verify')
    .description(
      'Check a licence key (or .license file) and print it as JSON; exit 1 with the reason if invalid.',
    )
    .argument('<key-or-file>', 'the key, or a file holding it')
    .option(
      '--public-key <file>',
      `vendor public key (default: ${vendorPublicKeyFileName} in the resources folder)`,
    )
    .action((keyOrFile: string, opts: { publicKey?: string }, command: Command) =>
      guarded(command, () => {
        const key = tokenOrFile(keyOrFile, licensePrefix, 'a licence key');
        const publicKeyFile = opts.publicKey ?? path.join(resourcesDir, vendorPublicKeyFileName);
        if (opts.publicKey === undefined && !existsSync(publicKeyFile)) {
          throw new Error(`There is no vendor public key at ${publicKeyFile}; pass --public-key FILE.`);
        }
        const verified = verifyLicense(key, readText(publicKeyFile, 'the public key'), now());
        if (!verified.ok) return verified.refusal;
        print(command, JSON.stringify(verified.value, null, 2));
      }),
    );

  license
    .command('activate')
    .description(
      "Turn a customer's activation request into an activation for that machine (checks the ledger).",
    )
    .argument('<request>', 'the AUTOBOT-ACTREQ1 text, or a file holding it')
    .requiredOption('--private-key <file>', 'vendor-private.pem')
    .requiredOption('--ledger <file>', 'the activation ledger (SQLite; created if missing)')
    .option('--out <file>', 'also write the activation to this file')
    .action((request: string, opts: { privateKey: string; ledger: string; out?: string }, command: Command) =>
      guarded(command, () => {
        const activation = activate({
          privateKeyPem: readText(opts.privateKey, 'the private key'),
          ledgerFile: opts.ledger,
          request: tokenOrFile(request, activationRequestPrefix, 'an activation request'),
          now: now(),
        });
        if (!activation.ok) return activation.refusal;
        if (opts.out) writeFileSync(opts.out, `${activation.value}\n`);
        print(command, activation.value);
      }),
    );

  license
    .command('activations')
    .description('List the machines in the ledger, as JSON (all licences, or one).')
    .argument('[license-id]', 'only this licence')
    .requiredOption('--ledger <file>', 'the activation ledger')
    .action((licenseId: string | undefined, opts: { ledger: string }, command: Command) =>
      guarded(command, () => {
        if (!existsSync(opts.ledger)) throw new Error(`There is no ledger at ${opts.ledger}.`);
        print(command, JSON.stringify(listActivations(opts.ledger, licenseId), null, 2));
      }),
    );

  license
    .command('release')
    .description("Free a machine's slot in the ledger (its existing activation keeps working offline).")
    .argument('<license-id>')
    .argument('<fingerprint>')
    .requiredOption('--ledger <file>', 'the activation ledger')
    .action((licenseId: string, fingerprint: string, opts: { ledger: string }, command: Command) =>
      guarded(command, () => {
        if (!existsSync(opts.ledger)) throw new Error(`There is no ledger at ${opts.ledger}.`);
        if (!releaseActivation(opts.ledger, licenseId, fingerprint, now())) {
          throw new Error(`Machine ${fingerprint} is not an active machine of licence ${licenseId}.`);
        }
        print(command, `released ${fingerprint} from ${licenseId}`);
      }),
    );

  license
    .command('fingerprint')
    .description(
      "Print this machine's licence fingerprint (a salted hash; the raw machine id is never shown).",
    )
    .action((_opts: unknown, command: Command) =>
      guarded(command, () => {
        const identity = machineIdentity();
        print(command, `${fingerprintOf(identity)} (from ${identity.source})`);
      }),
    );

  return license;
}
