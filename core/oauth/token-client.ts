// The token endpoint: the authorisation code exchanged, and a refresh token traded for a new pair.
// cTrader takes both as a GET with query parameters and answers camelCase JSON. Over verified TLS
// only (https, TLS 1.2+); `ca` is a test-only trust anchor production never sets.
import { get } from 'node:https';
import { OAuthError } from './redirect-address.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms when the access token stops working. */
  expiresAt: number;
}

export interface TokenClientOptions {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** Test-only trust anchor (PEM); never set by production code. */
  ca?: string | undefined;
  now?: () => number;
}

export class TokenClient {
  readonly #options: TokenClientOptions;

  constructor(options: TokenClientOptions) {
    if (!options.tokenUrl.startsWith('https://'))
      throw new OAuthError('insecure_endpoint', `tokenUrl must be https, got ${options.tokenUrl}`);
    this.#options = options;
  }

  exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<TokenPair> {
    return this.#request({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
    });
  }

  refresh(refreshToken: string): Promise<TokenPair> {
    return this.#request({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  #request(params: Record<string, string>): Promise<TokenPair> {
    const url = new URL(this.#options.tokenUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    url.searchParams.set('client_id', this.#options.clientId);
    url.searchParams.set('client_secret', this.#options.clientSecret);
    const now = this.#options.now ?? Date.now;
    return new Promise((resolve, reject) => {
      const request = get(
        url,
        {
          minVersion: 'TLSv1.2',
          ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
          timeout: 30_000,
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            try {
              resolve(readAnswer(text, now()));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      request.on('timeout', () =>
        request.destroy(new OAuthError('timeout', 'The cTrader token endpoint did not answer')),
      );
      request.on('error', reject);
    });
  }
}

function readAnswer(text: string, now: number): TokenPair {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new OAuthError(
      'invalid_answer',
      `The token endpoint answered something that is not JSON: ${text.slice(0, 80)}`,
    );
  }
  if (body.errorCode || typeof body.accessToken !== 'string' || typeof body.refreshToken !== 'string') {
    const code = typeof body.errorCode === 'string' ? body.errorCode : 'invalid_answer';
    throw new OAuthError(code, `cTrader refused the token request: ${String(body.description ?? code)}`);
  }
  const expiresIn = Number(body.expiresIn);
  if (!(Number.isFinite(expiresIn) && expiresIn > 0))
    throw new OAuthError(
      'invalid_answer',
      `expiresIn must be a positive number of seconds, got ${String(body.expiresIn)}`,
    );
  return {
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    expiresAt: now + expiresIn * 1000,
  };
}
