// A loopback stand-in for cTrader's OAuth server (openapi.ctrader.com/apps/...), over HTTPS with a
// test certificate: /apps/auth approves at once and redirects with a code and the caller's state;
// /apps/token (GET, camelCase answers) exchanges a code once, within 60 s, checking the redirect
// URI, the application and the PKCE verifier, and trades a refresh token once for a new pair.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { KeyPair } from './test-certificates.ts';

interface IssuedCode {
  redirectUri: string;
  challenge: string | null;
  issuedAt: number;
  used: boolean;
}

export class OAuthServer {
  readonly counts = { exchanges: 0, refreshes: 0, refused: 0 };
  /** Every token request's grant type and outcome, in order. */
  readonly log: string[] = [];
  accessToken: string | null = null;
  refreshToken: string | null = null;
  /** Told of every pair issued (the Open API peer must accept its access token). */
  onIssue: ((accessToken: string) => void) | null = null;
  /** The PKCE verifier of every successful exchange matched its challenge. */
  pkceVerified = 0;
  readonly #codes = new Map<string, IssuedCode>();
  readonly #server: Server;
  readonly #clientId: string;
  readonly #clientSecret: string;

  private constructor(server: Server, clientId: string, clientSecret: string) {
    this.#server = server;
    this.#clientId = clientId;
    this.#clientSecret = clientSecret;
  }

  static async start(pair: KeyPair, clientId: string, clientSecret: string): Promise<OAuthServer> {
    const server = createServer({ key: pair.key, cert: pair.cert, minVersion: 'TLSv1.2' });
    const oauth = new OAuthServer(server, clientId, clientSecret);
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', 'https://127.0.0.1');
      const answer = (status: number, body: Record<string, unknown>) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/apps/auth') {
        const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
        const code = randomBytes(12).toString('hex');
        oauth.#codes.set(code, {
          redirectUri: redirect.toString(),
          challenge: url.searchParams.get('code_challenge'),
          issuedAt: Date.now(),
          used: false,
        });
        redirect.searchParams.set('code', code);
        redirect.searchParams.set('state', url.searchParams.get('state') ?? '');
        response.writeHead(302, { location: redirect.toString() }).end();
        return;
      }
      if (url.pathname !== '/apps/token') return answer(404, { errorCode: 'NOT_FOUND' });
      answer(200, oauth.#token(url.searchParams));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return oauth;
  }

  get origin(): string {
    return `https://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get endpoints() {
    return { authorizeUrl: `${this.origin}/apps/auth`, tokenUrl: `${this.origin}/apps/token` };
  }

  /** Starts the session with a pair the test chooses (as if connected earlier). */
  seed(accessToken: string, refreshToken: string): void {
    this.accessToken = accessToken;
    this.refreshToken = refreshToken;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #refuse(grant: string, errorCode: string, description: string): Record<string, unknown> {
    this.counts.refused++;
    this.log.push(`${grant}:refused:${errorCode}`);
    return { errorCode, description };
  }

  #token(params: URLSearchParams): Record<string, unknown> {
    const grant = params.get('grant_type') ?? '';
    if (params.get('client_id') !== this.#clientId || params.get('client_secret') !== this.#clientSecret)
      return this.#refuse(grant, 'ACCESS_DENIED', 'unknown application');
    if (grant === 'authorization_code') {
      const issued = this.#codes.get(params.get('code') ?? '');
      if (!issued) return this.#refuse(grant, 'INVALID_REQUEST', 'unknown code');
      if (issued.used) return this.#refuse(grant, 'INVALID_REQUEST', 'code already used');
      if (Date.now() - issued.issuedAt > 60_000)
        return this.#refuse(grant, 'INVALID_REQUEST', 'code expired');
      if (params.get('redirect_uri') !== issued.redirectUri)
        return this.#refuse(grant, 'INVALID_REQUEST', 'redirect_uri differs');
      if (issued.challenge !== null) {
        const verifier = params.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge)
          return this.#refuse(grant, 'INVALID_REQUEST', 'PKCE verifier does not match');
        this.pkceVerified++;
      }
      issued.used = true;
      this.counts.exchanges++;
      return this.#issue(grant);
    }
    if (grant === 'refresh_token') {
      if (params.get('refresh_token') !== this.refreshToken || this.refreshToken === null)
        return this.#refuse(grant, 'ACCESS_DENIED', 'refresh token already used or unknown');
      this.counts.refreshes++;
      return this.#issue(grant);
    }
    return this.#refuse(grant, 'INVALID_REQUEST', `grant_type ${grant}`);
  }

  #issue(grant: string): Record<string, unknown> {
    this.accessToken = `at-${randomBytes(8).toString('hex')}`;
    this.refreshToken = `rt-${randomBytes(8).toString('hex')}`;
    this.log.push(`${grant}:ok`);
    this.onIssue?.(this.accessToken);
    return {
      accessToken: this.accessToken,
      refreshToken: this.refreshToken,
      tokenType: 'bearer',
      expiresIn: 2_628_000,
    };
  }
}
