import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importCandlesCsv } from '../../core/data/import-candles.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import type { BenchCase } from '../harness.ts';
import { candlesToCsv, syntheticMinuteCandles } from '../synthetic-candles.ts';

const million = 1_000_000;

interface StorageState {
  dir: string;
  db: Database;
  repository: CandleRepository;
}

function openFresh(): StorageState {
  const dir = mkdtempSync(path.join(tmpdir(), 'autobot-bench-'));
  const db = openDatabase(path.join(dir, 'bench.db'));
  return { dir, db, repository: new CandleRepository(db) };
}

function close(state: StorageState): void {
  state.db.close();
  rmSync(state.dir, { recursive: true, force: true });
}

function clear(state: StorageState): void {
  state.db.exec('DELETE FROM candle_chunks; DELETE FROM series;');
}

const candles = syntheticMinuteCandles(million);
const perSecond = (ms: number) => ({ rows_per_s: Math.round(million / (ms / 1000)) });

export const storageCases: BenchCase[] = [
  {
    name: 'storage.insert',
    setup: openFresh,
    beforeEach: (state) => clear(state as StorageState),
    run: (state) => (state as StorageState).repository.upsert('BENCH', '1m', candles),
    teardown: (state) => close(state as StorageState),
    figures: perSecond,
  },
  {
    name: 'storage.read',
    setup: () => {
      const state = openFresh();
      state.repository.upsert('BENCH', '1m', candles);
      return state;
    },
    run: (state) => {
      const read = (state as StorageState).repository.read('BENCH', '1m');
      if (read.time.length !== million)
        throw new Error(`read ${read.time.length} candles, expected ${million}`);
    },
    teardown: (state) => close(state as StorageState),
    figures: perSecond,
  },
];

export const importCases: BenchCase[] = [
  {
    name: 'import.csv',
    runs: 3,
    setup: () => ({ ...openFresh(), csv: candlesToCsv(candles) }),
    beforeEach: (state) => clear(state as StorageState),
    run: (state) => {
      const { repository, csv } = state as StorageState & { csv: string };
      const result = importCandlesCsv(repository, { symbol: 'BENCH', timeframe: '1m', csv });
      if (result.inserted !== million)
        throw new Error(`imported ${result.inserted} candles, expected ${million}`);
    },
    teardown: (state) => close(state as StorageState),
    figures: (ms, state) => ({
      ...perSecond(ms),
      csv_mb: Math.round((state as { csv: string }).csv.length / 1e5) / 10,
    }),
  },
];
