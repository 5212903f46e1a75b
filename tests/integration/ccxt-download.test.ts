// Candle download from the loopback Binance: in process (paging, --until, unknown symbol, resume
// after a failure) and through the CLI, killed mid-run and started again. The reference is the
// fake's own deterministic klines, so "no gap, no duplicate" is checked bar by bar.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadCandles } from '../../core/data/download-candles.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { ExchangeRegistry } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance, syntheticKline } from '../support/fake-binance.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const repoRoot = path.resolve(import.meta.dirname, '..', '..');
const temp = makeTempDir('autobot-ccxt-dl-');
let fake: FakeBinance;
const registry = new ExchangeRegistry();
beforeAll(async () => {
  fake = await new FakeBinance({ listedAt: Date.UTC(2023, 0, 1) }).start();
});
afterAll(async () => {
  await registry.closeAll();
  await fake.stop();
  temp.cleanup();
});

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

/** Every stored bar is the exchange's bar at its time, one per step from `from` to `to`. */
function expectComplete(
  repository: CandleRepository,
  series: string,
  step: number,
  from: number,
  to: number,
) {
  const stored = repository.read(series, step === 60 ? '1m' : '1h');
  const times = Array.from(stored.time);
  const expected: number[] = [];
  for (let t = from; t <= to; t += step) expected.push(t);
  expect(times).toEqual(expected);
  for (const i of [0, Math.floor(times.length / 2), times.length - 1]) {
    const [open, high, low, close] = syntheticKline(times[i]! * 1000, step * 1000);
    expect([stored.open[i], stored.high[i], stored.low[i], stored.close[i]]).toEqual([
      open,
      high,
      low,
      close,
    ]);
  }
}

describe('candles.download against the loopback Binance', () => {
  it('pages from since to until, stores only that span, and names the series after the exchange', async () => {
    const db = openDatabase(path.join(temp.dir, 'a.db'));
    const repository = new CandleRepository(db);
    const result = await downloadCandles(
      repository,
      {
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1h',
        since: day('2024-01-01'),
        until: day('2024-02-15'),
        apiUrl: fake.url,
      },
      { registry, pageLimit: 500 },
    );
    expect(result).toMatchObject({ series: 'binance:BTC/USDT', pages: 3, bars: 45 * 24 + 1 });
    expectComplete(repository, 'binance:BTC/USDT', 3600, day('2024-01-01'), day('2024-02-15'));
    // Derived timeframes follow, as for an import.
    expect(repository.listSeries().find((s) => s.timeframe === '1d')?.derivedFrom).toBe('1h');
    db.close();
  });

  it('a symbol the exchange does not list is refused naming it', async () => {
    const db = openDatabase(path.join(temp.dir, 'b.db'));
    await expect(
      downloadCandles(
        new CandleRepository(db),
        {
          exchange: 'binance',
          symbol: 'NOPE/USDT',
          timeframe: '1h',
          since: day('2024-01-01'),
          apiUrl: fake.url,
        },
        { registry },
      ),
    ).rejects.toThrow('symbol: binance does not list NOPE/USDT');
    db.close();
  });

  it('after a failure mid-run, the next run continues from the last stored bar: no gap, no duplicate', async () => {
    const db = openDatabase(path.join(temp.dir, 'c.db'));
    const repository = new CandleRepository(db);
    const request = {
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1h' as const,
      since: day('2024-01-01'),
      until: day('2024-03-01'),
      apiUrl: fake.url,
    };
    // The third page's request fails (the exchange answers 503 until ccxt gives up).
    let pages = 0;
    const first = downloadCandles(repository, request, {
      registry,
      pageLimit: 300,
      onProgress: () => {
        if (++pages === 2) fake.inject({ kind: '503', route: 'GET /api/v3/klines' });
      },
    });
    await expect(first).rejects.toThrow();
    const partial = repository
      .listSeries()
      .find((s) => s.symbol === 'binance:BTC/USDT' && s.timeframe === '1h')!;
    expect(partial.count).toBe(600);
    const second = await downloadCandles(repository, request, { registry, pageLimit: 300 });
    expect(second.startedAt).toBe(partial.last! + 1);
    expect(second.inserted).toBe(second.bars);
    expectComplete(repository, 'binance:BTC/USDT', 3600, day('2024-01-01'), day('2024-03-01'));
    db.close();
  });
});

describe('autobot data download', () => {
  function cli(args: string[], onErr?: (text: string, child: ReturnType<typeof spawn>) => void) {
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin', 'autobot.js'), 'data', 'download', ...args],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += String(chunk);
      onErr?.(stderr, child);
    });
    return new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stdout: string;
      stderr: string;
    }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  }

  it('killed mid-run and started again, stores every bar once, and honours --until', async () => {
    const dataDir = path.join(temp.dir, 'cli');
    const args = [
      '--exchange',
      'binance',
      '--symbol',
      'BTC/USDT',
      '--timeframe',
      '1m',
      '--since',
      '2024-01-01',
      '--until',
      '2024-01-03T12:00:00Z',
      '--api-url',
      fake.url,
      '--data-dir',
      dataDir,
    ];
    // Slow pages, so the kill lands between two of them.
    fake.inject({ kind: 'delay', route: 'GET /api/v3/klines', ms: 400, times: 3 });
    const killed = await cli(args, (text, child) => {
      if (/\d+% \(up to/.test(text)) child.kill('SIGKILL');
    });
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await cli(args);
    expect(resumed.stderr).not.toContain('Error');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/Downloaded [\d,]+ candles into binance:BTC\/USDT 1m/);
    const db = openDatabase(path.join(dataDir, 'autobot.db'));
    expectComplete(
      new CandleRepository(db),
      'binance:BTC/USDT',
      60,
      day('2024-01-01'),
      day('2024-01-03') + 12 * 3600,
    );
    db.close();
  });
});
