// A 200 MB CSV imports in a worker job: while it runs the server answers every other call. The
// test orders events (the other call's answer arrives before the import's result), never times.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, statSync } from 'node:fs';
import { writeSyntheticCsv } from '../../bench/synthetic-candles.ts';
import { authHeader, postCall, startTestHost } from '../support/headless-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let host: Awaited<ReturnType<typeof startTestHost>>;
let temp: ReturnType<typeof makeTempDir>;
let file: string;
let rows: number;

beforeAll(async () => {
  host = await startTestHost();
  temp = makeTempDir('autobot-200mb-');
  file = path.join(temp.dir, 'large.csv');
  ({ rows } = await writeSyntheticCsv(file, 200 * 1024 * 1024));
}, 120_000);

afterAll(async () => {
  await host.stop();
  temp.cleanup();
});

describe('a 200 MB import', () => {
  it('streams up, imports in a worker, and another call made meanwhile is answered before it finishes', async () => {
    const url = host.server.url;
    const uploaded = await fetch(`${url}/api/upload`, {
      method: 'POST',
      headers: {
        'content-type': 'text/csv',
        'content-length': String(statSync(file).size),
        ...authHeader(url),
      },
      body: createReadStream(file) as never,
      duplex: 'half',
    } as RequestInit);
    const upload = ((await uploaded.json()) as { value: { upload: string; bytes: number } }).value;
    expect(upload.bytes).toBe(statSync(file).size);

    const order: string[] = [];
    // Ask the other call once the import has really started: its first progress event.
    const started = new Promise<void>((resolve) => {
      const stop = host.app.events.subscribe((name) => {
        if (name === 'candles.import.progress') {
          stop();
          resolve();
        }
      });
    });
    const importing = postCall(url, 'candles.import', {
      symbol: 'LARGE',
      timeframe: '1m',
      upload: upload.upload,
    }).then((answer) => {
      order.push('import');
      return answer;
    });
    await started;
    const info = await postCall(url, 'app.info', {});
    order.push('app.info');
    const imported = await importing;

    expect(info.body.ok).toBe(true);
    expect(imported.body.value).toMatchObject({ symbol: 'LARGE', rows, inserted: rows });
    expect(order).toEqual(['app.info', 'import']);
    const listed = (await postCall(url, 'candles.list', {})).body.value as {
      series: Array<{ symbol: string; count: number; derivedFrom: string | null }>;
    };
    // The imported series, and the coarser timeframes derived from it in the same commit.
    expect(listed.series.filter((series) => series.derivedFrom === null)).toEqual([
      expect.objectContaining({ symbol: 'LARGE', count: rows }),
    ]);
    expect(listed.series.filter((series) => series.derivedFrom === '1m').length).toBeGreaterThan(0);
  }, 600_000);
});
