// A WebSocket server over TLS on 127.0.0.1 with the certificate and protocol versions a test
// chooses: the transport under the loopback cTrader peer, and the target of the TLS refusal tests.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SecureVersion } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KeyPair } from './test-certificates.ts';

export interface TlsWebSocketServer {
  host: '127.0.0.1';
  port: number;
  sockets: Set<WebSocket>;
  close(): Promise<void>;
}

export async function startTlsWebSocketServer(
  pair: KeyPair,
  onSocket: (socket: WebSocket) => void,
  versions: { min?: SecureVersion; max?: SecureVersion } = {},
): Promise<TlsWebSocketServer> {
  const legacy = versions.max === 'TLSv1.1' || versions.max === 'TLSv1';
  const server: Server = createServer({
    key: pair.key,
    cert: pair.cert,
    minVersion: versions.min ?? 'TLSv1.2',
    ...(versions.max ? { maxVersion: versions.max } : {}),
    // OpenSSL 3 refuses TLS 1.0/1.1 at the default security level: a legacy-only server needs 0.
    ...(legacy ? { ciphers: 'DEFAULT@SECLEVEL=0' } : {}),
  });
  const wss = new WebSocketServer({ server });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    onSocket(socket);
  });
  server.on('tlsClientError', () => undefined); // a refused client is what some tests want
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    sockets,
    close: async () => {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
