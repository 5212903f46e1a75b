// Opens the WebSocket to a cTrader endpoint over verified TLS 1.2+. Verification cannot be turned
// off here: the only knob is an extra trust anchor (`ca`), which exists so tests can trust the CA
// they generate for their loopback peer. Production code never passes it (the system's roots are
// used), and a test scans the sources for the usual ways of disabling verification.
import WebSocket from 'ws';
import { tlsRefusal } from './tls-refusal.ts';

export interface Endpoint {
  host: string;
  port: number;
}

export interface TlsWebSocketOptions {
  /** Test-only trust anchor (PEM) for a loopback peer; never set by production code. */
  ca?: string | undefined;
  /** Gives up the handshake after this long. */
  connectTimeoutMs?: number | undefined;
}

export function endpointName(endpoint: Endpoint): string {
  return `${endpoint.host}:${endpoint.port}`;
}

/** Resolves with the open socket, or rejects with a TlsRefusedError or the network error. */
export function openTlsWebSocket(endpoint: Endpoint, options: TlsWebSocketOptions = {}): Promise<WebSocket> {
  const name = endpointName(endpoint);
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`wss://${name}/`, {
      minVersion: 'TLSv1.2',
      // Spelled out although it is Node's default, so no option spread can ever weaken it.
      rejectUnauthorized: true,
      ...(options.ca === undefined ? {} : { ca: options.ca }),
      handshakeTimeout: options.connectTimeoutMs ?? 15_000,
      perMessageDeflate: false,
    });
    const fail = (error: unknown) => {
      socket.removeAllListeners('open');
      socket.terminate();
      const refused = tlsRefusal(name, error);
      if (refused) reject(refused);
      else
        reject(
          new Error(
            `Could not connect to ${name}: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          ),
        );
    };
    socket.once('error', fail);
    socket.once('open', () => {
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
