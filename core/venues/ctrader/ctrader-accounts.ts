// The cTrader side of the Account page: the user's application, and for Demo and Live each the
// sign-in in progress, the stored tokens and a venue connected with them. Demo and Live never share
// anything: each has its own keychain slots, sign-in, token session and connection.
import { startConnectFlow, type ConnectFlow } from '../../oauth/connect-flow.ts';
import {
  ctraderOAuth,
  defaultRedirectPort,
  loopbackRedirectUri,
  type OAuthEndpoints,
} from '../../oauth/oauth-endpoints.ts';
import { SessionTokens } from '../../oauth/session-tokens.ts';
import { TokenClient } from '../../oauth/token-client.ts';
import { TokenVault } from '../../oauth/token-vault.ts';
import { AutobotError } from '../../domain/autobot-error.ts';
import type { CTraderStatus } from '../../contract/ctrader-calls.ts';
import type { ApiKeyVault } from '../../secrets/api-key-vault.ts';
import type { SecretStore } from '../../secrets/secret-store.ts';
import { CTraderVenue } from './ctrader-venue.ts';
import type { CTraderEnvironment } from './ctrader-endpoints.ts';
import type { Endpoint } from './tls-websocket.ts';
import type { ApplicationCredentials } from './token-source.ts';

/** Where the application's id and secret live in the API-key vault. */
export const ctraderProvider = 'ctrader';

export interface CTraderAccountsOptions {
  secrets: SecretStore;
  vault: ApiKeyVault;
  /** Shows the authorisation page: Electron's shell.openExternal; the headless host prints it. */
  openBrowser: (url: string) => void | Promise<void>;
  /** Test-only: a loopback authorisation server, Open API peer and their CA. Production sets none. */
  testHooks?:
    | {
        oauth?: OAuthEndpoints;
        endpoints?: Partial<Record<CTraderEnvironment, Endpoint>>;
        ca?: string;
        redirectPort?: number;
      }
    | undefined;
}

interface Environment {
  flow: ConnectFlow | null;
  /** Settles when the sign-in in progress has ended and its venue has tried to connect. */
  started: Promise<void>;
  venue: CTraderVenue | null;
  reason: string | null;
}

const environments: readonly CTraderEnvironment[] = ['demo', 'live'];

