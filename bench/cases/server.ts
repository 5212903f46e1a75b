// `server.busy`: how long the headless host keeps other callers waiting while a 200 MB CSV imports.
// The CSV streams to POST /api/upload, candles.import runs (in a worker job), and meanwhile app.info
// is asked back to back over HTTP; the case reports the slowest answer and the process's peak RSS
// above its level before the import (the worker thread's memory counts: it lives in this process).
import { mkdtempSync, rmSync, statSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../core/app/app.ts';
import { openGate } from '../../core/contract/dispatch.ts';
import type { SecretStore } from '../../core/secrets/secret-store.ts';
import { startServer, type RunningServer } from '../../core/server/server.ts';
import type { BenchCase } from '../harness.ts';
import { writeSyntheticCsv } from '../synthetic-candles.ts';

const csvBytes = 200 * 1024 * 1024;

interface BusyState {
  dir: string;
  file: string;
  rows: number;
  app: App;
  server: RunningServer;
  slowestMs: number;
  p99Ms: number;
  answers: number;
  peakRssMb: number;
  importMs: number;
}

/** The bench never needs a secret: a store that holds nothing keeps it off the OS keychain. */
const noSecrets: SecretStore = {
  get: async () => null,
  set: async () => {},
  delete: async () => false,
  list: async () => [],
};

async function post(
  url: string,
  body: unknown,
  token: string,
): Promise<{ ok: boolean; error?: { message: string } }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { ok: boolean; error?: { message: string } };
}

export const serverCases: BenchCase[] = [
  {
    name: 'server.busy',
    runs: 1,
    warmup: 0,
    setup: async (): Promise<BusyState> => {
      const dir = mkdtempSync(path.join(tmpdir(), 'autobot-bench-busy-'));
      const file = path.join(dir, 'large.csv');
      const { rows } = await writeSyntheticCsv(file, csvBytes);
      const app = createApp({
        dataDir: path.join(dir, 'data'),
        host: 'test',
        gate: openGate,
        secretStore: noSecrets,
        log: () => {},
      });
      const server = await startServer({ app, port: 0 });
      return { dir, file, rows, app, server, slowestMs: 0, p99Ms: 0, answers: 0, peakRssMb: 0, importMs: 0 };
    },
    run: async (raw) => {
      const state = raw as BusyState;
      const base = state.server.url;
      const token = state.server.accessToken.token;
      const uploaded = (await (
        await fetch(`${base}/api/upload`, {
          method: 'POST',
          headers: { 'content-length': String(statSync(state.file).size), authorization: `Bearer ${token}` },
          body: createReadStream(state.file) as never,
          duplex: 'half',
        } as RequestInit)
      ).json()) as { value: { upload: string } };

      const rssBefore = process.memoryUsage().rss;
      let peakRss = rssBefore;
      let done = false;
      const started = performance.now();
      const importing = post(
        `${base}/api/call/candles.import`,
        {
          symbol: 'BUSY',
          timeframe: '1m',
          upload: uploaded.value.upload,
        },
        token,
      ).finally(() => {
        done = true;
      });
      const latencies: number[] = [];
      while (!done) {
        const asked = performance.now();
        const info = await post(`${base}/api/call/app.info`, {}, token);
        if (!info.ok) throw new Error(`app.info failed: ${info.error?.message}`);
        latencies.push(performance.now() - asked);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const result = await importing;
      if (!result.ok) throw new Error(`the import failed: ${result.error?.message}`);
      state.importMs = performance.now() - started;
      latencies.sort((a, b) => a - b);
      state.slowestMs = latencies.at(-1) ?? 0;
      // The 99th percentile beside the maximum: on a loaded machine one answer can wait for a core.
      state.p99Ms = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
      state.answers = latencies.length;
      state.peakRssMb = (peakRss - rssBefore) / 1024 ** 2;
    },
    teardown: async (raw) => {
      const state = raw as BusyState;
      await state.server.close();
      state.app.close();
      rmSync(state.dir, { recursive: true, force: true });
    },
    figures: (_ms, raw) => {
      const state = raw as BusyState;
      return {
        slowest_app_info_ms: Math.round(state.slowestMs * 10) / 10,
        p99_app_info_ms: Math.round(state.p99Ms * 10) / 10,
        app_info_answers: state.answers,
        import_ms: Math.round(state.importMs),
        import_peak_rss_mb: Math.round(state.peakRssMb),
        csv_mb: Math.round(csvBytes / 1024 ** 2),
        rows: state.rows,
      };
    },
  },
];
