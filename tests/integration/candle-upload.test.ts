// A CSV streamed to the headless host and imported by a worker job: the upload route, the
// import's progress events, its refusals (a bad line, a series it does not match), and removal.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeader, postCall, startTestHost } from '../support/headless-app.ts';

let host: Awaited<ReturnType<typeof startTestHost>>;
let url: string;

beforeAll(async () => {
  host = await startTestHost();
  url = host.server.url;
});
afterAll(async () => host.stop());

function dailyCsv(bars: number, price: number, start = Date.UTC(2020, 0, 1) / 1000, step = 86_400): string {
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < bars; i++)
    lines.push(`${start + i * step},${price},${price + 1},${price - 1},${price},10`);
  return `${lines.join('\n')}\n`;
}

/** The series a user imported (candles.list also lists the timeframes derived from them). */
async function importedSeries() {
  const listed = (await postCall(url, 'candles.list', {})).body.value as {
    series: Array<{ symbol: string; count: number; derivedFrom: string | null }>;
  };
  return listed.series.filter((series) => series.derivedFrom === null);
}

async function upload(body: string | Buffer, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/upload`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', ...authHeader(url), ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      ok: boolean;
      value?: { upload: string; bytes: number };
      error?: { code: string; message: string };
    },
  };
}

describe('POST /api/upload then candles.import { upload }', () => {
  it('imports the uploaded file in a worker, with progress events, and removes the upload', async () => {
    const csv = dailyCsv(3000, 100);
    const uploaded = await upload(csv);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body.value!.bytes).toBe(Buffer.byteLength(csv));

    const progress: number[] = [];
    const stop = host.app.events.subscribe((name, payload) => {
      if (name === 'candles.import.progress') progress.push((payload as { fraction: number }).fraction);
    });
    const { status, body } = await postCall(url, 'candles.import', {
      symbol: 'UP',
      timeframe: '1d',
      upload: uploaded.body.value!.upload,
      importId: 'first',
    });
    stop();
    expect(status).toBe(200);
    expect(body.value).toMatchObject({
      symbol: 'UP',
      timeframe: '1d',
      rows: 3000,
      inserted: 3000,
      existing: 0,
    });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(1);
    // The upload is consumed; nothing is left in the uploads folder.
    expect(readdirSync(host.app.uploads.dir)).toEqual([]);

    expect(await importedSeries()).toEqual([expect.objectContaining({ symbol: 'UP', count: 3000 })]);
  });

  it('asks before writing bars of another spacing and price level into a series, keeping the upload for the confirmed call', async () => {
    const monthly = dailyCsv(40, 5000, Date.UTC(2012, 0, 1) / 1000, 30 * 86_400);
    const uploaded = (await upload(monthly)).body.value!.upload;
    const refused = await postCall(url, 'candles.import', {
      symbol: 'UP',
      timeframe: '1d',
      upload: uploaded,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error!.code).toBe('needs_confirmation');
    expect(refused.body.error!.message).toContain('30 days apart');
    expect(refused.body.error!.message).toContain('closes are around 100');
    expect(await importedSeries()).toEqual([expect.objectContaining({ symbol: 'UP', count: 3000 })]);

    const confirmed = await postCall(url, 'candles.import', {
      symbol: 'UP',
      timeframe: '1d',
      upload: uploaded,
      confirm: true,
    });
    expect(confirmed.body.value).toMatchObject({ rows: 40, inserted: 40 });
  });

  it('refuses a bad line with its number and stores nothing', async () => {
    const csv = `${dailyCsv(10, 50, Date.UTC(2030, 0, 1) / 1000)}${'9'.repeat(400)},1,2,0.5,1,1\n`;
    const uploaded = (await upload(csv)).body.value!.upload;
    const refused = await postCall(url, 'candles.import', {
      symbol: 'BAD',
      timeframe: '1d',
      upload: uploaded,
    });
    expect(refused.body.error!.code).toBe('import_rejected');
    expect(refused.body.error!.message).toMatch(
      /^Line 12, field "time": .* is outside 1970-01-01 … 2100-01-01$/,
    );
    const series = (await postCall(url, 'candles.list', {})).body.value as { series: { symbol: string }[] };
    expect(series.series.map((s) => s.symbol)).not.toContain('BAD');
  });

  it('imports an inline CSV over 1 MB in the worker too, leaving no upload behind', async () => {
    const csv = dailyCsv(40_000, 20, Date.UTC(1980, 0, 1) / 1000);
    expect(csv.length).toBeGreaterThan(1_000_000);
    const { body } = await postCall(url, 'candles.import', { symbol: 'INLINE', timeframe: '1d', csv });
    expect(body.value).toMatchObject({ rows: 40_000, inserted: 40_000 });
    expect(readdirSync(host.app.uploads.dir)).toEqual([]);
  });

  it('refuses an unknown upload id and a server-side path', async () => {
    const unknown = await postCall(url, 'candles.import', {
      symbol: 'X',
      timeframe: '1d',
      upload: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.body.error).toMatchObject({ code: 'not_found', issues: [{ path: 'upload' }] });
    const byPath = await postCall(url, 'candles.import', {
      symbol: 'X',
      timeframe: '1d',
      path: '/etc/passwd',
    });
    expect(byPath.body.error).toMatchObject({ code: 'invalid_input', issues: [{ path: 'path' }] });
    const both = await postCall(url, 'candles.import', {
      symbol: 'X',
      timeframe: '1d',
      csv: 'a',
      upload: 'b',
    });
    expect(both.body.error).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'csv', message: 'give exactly one of csv, upload or path' }],
    });
  });

  it('refuses an upload whose declared size is beyond the cap without storing it', async () => {
    const response = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': String(5 * 1024 ** 3), ...authHeader(url) },
      body: 'x',
      duplex: 'half',
    } as RequestInit).catch((error: unknown) => error);
    // Either the 413 arrives, or the client notices the length mismatch first; nothing is stored.
    if (response instanceof Response) {
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    }
    expect(existsSync(host.app.uploads.dir) ? readdirSync(host.app.uploads.dir) : []).toEqual([]);
  });

  it('refuses an upload without the token, storing nothing', async () => {
    const response = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'time,open,high,low,close\n',
    });
    expect(response.status).toBe(401);
    expect(existsSync(host.app.uploads.dir) ? readdirSync(host.app.uploads.dir) : []).toEqual([]);
  });

  it('passes the same Host/Origin guard as every route', async () => {
    const response = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', origin: 'http://evil.example', ...authHeader(url) },
      body: 'time,open,high,low,close\n',
    });
    expect(response.status).toBe(403);
    expect(
      existsSync(path.join(host.app.dataDir, 'uploads')) ? readdirSync(host.app.uploads.dir) : [],
    ).toEqual([]);
  });

  it('candles.remove deletes a series and all its bars, once', async () => {
    const removed = await postCall(url, 'candles.remove', { symbol: 'UP', timeframe: '1d' });
    expect(removed.body.value).toEqual({ removed: true, bars: 3040 });
    expect((await postCall(url, 'candles.get', { symbol: 'UP', timeframe: '1d' })).body.value).toMatchObject({
      candles: { time: [] },
    });
    expect((await postCall(url, 'candles.remove', { symbol: 'UP', timeframe: '1d' })).body.value).toEqual({
      removed: false,
      bars: 0,
    });
  });
});
