import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { callNames } from '../../core/contract/calls.ts';
import { postCall, startTestHost } from '../support/headless-app.ts';

let host: Awaited<ReturnType<typeof startTestHost>>;
let url: string;

beforeAll(async () => {
  host = await startTestHost();
  url = host.server.url;
});
afterAll(async () => host.stop());

const csv = ',Open,High,Low,Close,Volume\n2024-01-01,10,12,9,11,100\n2024-01-02,11,13,10,12,200\n';

describe('the contract over HTTP', () => {
  it('answers a valid call with its typed output', async () => {
    const { status, body } = await postCall(url, 'app.info', {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, value: { name: 'AUTOBOT', host: 'test' } });
  });

  it('refuses an invalid payload with invalid_input naming each field, and keeps serving', async () => {
    const { status, body } = await postCall(url, 'candles.get', {
      symbol: 'A B',
      timeframe: '2h',
      from: -5,
      extra: 1,
    });
    expect(status).toBe(400);
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('invalid_input');
    const paths = body.error?.issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['symbol', 'timeframe', 'from', '']));
    expect(body.error?.issues?.find((issue) => issue.path === 'symbol')?.message).toMatch(/letters, digits/);
    expect((await postCall(url, 'app.info', {})).status).toBe(200);
  });

  it('refuses a body that is not JSON with invalid_input', async () => {
    const { status, body } = await postCall(url, 'candles.list', '{not json');
    expect(status).toBe(400);
    expect(body.error?.code).toBe('invalid_input');
    expect(body.error?.message).toMatch(/not valid JSON/);
  });

  it('answers an unknown call with unknown_call', async () => {
    const { status, body } = await postCall(url, 'orders.placeEverything', {});
    expect(status).toBe(404);
    expect(body).toEqual({
      ok: false,
      error: { code: 'unknown_call', message: 'There is no call named "orders.placeEverything".' },
    });
  });

  it('does not treat inherited object keys as calls', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((await postCall(url, name, {})).body.error?.code).toBe('unknown_call');
    }
  });

  it('refuses a CSV import with its line and field and stores nothing', async () => {
    const { status, body } = await postCall(url, 'candles.import', {
      symbol: 'T',
      timeframe: '1d',
      csv: csv + '2024-01-03,1,0,2,1,1\n',
    });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({
      code: 'import_rejected',
      message: expect.stringMatching(/^Line 4, field "high"/),
    });
    expect((await postCall(url, 'candles.list', {})).body.value).toEqual({ series: [] });
  });

  it('refuses requests carrying a foreign Origin (CSRF) or Host (DNS rebinding)', async () => {
    const foreignOrigin = await postCall(url, 'app.info', {}, { origin: 'https://evil.example' });
    expect(foreignOrigin.status).toBe(403);
    expect(foreignOrigin.body.error?.code).toBe('forbidden_sender');
    const port = new URL(url).port;
    const rebind = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/api/call/app.info',
            method: 'POST',
            headers: { host: `evil.example:${port}` },
          },
          (res) => resolve(res.statusCode ?? 0),
        );
        req.on('error', reject);
        req.end('{}');
      }, reject);
    });
    expect(rebind).toBe(403);
  });

  it('lists every declared call with its access tier', async () => {
    const response = await fetch(`${url}/api/calls`);
    const listed = (await response.json()) as Array<{ name: string; access: unknown }>;
    expect(listed.map((call) => call.name)).toEqual(callNames);
    expect(listed.find((call) => call.name === 'live.venues')?.access).toEqual({ feature: 'live-trading' });
  });
});

describe('the contract over WebSocket', () => {
  it('answers calls, structured errors included, and pushes core events', async () => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/api/ws`);
    const messages: Array<Record<string, unknown>> = [];
    const waitFor = (predicate: (m: Record<string, unknown>) => boolean) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const found = messages.find(predicate);
        if (found) return resolve(found);
        socket.on('message', () => {
          const hit = messages.find(predicate);
          if (hit) resolve(hit);
        });
      });
    socket.on('message', (data) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    await new Promise((resolve) => socket.once('open', resolve));

    socket.send(JSON.stringify({ type: 'call', id: 1, name: 'nope.nothing', input: {} }));
    socket.send(JSON.stringify({ type: 'call', id: 2, name: 'candles.get', input: { symbol: '' } }));
    socket.send(
      JSON.stringify({
        type: 'call',
        id: 3,
        name: 'candles.import',
        input: { symbol: 'WS', timeframe: '1d', csv },
      }),
    );
    socket.send('garbage');

    expect((await waitFor((m) => m.id === 1)).result).toMatchObject({
      ok: false,
      error: { code: 'unknown_call' },
    });
    expect((await waitFor((m) => m.id === 2)).result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect((await waitFor((m) => m.id === 3)).result).toMatchObject({ ok: true, value: { inserted: 2 } });
    expect(await waitFor((m) => m.type === 'event')).toEqual({
      type: 'event',
      name: 'candles.changed',
      payload: { symbol: 'WS', timeframe: '1d' },
    });
    expect((await waitFor((m) => m.id === null)).result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    socket.close();
  });
});
