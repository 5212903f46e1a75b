// `autobot …`: thin commands over core/app. Each command parses flags and hands off to the core.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createApp } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import { ctraderPeerOverride, machineKeychainOverride, providerPeerOverride } from '../app/dev-overrides.ts';
import { appVersion } from '../app/version.ts';
import { AutobotError } from '../contract/errors.ts';
import { FileDirSecretStore } from '../secrets/secret-dir-store.ts';
import { parseAllowedHosts } from '../server/request-guard.ts';
import { startServer } from '../server/server.ts';
import { registerBacktestCommand } from './backtest-command.ts';
import { registerDataCommands } from './data-commands.ts';
import { registerLicenseCommands } from './license-commands.ts';
import { registerOptimizeCommand } from './optimize-command.ts';
import { registerPaperCommand } from './paper-command.ts';
import { registerRlCommands } from './rl-command.ts';
import { registerSentimentCommands } from './sentiment-commands.ts';
import { registerTokenCommands } from './token-commands.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('--port must be a whole number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

function parseMaxRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new InvalidArgumentError('--max-runs must be a whole number ≥ 1.');
  }
  return runs;
}

interface ServeOptions {
  host: string;
  allowedHosts?: string[];
  port: number;
  dataDir: string;
  rendererDir: string;
  trustTestKey?: string;
  keychainService: string;
  secretsDir?: string;
  maxRuns?: number;
}

const tokenNote = {
  secrets:
    'API token: kept with the secrets (the OS keychain, or --secrets-dir); `autobot token` prints it for scripts (Authorization: Bearer …), `autobot login-link` makes a link for another browser.',
  environment: 'API token: the one given in AUTOBOT_TOKEN.',
  memory:
    'API token: the OS keychain is not available, so the token lives in memory and changes at every start; set AUTOBOT_TOKEN to choose one for scripts.',
} as const;

export function buildCli(): Command {
  const program = new Command('autobot').version(appVersion).description('AUTOBOT trading terminal');

  program
    .command('serve')
    .description('Run the core headless: the contract over HTTP/WebSocket and the UI in a browser.')
    .option(
      '--host <host>',
      'interface to bind; beyond loopback (0.0.0.0, a LAN address) --allowed-hosts is required',
      '127.0.0.1',
    )
    .option(
      '--allowed-hosts <names>',
      'comma-separated host names clients reach this server by (checked against the Host header)',
      parseAllowedHosts,
    )
    .option('--port <port>', 'port to listen on (0 = any free port)', parsePort, 8787)
    .option('--data-dir <dir>', 'folder of the database', defaultDataDir())
    .option('--renderer-dir <dir>', 'folder of the built UI', path.join(repoRoot, 'dist', 'renderer'))
    .option(
      '--trust-test-key <pem-file>',
      'also trust this licence public key (development and tests only; every screen will say so)',
    )
    .option(
      '--keychain-service <name>',
      'OS keychain service the licence and API keys are filed under (run two servers side by side)',
      'AUTOBOT',
    )
    .option(
      '--secrets-dir <dir>',
      'keep the licence, API keys and the API token as files in this directory (mode 0700, files 0600) instead of the OS keychain: for servers and containers (docs/secrets.md)',
    )
    .option(
      '--max-runs <n>',
      'worker threads heavy runs (backtests, optimisations, imports) keep busy at once; the rest queue (default: one per core)',
      parseMaxRuns,
    )
    .action(async function (this: Command, options: ServeOptions) {
      const testPublicKeyPem = options.trustTestKey ? readFileSync(options.trustTestKey, 'utf8') : undefined;
      // Only the operator's flag selects files: without it, secrets stay in the keychain or nowhere.
      const secretStore = options.secretsDir ? FileDirSecretStore.open(options.secretsDir) : undefined;
      const app = createApp({
        dataDir: path.resolve(options.dataDir),
        host: 'headless',
        keychainService: options.keychainService,
        ...(secretStore ? { secretStore } : {}),
        ...machineKeychainOverride(process.env),
        ...providerPeerOverride(process.env),
        ...ctraderPeerOverride(process.env),
        ...(options.maxRuns !== undefined ? { maxRuns: options.maxRuns } : {}),
        ...(testPublicKeyPem ? { testPublicKeyPem } : {}),
      });
      let running;
      try {
        running = await startServer({
          app,
          host: options.host,
          port: options.port,
          allowedHosts: options.allowedHosts ?? [],
          rendererDir: options.rendererDir,
        });
      } catch (error) {
        app.close();
        if (error instanceof AutobotError) return this.error(error.message);
        throw error;
      }
      // Tests and scripts wait for this exact line.
      console.log(`AUTOBOT listening on ${running.url}`);
      console.log(`Open AUTOBOT (this link works once): ${running.loginLink()}`);
      console.log(tokenNote[running.accessToken.source]);
      console.log(`data dir: ${app.dataDir}`);
      if (secretStore) console.log(`secrets dir: ${secretStore.directory}`);
      const shutdown = async () => {
        await running.close();
        // Bots halt after their current bar and checkpoint it; they resume at the next start.
        await app.bots.close();
        app.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  registerLicenseCommands(program);
  registerBacktestCommand(program);
  registerPaperCommand(program);
  registerOptimizeCommand(program);
  registerTokenCommands(program);
  registerDataCommands(program);
  registerRlCommands(program);
  registerSentimentCommands(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<void> {
  await buildCli().parseAsync(argv as string[]);
}
