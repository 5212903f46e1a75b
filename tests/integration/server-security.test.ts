// The headless host against the local processes and web pages that can reach it: no framing, no
// API without the token, one-time login links, limits that answer instead of killing the server,
// and no bind beyond loopback without the host names to check.
import { randomBytes } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServer } from '../../core/server/server.ts';
import { authHeader, postCall, startTestHost } from '../support/headless-app.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let host: Awaited<ReturnType<typeof startTestHost>>;
let url: string;
let port: string;

beforeAll(async () => {
  host = await startTestHost();
  url = host.server.url;
  port = new URL(url).port;
});
afterAll(async () => host.stop());

/** A page served on another port of this machine: same site, other origin. */
const otherLocalOrigin = () => `http://127.0.0.1:${Number(port) === 65535 ? 65534 : Number(port) + 1}`;

const answersAppInfo = async () => (await postCall(url, 'app.info', {})).status === 200;

interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A request with exactly these headers (fetch would add its own Origin rules and cookies). */
function rawRequest(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const mib = 1024 * 1024;

/**
 * POSTs `totalBytes` of JSON-ish filler in 1 MiB chunks, never holding more than one chunk, and
 * stops writing as soon as the server answers. `declareLength` sends Content-Length up front;
 * without it the body is chunked and the server must count while it reads.
 */
function streamBody(totalBytes: number, declareLength: boolean): Promise<RawAnswer> {
  const chunk = Buffer.alloc(mib, 0x20);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/call/app.info',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...authHeader(url),
          ...(declareLength ? { 'content-length': String(totalBytes) } : {}),
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (part: string) => (body += part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    // Once the server has answered and closed, the rest of the upload fails to send: expected.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const pump = () => {
      while (!answered && sent < totalBytes) {
        sent += mib;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

describe('framing and browser hardening headers', () => {
  it('every answer forbids framing, sniffing and referrers: the UI, the API, a refusal and a 404', async () => {
    const answers = [
      await rawRequest('/', { headers: { host: `127.0.0.1:${port}` } }),
      await rawRequest('/api/call/app.info', {
        method: 'POST',
        headers: { host: `127.0.0.1:${port}`, ...authHeader(url) },
        body: '{}',
      }),
      await rawRequest('/api/call/app.info', { method: 'POST', headers: { host: `127.0.0.1:${port}` } }),
      await rawRequest('/api/nothing-here', { headers: { host: `127.0.0.1:${port}`, ...authHeader(url) } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 401, 404]);
    for (const { headers } of answers) {
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(headers['content-security-policy']).toContain("default-src 'self'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('the API token', () => {
  it('refuses a call without the token with unauthorized, saying where the token comes from', async () => {
    const { status, body } = await postCall(url, 'app.info', {}, { authorization: '' });
    expect(status).toBe(401);
    expect(body.error?.code).toBe('unauthorized');
    expect(body.error?.message).toMatch(/login link/);
  });

  it('refuses a wrong bearer token and answers the right one', async () => {
    const wrong = await postCall(url, 'app.info', {}, { authorization: `Bearer ${host.token}x` });
    expect(wrong.status).toBe(401);
    const right = await postCall(url, 'app.info', {}, { authorization: `Bearer ${host.token}` });
    expect(right.body).toMatchObject({ ok: true, value: { name: 'AUTOBOT' } });
  });

  it('is 32 random bytes and survives a restart on the same secret store', async () => {
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
    const again = await startServer({ app: host.app, port: 0 });
    try {
      expect(again.accessToken).toEqual({ token: host.token, source: 'secrets' });
    } finally {
      await again.close();
    }
  });

  it('keeps a page on another localhost port out, with or without the token (Origin check)', async () => {
    const origin = otherLocalOrigin();
    const without = await postCall(url, 'app.info', {}, { origin, authorization: '' });
    expect(without.status).toBe(403);
    expect(without.body.error?.code).toBe('forbidden_sender');
    // The session cookie ignores ports, so a same-site page's request would carry it: Origin decides.
    const withToken = await postCall(url, 'app.info', {}, { origin });
    expect(withToken.status).toBe(403);
    expect(withToken.body.error?.code).toBe('forbidden_sender');
  });

  it('refuses the WebSocket without the token, and from another origin even with it', async () => {
    const wsUrl = `${url.replace('http', 'ws')}/api/ws`;
    const refusal = (socket: WebSocket) =>
      new Promise<number>((resolve) => {
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('open', () => resolve(101));
      });
    expect(await refusal(new WebSocket(wsUrl))).toBe(401);
    expect(
      await refusal(new WebSocket(wsUrl, { headers: authHeader(url), origin: otherLocalOrigin() })),
    ).toBe(403);
    const allowed = new WebSocket(wsUrl, { headers: authHeader(url) });
    expect(await refusal(allowed)).toBe(101);
    allowed.close();
  });
});

describe('the one-time login link', () => {
  const hostHeader = () => ({ host: `127.0.0.1:${port}` });

  it('sets an HttpOnly, SameSite=Strict session cookie once, and the cookie opens the API', async () => {
    const link = new URL(host.server.loginLink());
    const first = await rawRequest(link.pathname + link.search, { headers: hostHeader() });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toContain(host.token);

    const session = cookie.split(';')[0]!;
    const call = await rawRequest('/api/call/app.info', {
      method: 'POST',
      headers: { ...hostHeader(), cookie: session },
      body: '{}',
    });
    expect(call.status).toBe(200);

    const second = await rawRequest(link.pathname + link.search, { headers: hostHeader() });
    expect(second.status).toBe(401);
    expect(second.headers['set-cookie']).toBeUndefined();
    expect(second.body).toMatch(/autobot login-link/);
  });

  it('refuses a made-up code and a forged cookie', async () => {
    expect((await rawRequest('/login?code=guess', { headers: hostHeader() })).status).toBe(401);
    const forged = await rawRequest('/api/call/app.info', {
      method: 'POST',
      headers: { ...hostHeader(), cookie: `autobot_session_${port}=${host.token}` },
      body: '{}',
    });
    expect(forged.status).toBe(401);
  });

  it('mints a fresh link for another browser to a caller holding the token, and to nobody else', async () => {
    const refused = await fetch(`${url}/api/login-link`, { method: 'POST' });
    expect(refused.status).toBe(401);
    const minted = (await (
      await fetch(`${url}/api/login-link`, { method: 'POST', headers: authHeader(url) })
    ).json()) as { ok: true; value: { url: string } };
    const link = new URL(minted.value.url);
    expect(link.host).toBe(`127.0.0.1:${port}`);
    expect((await rawRequest(link.pathname + link.search, { headers: hostHeader() })).status).toBe(303);
  });
});

describe('sizes no process can hold', () => {
  it('answers a 600 MB body declared up front with payload_too_large, and stays up', async () => {
    const answer = await streamBody(600 * mib, true);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      ok: false,
      error: { code: 'payload_too_large', message: expect.stringMatching(/larger than 64 MiB/) },
    });
    expect(await answersAppInfo()).toBe(true);
  });

  it('answers a 600 MB chunked body with payload_too_large while it streams, and stays up', async () => {
    const answer = await streamBody(600 * mib, false);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    expect(await answersAppInfo()).toBe(true);
  });

  it('closes on a 600 MB WebSocket frame with 1009 naming payload_too_large, and stays up', async () => {
    const closeFrame = await new Promise<Buffer>((resolve, reject) => {
      const upgrade = request({
        host: '127.0.0.1',
        port,
        path: '/api/ws',
        headers: {
          ...authHeader(url),
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': randomBytes(16).toString('base64'),
        },
      });
      upgrade.on('error', reject);
      upgrade.on('upgrade', (_response, socket: Socket) => {
        // One masked binary frame whose header declares 600 MiB, then its payload 1 MiB at a time.
        const header = Buffer.alloc(14);
        header[0] = 0x82;
        header[1] = 0x80 | 127;
        header.writeBigUInt64BE(BigInt(600 * mib), 2);
        randomBytes(4).copy(header, 10);
        let received = Buffer.alloc(0);
        let closed = false;
        socket.on('data', (data: Buffer) => {
          received = Buffer.concat([received, data]);
          closed = true;
        });
        socket.on('error', () => {
          closed = true;
        });
        socket.on('close', () => {
          closed = true;
          resolve(received);
        });
        const chunk = Buffer.alloc(mib);
        let sent = 0;
        const pump = () => {
          while (!closed && sent < 600 * mib) {
            sent += mib;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        socket.write(header);
        pump();
      });
      upgrade.end();
    });
    expect(closeFrame[0]).toBe(0x88);
    expect(closeFrame.readUInt16BE(2)).toBe(1009);
    expect(closeFrame.subarray(4, 2 + (closeFrame[1]! & 0x7f)).toString()).toMatch(
      /^payload_too_large: a message is at most 64 MiB/,
    );

    expect(await answersAppInfo()).toBe(true);
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/ws`, { headers: authHeader(url) });
    const answer = new Promise<unknown>((resolve) =>
      socket.on('message', (data) => resolve(JSON.parse(data.toString()))),
    );
    socket.once('open', () => socket.send(JSON.stringify({ type: 'call', id: 1, name: 'app.info' })));
    expect(await answer).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
    socket.close();
  });
});

describe('binding beyond loopback', () => {
  it('is refused without a list of allowed host names, in one sentence', async () => {
    const temp = makeTempDir();
    const { app } = await createLicensedTestApp({ dataDir: temp.dir });
    try {
      for (const bind of ['0.0.0.0', '127.0.0.2'])
        await expect(startServer({ app, host: bind, port: 0 })).rejects.toThrow(
          `Binding ${bind} reaches beyond this machine: give --allowed-hosts`,
        );
    } finally {
      app.close();
      temp.cleanup();
    }
  });

  it('with --allowed-hosts checks Host against the list and still wants the token', async () => {
    const temp = makeTempDir();
    const { app } = await createLicensedTestApp({ dataDir: temp.dir });
    const wide = await startServer({ app, host: '127.0.0.2', port: 0, allowedHosts: ['autobot.test'] });
    try {
      const widePort = new URL(wide.url).port;
      const ask = (hostName: string, headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.2',
              port: widePort,
              path: '/api/call/app.info',
              method: 'POST',
              headers: { host: `${hostName}:${widePort}`, ...headers },
            },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on('error', reject);
          req.end('{}');
        });
      const bearer = { authorization: `Bearer ${wide.accessToken.token}` };
      expect(await ask('autobot.test', bearer)).toBe(200);
      expect(await ask('autobot.test', {})).toBe(401);
      expect(await ask('evil.example', bearer)).toBe(403);
      expect(await ask('127.0.0.2', bearer)).toBe(403);
      expect(new URL(wide.loginLink()).host).toBe(`autobot.test:${widePort}`);
    } finally {
      await wide.close();
      app.close();
      temp.cleanup();
    }
  });
});
