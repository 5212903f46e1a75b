// Headless: calls are POSTed to /api/call/<name> (each answer is a CallResult, whatever the HTTP
// status); events arrive over one WebSocket that reconnects after the server restarts. The session
// cookie from the login link rides along on both (same origin); a 401 means there is none.
import type { EventName } from '../../../core/contract/calls.ts';
import { binaryEnvelopeType, decodeBinaryEnvelope } from '../../../core/contract/binary-envelope.ts';
import type { CallResult } from '../../../core/contract/result.ts';
import { session } from './session.ts';
import type { EventListener, Transport } from './transport.ts';

const reconnectDelayMs = 1000;

export function httpTransport(base: URL = new URL('/', window.location.href)): Transport {
  const listeners = new Set<EventListener>();
  let socket: WebSocket | null = null;

  const connect = () => {
    const url = new URL('api/ws', base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onmessage = (message) => {
      const data = JSON.parse(String(message.data)) as { type?: string; name?: string; payload?: unknown };
      if (data.type !== 'event' || typeof data.name !== 'string') return;
      for (const listener of listeners) listener(data.name as EventName, data.payload);
    };
    socket.onclose = () => {
      socket = null;
      if (listeners.size > 0 && !session.isLoggedOut()) setTimeout(connect, reconnectDelayMs);
    };
  };

  return {
    kind: 'headless',
    async call(name, input) {
      try {
        const response = await fetch(new URL(`api/call/${encodeURIComponent(name)}`, base), {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: `${binaryEnvelopeType}, application/json` },
          body: JSON.stringify(input ?? {}),
        });
        if (response.status === 401) session.markLoggedOut();
        // Candle columns come back as bytes: Float64Array views over the response, nothing parsed.
        if (response.headers.get('content-type')?.startsWith(binaryEnvelopeType)) {
          return decodeBinaryEnvelope(await response.arrayBuffer()) as CallResult;
        }
        return (await response.json()) as CallResult;
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `The AUTOBOT server did not answer (${error instanceof Error ? error.message : String(error)}). Is it still running?`,
          },
        };
      }
    },
    async upload(file) {
      try {
        // A Blob body is streamed from disk by the browser: the file is never one string in memory.
        const response = await fetch(new URL('api/upload', base), {
          method: 'POST',
          headers: { 'content-type': 'application/octet-stream' },
          body: file,
        });
        return (await response.json()) as CallResult<{ upload: string; bytes: number }>;
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'internal',
            message: `The upload did not reach the AUTOBOT server (${error instanceof Error ? error.message : String(error)}).`,
          },
        };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => {
        listeners.delete(listener);
        // After the current task: a page that re-subscribes at once (an effect re-running) keeps the
        // socket, instead of losing the events of the second before the reconnect.
        setTimeout(() => {
          if (listeners.size === 0) socket?.close();
        }, 0);
      };
    },
  };
}
