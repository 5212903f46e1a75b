// The RFC 8252 loopback redirect: an HTTP listener on 127.0.0.1 (never a wildcard address) at the
// registered port, for the single request the browser makes after the user approves. A request with
// a wrong state is refused and the listener keeps waiting for the real one; the first good code
// ends it. The user can paste the address instead (pasteAddress), for when the browser runs
// elsewhere or the port is taken.
import { createServer } from 'node:http';
import { codeFromRedirect, OAuthError } from './redirect-address.ts';
import { redirectPath } from './oauth-endpoints.ts';

export interface LoopbackRedirect {
  /** Resolves with the code, or rejects on timeout or close. */
  code: Promise<string>;
  /** Takes an address the user pasted; throws (and keeps waiting) when it is not the answer. */
  pasteAddress(address: string): void;
  close(): void;
}

const page = (title: string, body: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif"><h1>${title}</h1><p>${body}</p>`;

export async function listenForRedirect(options: {
  port: number;
  state: string;
  timeoutMs?: number;
}): Promise<LoopbackRedirect> {
  let settle!: { resolve: (code: string) => void; reject: (error: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  let done = false;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== redirectPath || done) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(page('Not found', ''));
      return;
    }
    try {
      const found = codeFromRedirect(url.href, options.state);
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('AUTOBOT is connected', 'You can close this window and return to AUTOBOT.'));
      finish(null, found);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response
        .writeHead(400, { 'content-type': 'text/html; charset=utf-8' })
        .end(page('Sign-in refused', message));
      // A refusal by cTrader (the user said no) ends the sign-in; a foreign state does not.
      if (error instanceof OAuthError && error.code !== 'state_mismatch' && error.code !== 'invalid_redirect')
        finish(error);
    }
  });
  const timer = setTimeout(
    () => finish(new OAuthError('timeout', 'No answer from the browser: start Connect again')),
    options.timeoutMs ?? 5 * 60_000,
  );
  function finish(error: Error | null, found?: string) {
    if (done) return;
    done = true;
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
    if (error) settle.reject(error);
    else settle.resolve(found!);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new OAuthError(
              'port_in_use',
              `Port ${options.port} on 127.0.0.1 is taken: close what uses it, or paste the redirected address`,
            )
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return {
    code,
    pasteAddress: (address) => finish(null, codeFromRedirect(address, options.state)),
    close: () => finish(new OAuthError('cancelled', 'Sign-in cancelled')),
  };
}
