// `autobot …`: thin commands over core/app. Each command parses flags and hands off to the core.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { createApp } from '../app/app.ts';
import { defaultDataDir } from '../app/data-dir.ts';
import { appVersion } from '../app/version.ts';
import { startServer } from '../server/server.ts';
import { registerBacktestCommand } from './backtest-command.ts';
import { registerLicenseCommands } from './license-commands.ts';
import { registerOptimizeCommand } from './optimize-command.ts';

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
  port: number;
  dataDir: string;
  rendererDir: string;
  trustTestKey?: string;
  keychainService: string;
  maxRuns?: number;
}

export function buildCli(): Command {
  const program = new Command('autobot').version(appVersion).description('AUTOBOT trading terminal');

  program
    .command('serve')
    .description('Run the core headless: the contract over HTTP/WebSocket and the UI in a browser.')
    .option(
      '--host <host>',
      'interface to bind (keep 127.0.0.1 unless a proxy with auth fronts it)',
      '127.0.0.1',
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
      '--max-runs <n>',
      'worker threads heavy runs (backtests, optimisations, imports) keep busy at once; the rest queue (default: one per core)',
      parseMaxRuns,
    )
    .action(async (options: ServeOptions) => {
      const testPublicKeyPem = options.trustTestKey ? readFileSync(options.trustTestKey, 'utf8') : undefined;
      const app = createApp({
        dataDir: path.resolve(options.dataDir),
        host: 'headless',
        keychainService: options.keychainService,
        ...(options.maxRuns !== undefined ? { maxRuns: options.maxRuns } : {}),
        ...(testPublicKeyPem ? { testPublicKeyPem } : {}),
      });
      const running = await startServer({
        app,
        host: options.host,
        port: options.port,
        rendererDir: options.rendererDir,
      });
      // Tests and scripts wait for this exact line.
      console.log(`AUTOBOT listening on ${running.url}`);
      console.log(`data dir: ${app.dataDir}`);
      const shutdown = async () => {
        await running.close();
        app.close();
        process.exit(0);
      };
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
    });

  registerLicenseCommands(program);
  registerBacktestCommand(program);
  registerOptimizeCommand(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<void> {
  await buildCli().parseAsync(argv as string[]);
}
