// `autobot token` and `autobot login-link`: how a script finds the headless host's API token, and
// how a second browser or device logs in after the link `autobot serve` printed has been used.
// Both read the token from the same secret store `serve` keeps it in (docs/usage.md, "Headless").
import { type Command } from 'commander';
import { AutobotError } from '../contract/errors.ts';
import { FileDirSecretStore } from '../secrets/secret-dir-store.ts';
import { KeychainSecretStore } from '../secrets/secret-store.ts';
import { readOrCreateStoredToken } from '../server/access-token.ts';

interface TokenOptions {
  keychainService: string;
  secretsDir?: string;
}

async function storedToken(command: Command, options: TokenOptions): Promise<string> {
  const fromEnv = process.env.AUTOBOT_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  try {
    const store = options.secretsDir
      ? FileDirSecretStore.open(options.secretsDir)
      : new KeychainSecretStore(options.keychainService);
    return await readOrCreateStoredToken(store);
  } catch (error) {
    if (error instanceof AutobotError && error.code === 'keychain_unavailable')
      command.error(
        'The OS keychain is not available, so the server keeps its token in memory only: open the login link `autobot serve` printed, or start it with AUTOBOT_TOKEN set.',
      );
    throw error;
  }
}

function print(command: Command, line: string): void {
  (command.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s)))(`${line}\n`);
}

const keychainOption = [
  '--keychain-service <name>',
  'OS keychain service the server files its token under (as given to serve)',
  'AUTOBOT',
] as const;

const secretsDirOption = [
  '--secrets-dir <dir>',
  'the secrets directory the server keeps its token in (as given to serve --secrets-dir)',
] as const;

export function registerTokenCommands(program: Command): void {
  program
    .command('token')
    .description("Print the headless host's API token, for `Authorization: Bearer <token>` in scripts.")
    .option(...keychainOption)
    .option(...secretsDirOption)
    .action(async function (this: Command, options: TokenOptions) {
      print(this, await storedToken(this, options));
    });

  program
    .command('login-link')
    .description('Ask a running `autobot serve` for a fresh one-time login link (valid ten minutes).')
    .option('--url <url>', 'address of the running server', 'http://127.0.0.1:8787')
    .option(...keychainOption)
    .option(...secretsDirOption)
    .action(async function (this: Command, options: TokenOptions & { url: string }) {
      const token = await storedToken(this, options);
      let response: Response;
      try {
        response = await fetch(new URL('/api/login-link', options.url), {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
        });
      } catch (error) {
        return this.error(
          `No AUTOBOT server answered at ${options.url} (${(error as Error).message}); give its address with --url.`,
        );
      }
      const body = (await response.json()) as
        { ok: true; value: { url: string } } | { ok: false; error: { message: string } };
      if (!body.ok) return this.error(body.error.message);
      print(this, body.value.url);
    });
}
