// The chart's read over the real headless host: the window of a series at the resolution the
// screen can show, as bytes for the UI and as plain JSON for scripts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { binaryEnvelopeType, decodeBinaryEnvelope } from '../../core/contract/binary-envelope.ts';
import { allocateCandleColumns } from '../../core/storage/candle-columns.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { postCall, startTestHost } from '../support/headless-app.ts';

let host: Awaited<ReturnType<typeof startTestHost>>;
const start = Date.UTC(2024, 0, 1) / 1000;
const bars = 10 * 24 * 60;

beforeAll(async () => {
  host = await startTestHost();
  const minutes = allocateCandleColumns(bars);
  for (let i = 0; i < bars; i++) {
    minutes.time[i] = start + i * 60;
    minutes.open[i] = 1.1 + i / 1e6;
    minutes.high[i] = 1.1002 + i / 1e6;
    minutes.low[i] = 1.0998 + i / 1e6;
    minutes.close[i] = 1.1001 + i / 1e6;
    minutes.volume[i] = i % 10;
  }
  new CandleRepository(host.app.db).upsert('EURUSD', '1m', minutes);
});
afterAll(async () => host.stop());

/** The credentials the headless host asks of scripts (none before the server takes a token). */
function authHeaders(): Record<string, string> {
  return {};
}

async function windowCall(input: unknown, accept?: string) {
  return fetch(`${host.server.url}/api/call/candles.window`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}), ...authHeaders() },
    body: JSON.stringify(input),
  });
}

describe('candles.window', () => {
  it('sends the UI Float64Array columns as bytes, at the finest timeframe that fits', async () => {
    const response = await windowCall({ symbol: 'EURUSD', maxBars: 2000 }, binaryEnvelopeType);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(binaryEnvelopeType);
    const result = decodeBinaryEnvelope(await response.arrayBuffer()) as {
      ok: true;
      value: {
        timeframe: string;
        derivedFrom: string | null;
        candles: { time: Float64Array; close: Float64Array };
      };
    };
    expect(result.value.timeframe).toBe('15m');
    expect(result.value.derivedFrom).toBe('1m');
    expect(result.value.candles.time).toBeInstanceOf(Float64Array);
    expect(result.value.candles.time.length).toBe(960);
    expect(result.value.candles.time[0]).toBe(start);
    // The close of a 15-minute bar is the close of its last minute.
    expect(result.value.candles.close[0]).toBeCloseTo(1.1001 + 14 / 1e6, 12);
  });

  it('zoomed into an hour, answers 1-minute bars', async () => {
    const response = await windowCall(
      { symbol: 'EURUSD', from: start + 3600, to: start + 7200, maxBars: 2000 },
      binaryEnvelopeType,
    );
    const result = decodeBinaryEnvelope(await response.arrayBuffer()) as {
      value: { timeframe: string; candles: { time: Float64Array } };
    };
    expect(result.value.timeframe).toBe('1m');
    expect(result.value.candles.time.length).toBe(61);
  });

  it('answers scripts that did not ask for bytes with JSON number arrays', async () => {
    const response = await windowCall({ symbol: 'EURUSD', finest: '1d', maxBars: 100 });
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { value: { timeframe: string; candles: { time: number[] } } };
    expect(body.value.timeframe).toBe('1d');
    expect(body.value.candles.time).toHaveLength(10);
  });

  it('answers over the WebSocket with JSON number arrays too', async () => {
    const socket = new WebSocket(`${host.server.url.replace('http', 'ws')}/api/ws`, {
      headers: authHeaders(),
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const answer = new Promise<{ result: { value: { candles: { close: number[] } } } }>((resolve) =>
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as { type: string };
        if (message.type === 'result') resolve(message as never);
      }),
    );
    socket.send(
      JSON.stringify({
        type: 'call',
        id: 1,
        name: 'candles.window',
        input: { symbol: 'EURUSD', timeframe: '1w' },
      }),
    );
    const message = await answer;
    expect(Array.isArray(message.result.value.candles.close)).toBe(true);
    socket.close();
  });

  it('answers exactly the timeframe asked for, the latest bars when the range holds more', async () => {
    const response = await windowCall(
      { symbol: 'EURUSD', timeframe: '1m', maxBars: 500 },
      binaryEnvelopeType,
    );
    const result = decodeBinaryEnvelope(await response.arrayBuffer()) as {
      value: { timeframe: string; truncated: boolean; candles: { time: Float64Array } };
    };
    expect(result.value).toMatchObject({ timeframe: '1m', truncated: true });
    expect(result.value.candles.time.length).toBe(500);
    expect(result.value.candles.time.at(-1)).toBe(start + (bars - 1) * 60);
  });

  it('names the field when the series does not exist or the window is invalid', async () => {
    const missing = await postCall(host.server.url, 'candles.window', { symbol: 'NOPE' });
    expect(missing.body.error).toMatchObject({ code: 'not_found', issues: [{ path: 'symbol' }] });
    const invalid = await postCall(host.server.url, 'candles.window', { symbol: 'EURUSD', maxBars: 1e9 });
    expect(invalid.body.error?.issues?.[0]).toMatchObject({ path: 'maxBars' });
  });
});
