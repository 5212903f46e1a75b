// A process that refreshes the cTrader tokens through the real keychain and then keeps running, so
// the refresh test can kill it (SIGKILL) at the worst moment: right after the new pair was stored,
// before anything else. It prints "persisted" once SessionTokens.refresh() has resolved.
import { writeSync } from 'node:fs';
import { SessionTokens } from '../../core/oauth/session-tokens.ts';
import { TokenClient } from '../../core/oauth/token-client.ts';
import { TokenVault } from '../../core/oauth/token-vault.ts';
import { KeychainSecretStore } from '../../core/secrets/secret-store.ts';

const [service, tokenUrl, ca] = [process.argv[2]!, process.argv[3]!, process.env.AUTOBOT_TEST_CA!];
const tokens = new SessionTokens({
  vault: new TokenVault(new KeychainSecretStore(service), 'ctrader.demo'),
  client: new TokenClient({ tokenUrl, clientId: 'my-app', clientSecret: 'my-secret', ca }),
});
await tokens.refresh();
writeSync(1, 'persisted\n');
setInterval(() => undefined, 60_000); // the rest of the app's work, until killed
