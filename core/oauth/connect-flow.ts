// Connecting an account (RFC 8252): PKCE and state made, the loopback listener started, the
// authorisation page opened in the system browser (Electron: shell.openExternal; headless: the link
// printed), and the code — from the redirect or a pasted address — exchanged at once (cTrader's
// codes live 60 s), the pair written to the keychain before the flow reports success.
import { authorizationUrl, loopbackRedirectUri, type OAuthEndpoints } from './oauth-endpoints.ts';
import { listenForRedirect, type LoopbackRedirect } from './loopback-redirect.ts';
import { createPkce, createState } from './pkce.ts';
import type { TokenClient } from './token-client.ts';
import type { StoredTokens, TokenVault } from './token-vault.ts';

export interface ConnectFlowOptions {
  endpoints: OAuthEndpoints;
  clientId: string;
  client: TokenClient;
  vault: TokenVault;
  port: number;
  /** Shows the authorisation page: the system browser, or printing the link. */
  openBrowser: (url: string) => void | Promise<void>;
  scope?: 'trading' | 'accounts';
  timeoutMs?: number;
}

export interface ConnectFlow {
  /** The authorisation page, for a host that prints it. */
  url: string;
  /** For the "paste the address you were redirected to" fallback. */
  pasteAddress(address: string): void;
  cancel(): void;
  /** Resolves once the pair is in the keychain. */
  done: Promise<StoredTokens>;
}

export async function startConnectFlow(options: ConnectFlowOptions): Promise<ConnectFlow> {
  const pkce = createPkce();
  const state = createState();
  const redirectUri = loopbackRedirectUri(options.port);
  const redirect: LoopbackRedirect = await listenForRedirect({
    port: options.port,
    state,
    timeoutMs: options.timeoutMs,
  });
  const url = authorizationUrl(options.endpoints, {
    clientId: options.clientId,
    redirectUri,
    scope: options.scope ?? 'trading',
    state,
    codeChallenge: pkce.challenge,
  });
  const done = (async () => {
    const code = await redirect.code;
    const pair = await options.client.exchangeCode(code, redirectUri, pkce.verifier);
    return options.vault.write(pair);
  })();
  done.catch(() => undefined);
  try {
    await options.openBrowser(url);
  } catch (error) {
    redirect.close();
    throw error;
  }
  return {
    url,
    pasteAddress: (address) => redirect.pasteAddress(address),
    cancel: () => redirect.close(),
    done,
  };
}
