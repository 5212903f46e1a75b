// The headless host: the same contract the Electron preload exposes, over HTTP and WebSocket, plus
// the built renderer. It binds to 127.0.0.1 by default, refuses cross-site requests (DNS rebinding,
// CSRF: a trading API on localhost is reachable from any web page the user opens), and answers the
// API only to holders of its token: a script's bearer header or a browser's login-link cookie.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { calls, callNames } from '../contract/calls.ts';
import type { CallResult } from '../contract/result.ts';
import type { App } from '../app/app.ts';
import { loadAccessToken, type AccessToken } from './access-token.ts';
import { loginRoute } from './login-route.ts';
import { maxCallBodyBytes, maxWebSocketMessageBytes, payloadTooLarge } from './payload-limits.ts';
import { assertBindable, bindsLoopbackOnly, isAllowedRequest } from './request-guard.ts';
import { securityHeaders } from './security-headers.ts';
import { sendResult } from './send-result.ts';
import { ServerAuth } from './server-auth.ts';
import { attachWebSocket } from './websocket.ts';
import { uploadRoute } from './upload-route.ts';
import { closeLingeringly } from './linger-close.ts';

export interface ServerOptions {
  app: App;
  host?: string;
  port?: number;
  /** Host names clients use besides loopback ones; required to bind beyond loopback. */
  allowedHosts?: readonly string[];
  /** Directory of the built renderer (index.html); the API works without it. */
  rendererDir?: string;
  /** The API token; by default the one kept in app.secrets (made on first start). */
  accessToken?: AccessToken;
  logger?: boolean;
}

export interface RunningServer {
  url: string;
  server: FastifyInstance;
  /** The bearer token scripts send, and where it lives (see access-token.ts). */
  accessToken: AccessToken;
  /** A fresh one-time login link for a browser, valid until used or until the server stops. */
  loginLink(): string;
  close(): Promise<void>;
}

function refusal(code: 'forbidden_sender' | 'unauthorized', message: string): CallResult {
  return { ok: false, error: { code, message } };
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app } = options;
  const host = options.host ?? '127.0.0.1';
  const allowedHosts = options.allowedHosts ?? [];
  assertBindable(host, allowedHosts);
  const accessToken = options.accessToken ?? (await loadAccessToken(app.secrets));
  const auth = new ServerAuth(accessToken.token);

  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: maxCallBodyBytes,
    forceCloseConnections: true,
  });

  // Registered before the guard's hook: its own hook marks upgrade requests, so a refused upgrade's
  // socket is destroyed after the answer instead of staying open.
  await server.register(fastifyWebsocket, { options: { maxPayload: maxWebSocketMessageBytes } });

  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(securityHeaders);
    if (!isAllowedRequest({ host: request.headers.host, origin: request.headers.origin }, allowedHosts)) {
      return reply
        .code(403)
        .send(refusal('forbidden_sender', 'Request refused: foreign Host or Origin header.'));
    }
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      if (!auth.isAuthorized(request.headers))
        return reply
          .code(401)
          .send(
            refusal(
              'unauthorized',
              'This AUTOBOT server wants its token: open the login link `autobot serve` printed, or send `Authorization: Bearer <token>` (`autobot token` prints it).',
            ),
          );
    }
  });

  // Fastify's own refusals (a body over the limit, a broken stream) as the contract's error values.
  server.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The client may still be sending hundreds of megabytes: close rather than read them all, but
      // lingeringly, so the answer is read before the close (core/server/linger-close.ts).
      closeLingeringly(request.raw.socket);
      reply.header('connection', 'close');
      return reply.code(413).send(payloadTooLarge('The request body', maxCallBodyBytes));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500)
      return reply.code(status).send({ ok: false, error: { code: 'invalid_input', message: error.message } });
    server.log.error(error);
    return reply.code(500).send({ ok: false, error: { code: 'internal', message: 'The server failed.' } });
  });

  // Any body is handed to the contract as it is: a JSON syntax error becomes invalid_input, not a 500.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  server.get('/api/calls', async () =>
    callNames.map((name) => ({
      name,
      summary: calls[name].summary,
      access: calls[name].access,
    })),
  );

  server.post<{ Params: { name: string } }>('/api/call/:name', async (request, reply) => {
    const parsed = parseJsonBody(request.body);
    const result = parsed.ok ? await app.dispatch(request.params.name, parsed.value) : parsed;
    return sendResult(request, reply, result);
  });

  // The original design's /train and /predict: the same calls as /api/call/rl.train and rl.predict.
  for (const [route, name] of [
    ['/api/train', 'rl.train'],
    ['/api/predict', 'rl.predict'],
  ] as const) {
    server.post(route, async (request, reply) => {
      const parsed = parseJsonBody(request.body);
      return sendResult(request, reply, parsed.ok ? await app.dispatch(name, parsed.value) : parsed);
    });
  }

  await server.register(loginRoute(auth));
  await server.register(uploadRoute(app));

  server.register(async (scope) => {
    scope.get('/api/ws', { websocket: true }, (socket) => attachWebSocket(socket, app));
  });

  const rendererDir = options.rendererDir;
  if (rendererDir && existsSync(path.join(rendererDir, 'index.html'))) {
    await server.register(fastifyStatic, { root: path.resolve(rendererDir), wildcard: false });
    server.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/'))
        return reply
          .code(404)
          .send({ ok: false, error: { code: 'unknown_call', message: `No API route ${request.url}` } });
      return reply.sendFile('index.html');
    });
  } else {
    server.get('/', async (_request, reply) =>
      reply
        .type('text/plain')
        .send('AUTOBOT headless API is running. The UI is not built: run `npm run build:renderer`.'),
    );
  }

  await server.listen({ host, port: options.port ?? 8787 });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  auth.cookieName = `autobot_session_${port}`;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  // Bound to every interface, the link names the first host the operator allowed.
  const linkHost = bindsLoopbackOnly(host) ? shownHost : (allowedHosts[0] ?? shownHost);
  return {
    url,
    server,
    accessToken,
    loginLink: () => `http://${linkHost}:${port}/login?code=${auth.codes.issue(Infinity)}`,
    close: () => server.close(),
  };
}

function parseJsonBody(body: unknown): CallResult {
  if (body === undefined || body === null || body === '') return { ok: true, value: {} };
  if (typeof body !== 'string') return { ok: true, value: body };
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (error) {
    const message = `The request body is not valid JSON: ${(error as Error).message}`;
    return { ok: false, error: { code: 'invalid_input', message, issues: [{ path: '', message }] } };
  }
}
