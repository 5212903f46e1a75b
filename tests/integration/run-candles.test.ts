// A run's candles from an uploaded CSV: a large file is parsed in a worker job, so the host keeps
// answering while it parses, and gets the very columns an inline parse gives, or the same refusal.
import { describe, expect, it } from 'vitest';
import { syntheticMinuteCandles } from '../../bench/synthetic-candles.ts';
import { loadCsvCandles } from '../../core/backtest/backtest-job.ts';
import { inlineCsvBytes, loadRunCandles } from '../../core/app/run-candles.ts';
import type { CandleRepository } from '../../core/storage/candle-repository.ts';

const noStore = {} as CandleRepository;

function csvOf(bars: number): string {
  const c = syntheticMinuteCandles(bars, 3);
  const rows = ['time,open,high,low,close,volume'];
  for (let i = 0; i < bars; i++) {
    rows.push(`${c.time[i]},${c.open[i]},${c.high[i]},${c.low[i]},${c.close[i]},${c.volume[i]}`);
  }
  return rows.join('\n');
}

describe('loading a run’s candles from an uploaded CSV', () => {
  it('parses a large file off the host’s event loop, into the columns an inline parse gives', async () => {
    const csv = csvOf(300_000);
    expect(csv.length).toBeGreaterThan(10 * inlineCsvBytes);
    let parsed = false;
    const loading = loadRunCandles({ source: 'csv', csv }, noStore).finally(() => (parsed = true));
    // Parsed inline, the rows would be done before the loop could turn; in a job the loop turns first.
    // How long the loop may stall meanwhile is speed: `npm run bench -- responsiveness`.
    await new Promise((resolve) => setImmediate(resolve));
    expect(parsed).toBe(false);
    const candles = await loading;
    const inline = loadCsvCandles(csv);
    expect(candles.time.length).toBe(300_000);
    for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(candles[field]).toEqual(inline[field]);
    }
  });

  it('refuses a bad large file naming the line and the field, as an inline parse does', async () => {
    const rows = csvOf(40_000).split('\n');
    rows[30_001] = rows[30_001]!.replace(/,[^,]*$/, ',lots');
    const csv = rows.join('\n');
    expect(csv.length).toBeGreaterThan(inlineCsvBytes);
    const refusal = {
      code: 'import_rejected',
      message: expect.stringContaining('Line 30002, field "volume"'),
      detail: { line: 30_002, field: 'volume' },
    };
    expect(() => loadCsvCandles(csv)).toThrow(expect.objectContaining(refusal));
    await expect(loadRunCandles({ source: 'csv', csv }, noStore)).rejects.toMatchObject({
      ...refusal,
      issues: [expect.objectContaining({ path: 'volume' })],
    });
  });
});
