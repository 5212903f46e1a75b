// Who may use the API: a script with `Authorization: Bearer <token>`, or a browser holding the
// session cookie it got from a one-time login link. The cookie is HttpOnly (page scripts cannot read
// it) and SameSite=Strict (other sites' requests do not carry it); requests from another port of
// the same host still carry it, which is why the Origin check runs before this one.
import { sameSecret, sessionCredential } from './access-token.ts';
import { LoginCodes } from './login-codes.ts';

/** A logged-in browser stays logged in this long, across server restarts while the token stays. */
const sessionMaxAgeSeconds = 30 * 24 * 3600;

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

export class ServerAuth {
  readonly codes = new LoginCodes();
  readonly #token: string;
  readonly #session: string;
  /** Per port: cookies ignore ports, and two servers on one machine must not log each other out. */
  cookieName = 'autobot_session';

  constructor(token: string) {
    this.#token = token;
    this.#session = sessionCredential(token);
  }

  isAuthorized(headers: { authorization?: string | undefined; cookie?: string | undefined }): boolean {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return sameSecret(bearer, this.#token);
    const cookie = cookieValue(headers.cookie, this.cookieName);
    return cookie !== undefined && sameSecret(cookie, this.#session);
  }

  /** The Set-Cookie header a redeemed login link answers with. */
  sessionCookie(): string {
    return `${this.cookieName}=${this.#session}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${sessionMaxAgeSeconds}`;
  }
}
