import { allocateCandleColumns, type CandleColumns } from '../core/storage/candle-columns.ts';

/** A deterministic random walk of 1-minute candles (same seed, same series, every run). */
export function syntheticMinuteCandles(length: number, seed = 42, start = 1_600_000_000): CandleColumns {
  const candles = allocateCandleColumns(length);
  let state = seed >>> 0;
  const random = () => {
    // mulberry32: small, fast, and good enough for price noise.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let price = 100;
  for (let i = 0; i < length; i++) {
    const open = price;
    const close = Math.max(0.01, open * (1 + (random() - 0.5) * 0.004));
    const high = Math.max(open, close) * (1 + random() * 0.001);
    const low = Math.min(open, close) * (1 - random() * 0.001);
    candles.time[i] = start + i * 60;
    candles.open[i] = Math.round(open * 100) / 100;
    candles.close[i] = Math.round(close * 100) / 100;
    candles.high[i] = Math.max(candles.open[i]!, candles.close[i]!, Math.round(high * 100) / 100);
    candles.low[i] = Math.min(candles.open[i]!, candles.close[i]!, Math.round(low * 100) / 100);
    candles.volume[i] = Math.round(random() * 1000);
    price = close;
  }
  return candles;
}

export function candlesToCsv(candles: CandleColumns): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  for (let i = 0; i < candles.time.length; i++) {
    lines.push(
      `${candles.time[i]},${candles.open[i]},${candles.high[i]},${candles.low[i]},${candles.close[i]},${candles.volume[i]}`,
    );
  }
  return lines.join('\n');
}

/**
 * Writes a CSV of 1-minute candles of at least `bytes` bytes to `file`, streaming (a 200 MB file
 * never exists as one string). Deterministic: the same size gives the same file.
 */
export async function writeSyntheticCsv(
  file: string,
  bytes: number,
): Promise<{ rows: number; bytes: number }> {
  const { createWriteStream } = await import('node:fs');
  const out = createWriteStream(file);
  const write = (text: string) =>
    out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve()));
  let written = 0;
  let rows = 0;
  let price = 100;
  let time = 946_684_800; // 2000-01-01
  let state = 7;
  await write('timestamp,open,high,low,close,volume\n');
  while (written < bytes) {
    let block = '';
    for (let i = 0; i < 10_000; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const open = price;
      const close = Math.max(1, Math.round(open * (1 + (state / 2 ** 32 - 0.5) * 0.004) * 100) / 100);
      const high = Math.max(open, close) + 0.05;
      const low = Math.min(open, close) - 0.05;
      block += `${time},${open},${high.toFixed(2)},${low.toFixed(2)},${close},${state % 1000}\n`;
      time += 60;
      price = close;
      rows++;
    }
    written += block.length;
    await write(block);
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return { rows, bytes: written };
}
