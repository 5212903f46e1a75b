// TLS to cTrader: verification always on, TLS 1.2 at least, and a refusal that says why. The
// certificates are made at test time; the client trusts the test CA only through the constructor
// parameter production code never sets.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CTraderConnection } from '../../core/venues/ctrader/ctrader-connection.ts';
import { PayloadType } from '../../core/venues/ctrader/payload-types.ts';
import { TlsRefusedError } from '../../core/venues/ctrader/tls-refusal.ts';
import { makeTestCertificates, type KeyPair, type TestCertificates } from '../support/test-certificates.ts';
import { startTlsWebSocketServer, type TlsWebSocketServer } from '../support/tls-websocket-server.ts';

let certs: TestCertificates;
const servers: TlsWebSocketServer[] = [];
beforeAll(() => {
  certs = makeTestCertificates();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A server answering ApplicationAuthReq the way cTrader does. */
async function serve(pair: KeyPair, versions?: Parameters<typeof startTlsWebSocketServer>[2]) {
  const server = await startTlsWebSocketServer(
    pair,
    (socket) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { clientMsgId?: string; payloadType: number };
        if (message.payloadType === PayloadType.applicationAuthReq)
          socket.send(
            JSON.stringify({
              clientMsgId: message.clientMsgId,
              payloadType: PayloadType.applicationAuthRes,
              payload: {},
            }),
          );
      });
    },
    versions,
  );
  servers.push(server);
  return { host: server.host, port: server.port };
}

async function refusal(pair: KeyPair, versions?: Parameters<typeof startTlsWebSocketServer>[2]) {
  const endpoint = await serve(pair, versions);
  const error = await CTraderConnection.open(endpoint, { ca: certs.ca }).then(
    (connection) => {
      connection.close();
      return null;
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TlsRefusedError);
  return error as TlsRefusedError;
}

describe('cTrader TLS', () => {
  it('connects to a server whose certificate the trusted CA issued, and talks', async () => {
    const connection = await CTraderConnection.open(await serve(certs.valid), { ca: certs.ca });
    const answer = await connection.request(PayloadType.applicationAuthReq, {
      clientId: 'id',
      clientSecret: 's',
    });
    expect(answer.payloadType).toBe(PayloadType.applicationAuthRes);
    connection.close();
  });

  it('refuses a self-signed certificate', async () => {
    const error = await refusal(certs.selfSigned);
    expect(error.reason).toBe('untrusted');
    expect(error.message).toMatch(/self-signed or not issued by a trusted authority/);
  });

  it('refuses an expired certificate', async () => {
    const error = await refusal(certs.expired);
    expect(error.reason).toBe('expired');
    expect(error.message).toMatch(/has expired/);
  });

  it('refuses a certificate for another host name', async () => {
    const error = await refusal(certs.wrongHost);
    expect(error.reason).toBe('wrong_host');
    expect(error.message).toMatch(/issued for another host name/);
  });

  it('refuses a server that offers only TLS 1.1', async () => {
    const error = await refusal(certs.valid, { min: 'TLSv1', max: 'TLSv1.1' });
    expect(error.reason).toBe('old_protocol');
    expect(error.message).toMatch(/does not offer TLS 1.2 or newer/);
  });

  it('without the test CA, even the valid loopback certificate is refused (system roots only)', async () => {
    const endpoint = await serve(certs.valid);
    await expect(CTraderConnection.open(endpoint)).rejects.toThrow(TlsRefusedError);
  });
});

describe('no TLS override outside tests', () => {
  const roots = ['core', 'electron', 'bin', 'scripts', 'renderer/src'];
  const forbidden = [
    /rejectUnauthorized\s*:\s*false/,
    /NODE_TLS_REJECT_UNAUTHORIZED/,
    /checkServerIdentity\s*:/,
  ];

  function* sources(dir: string): Generator<string> {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('dist')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) yield* sources(full);
      else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) yield full;
    }
  }

  it('no source file disables certificate verification', () => {
    const offenders: string[] = [];
    let scanned = 0;
    for (const root of roots) {
      for (const file of sources(path.resolve(root))) {
        scanned++;
        const text = readFileSync(file, 'utf8');
        for (const pattern of forbidden) if (pattern.test(text)) offenders.push(`${file}: ${pattern.source}`);
      }
    }
    expect(scanned).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
