// GET /login?code=… turns a one-time code into the browser's session cookie and opens the UI;
// POST /api/login-link (for a caller already holding the token: `autobot login-link`, a script)
// mints a fresh link for another browser or device.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { CallResult } from '../contract/result.ts';
import { mintedCodeLifetimeMs } from './login-codes.ts';
import type { ServerAuth } from './server-auth.ts';

const refusedPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>AUTOBOT login link</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>This login link does not work</h1>
<p>A login link opens AUTOBOT once, in one browser, and a link made with <code>autobot login-link</code>
expires after ten minutes. Get a fresh one: run <code>autobot login-link --url &lt;this server's address&gt;</code>
on the machine running <code>autobot serve</code>, or restart <code>autobot serve</code> and open the link it prints.</p>
</body></html>`;

export function loginRoute(auth: ServerAuth): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    scope.get<{ Querystring: { code?: string } }>('/login', async (request, reply) => {
      const code = request.query.code;
      reply.header('cache-control', 'no-store');
      if (typeof code !== 'string' || !auth.codes.redeem(code))
        return reply.code(401).type('text/html; charset=utf-8').send(refusedPage);
      // 303: the browser forgets /login?code=… and lands on the UI with a plain GET.
      return reply.header('set-cookie', auth.sessionCookie()).redirect('/', 303);
    });

    scope.post('/api/login-link', async (request, reply) => {
      const result: CallResult<{ url: string; expiresInSeconds: number }> = {
        ok: true,
        value: {
          url: `${request.protocol}://${request.headers.host}/login?code=${auth.codes.issue()}`,
          expiresInSeconds: mintedCodeLifetimeMs / 1000,
        },
      };
      return reply.type('application/json').send(JSON.stringify(result));
    });
  };
}
