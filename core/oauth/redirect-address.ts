// Reads the address the browser was sent back to, whether it reached our loopback listener or the
// user pasted it: the code is taken only when `state` is ours, and an error answer is reported in
// the words the server gave.

export class OAuthError extends Error {
  /** `state_mismatch`, `access_denied`, `invalid_grant`… */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'OAuthError';
    this.code = code;
  }
}

export function codeFromRedirect(address: string, expectedState: string): string {
  let url: URL;
  try {
    url = new URL(address.trim(), 'http://127.0.0.1');
  } catch {
    throw new OAuthError(
      'invalid_redirect',
      'redirect address: not an address; paste the whole address from the browser bar',
    );
  }
  const error = url.searchParams.get('error');
  if (error)
    throw new OAuthError(
      error,
      `cTrader refused the authorisation: ${url.searchParams.get('error_description') ?? error}`,
    );
  const state = url.searchParams.get('state');
  if (state !== expectedState)
    throw new OAuthError(
      'state_mismatch',
      'redirect address: its state does not match this sign-in (an old or foreign link); start Connect again',
    );
  const code = url.searchParams.get('code');
  if (!code) throw new OAuthError('invalid_redirect', 'redirect address: it carries no code');
  return code;
}
