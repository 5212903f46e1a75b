// POST /api/upload: a file streamed to <data dir>/uploads, answered with its id for candles.import
// ({ upload: id }). The body is never buffered or turned into a string, so its size is bounded only
// by maxUploadBytes, checked while it streams. The route sits behind the same onRequest hooks as
// every other route (Host/Origin guard, and the token once the server requires one).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { App } from '../app/app.ts';
import { AutobotError } from '../contract/errors.ts';
import type { CallResult } from '../contract/result.ts';
import { maxUploadBytes, tooLarge } from '../data/upload-store.ts';
import { closeLingeringly } from './linger-close.ts';
import { statusForResult } from './http-status.ts';

export function uploadRoute(app: App, maxBytes = maxUploadBytes): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    // Leave the body unread for the handler: whatever its type, it is streamed to disk as bytes.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));

    scope.post('/api/upload', async (request, reply) => {
      let result: CallResult;
      const declared = Number(request.headers['content-length']);
      try {
        if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
        result = { ok: true, value: await app.uploads.receive(request.raw, maxBytes) };
      } catch (error) {
        if (!(error instanceof AutobotError)) throw error;
        result = { ok: false, error: error.toCallError() };
        // The client may still be sending: close the connection rather than read the rest, but
        // lingeringly, so the refusal is read before the close (linger-close.ts).
        closeLingeringly(request.raw.socket);
        reply.header('connection', 'close');
      }
      return reply.code(statusForResult(result)).type('application/json').send(JSON.stringify(result));
    });
  };
}
