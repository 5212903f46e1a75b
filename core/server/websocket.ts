// WebSocket transport: the same calls as HTTP ({type:"call", id, name, input} → {type:"result", id,
// result}) and every core event pushed as {type:"event", name, payload}.
import type { WebSocket } from 'ws';
import type { App } from '../app/app.ts';
import { jsonWithTypedArrays } from '../contract/binary-envelope.ts';
import type { CallResult } from '../contract/result.ts';

interface CallMessage {
  type: 'call';
  id: string | number;
  name: string;
  input?: unknown;
}

function parseCallMessage(data: string): CallMessage | null {
  try {
    const message = JSON.parse(data) as Partial<CallMessage>;
    if (message?.type === 'call' && (typeof message.id === 'string' || typeof message.id === 'number')) {
      return { type: 'call', id: message.id, name: String(message.name), input: message.input };
    }
  } catch {
    // fall through: answered below as invalid_input
  }
  return null;
}

export function attachWebSocket(socket: WebSocket, app: App): void {
  const send = (message: unknown) => {
    if (socket.readyState === socket.OPEN) socket.send(jsonWithTypedArrays(message));
  };
  const unsubscribe = app.events.subscribe((name, payload) => send({ type: 'event', name, payload }));
  socket.on('close', unsubscribe);
  socket.on('message', async (raw) => {
    const message = parseCallMessage(raw.toString());
    if (!message) {
      const result: CallResult = {
        ok: false,
        error: {
          code: 'invalid_input',
          message: 'A WebSocket message must be {"type":"call","id":…,"name":…,"input":…}.',
        },
      };
      send({ type: 'result', id: null, result });
      return;
    }
    send({ type: 'result', id: message.id, result: await app.dispatch(message.name, message.input) });
  });
}