export class CTraderAccounts {
  readonly #options: CTraderAccountsOptions;
  readonly #state: Record<CTraderEnvironment, Environment> = {
    demo: { flow: null, started: Promise.resolve(), venue: null, reason: null },
    live: { flow: null, started: Promise.resolve(), venue: null, reason: null },
  };

  constructor(options: CTraderAccountsOptions) {
    this.#options = options;
  }

  /** The connected venue of an environment, for bots; null when not connected. */
  venue(environment: CTraderEnvironment): CTraderVenue | null {
    return this.#state[environment].venue;
  }

  async saveApplication(application: ApplicationCredentials): Promise<void> {
    await this.#options.vault.save(ctraderProvider, {
      key: application.clientId,
      secret: application.clientSecret,
    });
  }

  /** Starts a sign-in; the one listening port means one sign-in at a time, so another is cancelled. */
  async connect(environment: CTraderEnvironment): Promise<string> {
    const application = await this.#application();
    for (const other of environments) this.#state[other].flow?.cancel();
    const hooks = this.#options.testHooks;
    const flow = await startConnectFlow({
      endpoints: hooks?.oauth ?? ctraderOAuth,
      clientId: application.clientId,
      client: this.#client(application),
      vault: this.#vault(environment),
      port: hooks?.redirectPort ?? defaultRedirectPort,
      openBrowser: this.#options.openBrowser,
    });
    const state = this.#state[environment];
    state.flow = flow;
    state.reason = null;
    state.started = flow.done.then(
      () => {
        if (state.flow === flow) state.flow = null;
        return this.#startVenue(environment, application);
      },
      (error: unknown) => {
        if (state.flow === flow) state.flow = null;
        state.reason = error instanceof Error ? error.message : String(error);
      },
    );
    return flow.url;
  }

  /**
   * At host start: every environment whose token pair is stored (and that `allowed` lets through,
   * the licence's say) connects again with it, without a sign-in. Failures land in the status's
   * reason, as for a fresh connect; nothing here throws.
   */
  async resumeStored(allowed: (environment: CTraderEnvironment) => Promise<boolean>): Promise<void> {
    await Promise.all(
      environments.map(async (environment) => {
        try {
          if ((await this.#vault(environment).read()) === null || !(await allowed(environment))) return;
          if (this.#state[environment].venue !== null || this.#state[environment].flow !== null) return;
          await this.#startVenue(environment, await this.#application());
        } catch (error) {
          this.#state[environment].reason = error instanceof Error ? error.message : String(error);
        }
      }),
    );
  }

  /** The "paste the address you were redirected to" fallback; resolves once the venue tried to connect. */
  async pasteRedirect(environment: CTraderEnvironment, address: string): Promise<void> {
    const { flow, started } = this.#state[environment];
    if (!flow)
      throw new AutobotError(
        'invalid_input',
        `address: no ${environment} sign-in is waiting; press Connect first`,
      );
    try {
      flow.pasteAddress(address);
    } catch (error) {
      throw new AutobotError('invalid_input', error instanceof Error ? error.message : String(error));
    }
    await started;
  }

  /** The host is closing: connections and sign-ins end, stored tokens stay for the next start. */
  close(): void {
    for (const environment of environments) {
      const state = this.#state[environment];
      state.flow?.cancel();
      state.flow = null;
      void state.venue?.disconnect();
      state.venue = null;
    }
  }

  async disconnect(environment: CTraderEnvironment): Promise<void> {
    const state = this.#state[environment];
    state.flow?.cancel();
    state.flow = null;
    await state.venue?.disconnect();
    state.venue = null;
    state.reason = null;
    await this.#vault(environment).clear();
  }

  async status(): Promise<CTraderStatus> {
    const stored = (await this.#options.vault.list()).find(
      (credential) => credential.provider === ctraderProvider,
    );
    return {
      application: { configured: stored !== undefined, clientIdHint: stored?.keyHint ?? null },
      redirectUri: loopbackRedirectUri(this.#options.testHooks?.redirectPort ?? defaultRedirectPort),
      environments: await Promise.all(
        environments.map(async (environment) => {
          const state = this.#state[environment];
          const tokens = await this.#vault(environment).read();
          const venue = state.venue;
          return {
            environment,
            tokenStored: tokens !== null,
            tokenExpiresAt: tokens?.expiresAt ?? null,
            connection: venue?.connectionState ?? 'disconnected',
            reason: state.reason,
            accounts: (venue?.accounts ?? []).map((account) => ({
              ...account,
              balance:
                account.ctidTraderAccountId === venue?.accountId ? (venue.trader?.balance ?? null) : null,
            })),
            authorizationUrl: state.flow?.url ?? null,
          };
        }),
      ),
    };
  }

  async #startVenue(environment: CTraderEnvironment, application: ApplicationCredentials): Promise<void> {
    const state = this.#state[environment];
    await state.venue?.disconnect();
    const hooks = this.#options.testHooks;
    const venue = new CTraderVenue({
      environment,
      application,
      tokens: new SessionTokens({ vault: this.#vault(environment), client: this.#client(application) }),
      endpoint: hooks?.endpoints?.[environment],
      ca: hooks?.ca,
    });
    venue.onEvent((event) => {
      if (event.type === 'connection')
        state.reason = event.state === 'connected' ? null : (event.reason ?? null);
    });
    state.venue = venue;
    try {
      await venue.connect();
    } catch (error) {
      state.reason = error instanceof Error ? error.message : String(error);
    }
  }

  async #application(): Promise<ApplicationCredentials> {
    try {
      const credential = await this.#options.vault.reveal(ctraderProvider);
      return { clientId: credential.key, clientSecret: credential.secret };
    } catch {
      throw new AutobotError(
        'not_found',
        "Enter your cTrader Open API application's client id and secret first (docs/ctrader.md).",
      );
    }
  }

  #vault(environment: CTraderEnvironment): TokenVault {
    return new TokenVault(this.#options.secrets, `ctrader.${environment}`);
  }

  #client(application: ApplicationCredentials): TokenClient {
    return new TokenClient({
      tokenUrl: (this.#options.testHooks?.oauth ?? ctraderOAuth).tokenUrl,
      ...application,
      ca: this.#options.testHooks?.ca,
    });
  }
}
