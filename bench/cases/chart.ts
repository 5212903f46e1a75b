// The chart's server side: one window of a million-bar series read at the finest timeframe that
// fits and encoded as bytes for the UI (issue #13's `chart.window`, goal ≤ 10 ms median).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encodeBinaryEnvelope } from '../../core/contract/binary-envelope.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import type { BenchCase } from '../harness.ts';
import { syntheticMinuteCandles } from '../synthetic-candles.ts';

const million = 1_000_000;
const windowBars = 2000;
const start = 1_600_000_000;

interface ChartState {
  dir: string;
  db: Database;
  repository: CandleRepository;
  next: () => number;
  bytes: number;
}

function openSeries(): ChartState {
  const dir = mkdtempSync(path.join(tmpdir(), 'autobot-bench-chart-'));
  const db = openDatabase(path.join(dir, 'bench.db'));
  const repository = new CandleRepository(db);
  repository.upsert('BENCH', '1m', syntheticMinuteCandles(million, 42, start));
  // A fixed sequence of window starts spread over the whole series.
  let k = 0;
  const next = () => start + (((k++ * 7919) % (million - windowBars)) | 0) * 60;
  return { dir, db, repository, next, bytes: 0 };
}

function closeSeries(raw: unknown): void {
  const state = raw as ChartState;
  state.db.close();
  rmSync(state.dir, { recursive: true, force: true });
}

export const chartCases: BenchCase[] = [
  {
    name: 'chart.window',
    runs: 41,
    warmup: 5,
    setup: openSeries,
    run: (raw) => {
      const state = raw as ChartState;
      const from = state.next();
      const window = state.repository.readWindow('BENCH', {
        from,
        to: from + (windowBars - 1) * 60,
        maxBars: windowBars,
      });
      if (!window || window.timeframe !== '1m' || window.candles.time.length !== windowBars)
        throw new Error(`window at ${from}: ${window?.timeframe} × ${window?.candles.time.length}`);
      state.bytes = encodeBinaryEnvelope({ ok: true, value: { symbol: 'BENCH', ...window } }).byteLength;
    },
    teardown: closeSeries,
    figures: (_ms, raw) => ({ bars: windowBars, series_bars: million, bytes: (raw as ChartState).bytes }),
  },
  {
    // What the chart asks first when a series is selected: its whole history at a fitting resolution.
    name: 'chart.window_all',
    runs: 21,
    warmup: 3,
    setup: openSeries,
    run: (raw) => {
      const state = raw as ChartState;
      const window = state.repository.readWindow('BENCH', { maxBars: 3 * 1280 });
      if (!window || window.candles.time.length === 0) throw new Error('no window');
      state.bytes = encodeBinaryEnvelope({ ok: true, value: { symbol: 'BENCH', ...window } }).byteLength;
    },
    teardown: closeSeries,
    figures: (_ms, raw) => ({ series_bars: million, bytes: (raw as ChartState).bytes }),
  },
];
