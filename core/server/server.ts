// The headless host: the same contract the Electron preload exposes, over HTTP and WebSocket, plus
// the built renderer. It binds to 127.0.0.1 by default and refuses cross-site requests, because a
// trading API on localhost is reachable from any web page the user opens (DNS rebinding, CSRF).
import { existsSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import { calls, callNames } from '../contract/calls.ts';
import type { CallResult } from '../contract/result.ts';
import type { App } from '../app/app.ts';
import { isAllowedRequest } from './request-guard.ts';
import { sendResult } from './send-result.ts';
import { attachWebSocket } from './websocket.ts';

export interface ServerOptions {
  app: App;
  host?: string;
  port?: number;
  /** Directory of the built renderer (index.html); the API works without it. */
  rendererDir?: string;
  logger?: boolean;
}

export interface RunningServer {
  url: string;
  server: FastifyInstance;
  close(): Promise<void>;
}

const maxBodyBytes = 600 * 1024 * 1024;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { app } = options;
  const host = options.host ?? '127.0.0.1';
  const server = Fastify({
    logger: options.logger ?? false,
    bodyLimit: maxBodyBytes,
    forceCloseConnections: true,
  });

  server.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!isAllowedRequest({ host: request.headers.host, origin: request.headers.origin }, host)) {
      const result: CallResult = {
        ok: false,
        error: { code: 'forbidden_sender', message: 'Request refused: foreign Host or Origin header.' },
      };
      return reply.code(403).send(result);
    }
  });

  // Any body is handed to the contract as it is: a JSON syntax error becomes invalid_input, not a 500.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await server.register(fastifyWebsocket, { options: { maxPayload: maxBodyBytes } });

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
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shownHost}:${port}`, server, close: () => server.close() };
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
