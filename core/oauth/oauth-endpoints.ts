// Where cTrader's OAuth lives (/work/shared/docs/venues.md), and the loopback redirect we register.
// The redirect URI must be registered on the user's Open API application, so it is a fixed port.

export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
}

export const ctraderOAuth: OAuthEndpoints = {
  authorizeUrl: 'https://openapi.ctrader.com/apps/auth',
  tokenUrl: 'https://openapi.ctrader.com/apps/token',
};

/** The port the user registers with http://127.0.0.1:PORT/callback on their cTrader application. */
export const defaultRedirectPort = 53_682;
export const redirectPath = '/callback';

export function loopbackRedirectUri(port: number = defaultRedirectPort): string {
  return `http://127.0.0.1:${port}${redirectPath}`;
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scope: 'trading' | 'accounts';
  state: string;
  codeChallenge: string;
}

export function authorizationUrl(endpoints: OAuthEndpoints, request: AuthorizationRequest): string {
  const url = new URL(endpoints.authorizeUrl);
  url.searchParams.set('client_id', request.clientId);
  url.searchParams.set('redirect_uri', request.redirectUri);
  url.searchParams.set('scope', request.scope);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', request.state);
  url.searchParams.set('code_challenge', request.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}
