// Lines a trader draws stay with the symbol: across timeframes, reloads and restarts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../core/app/app.ts';
import { openGate } from '../../core/contract/dispatch.ts';
import { MemorySecretStore } from '../support/memory-secret-store.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const trend = {
  kind: 'trend',
  id: 't1',
  from: { time: 1_700_000_000, price: 101.25 },
  to: { time: 1_700_086_400, price: 99.5 },
} as const;
const level = { kind: 'horizontal', id: 'h1', price: 1.08345, color: '#f59e0b' } as const;

describe('chart drawings', () => {
  it('are saved per symbol and survive a restart of the core', async () => {
    const temp = makeTempDir();
    const open = () =>
      createApp({
        dataDir: path.join(temp.dir, 'data'),
        host: 'test',
        secretStore: new MemorySecretStore(),
        gate: openGate,
        checkOutputs: true,
        log: () => {},
      });
    const first = open();
    expect(await first.dispatch('chart.drawings', { symbol: 'EURUSD' })).toEqual({
      ok: true,
      value: { symbol: 'EURUSD', drawings: [] },
    });
    await first.dispatch('chart.saveDrawings', { symbol: 'EURUSD', drawings: [trend, level] });
    await first.dispatch('chart.saveDrawings', { symbol: 'GOOG', drawings: [level] });
    first.close();

    const second = open();
    expect(await second.dispatch('chart.drawings', { symbol: 'EURUSD' })).toMatchObject({
      ok: true,
      value: { drawings: [trend, level] },
    });
    await second.dispatch('chart.saveDrawings', { symbol: 'EURUSD', drawings: [] });
    expect(await second.dispatch('chart.drawings', { symbol: 'EURUSD' })).toMatchObject({
      value: { drawings: [] },
    });
    expect(await second.dispatch('chart.drawings', { symbol: 'GOOG' })).toMatchObject({
      value: { drawings: [level] },
    });
    second.close();
    temp.cleanup();
  });

  it('refuses a malformed line, naming the field, and keeps what was saved', async () => {
    const temp = makeTempDir();
    const app = createApp({
      dataDir: temp.dir,
      host: 'test',
      secretStore: new MemorySecretStore(),
      gate: openGate,
      log: () => {},
    });
    await app.dispatch('chart.saveDrawings', { symbol: 'BTCUSD', drawings: [level] });
    const refused = await app.dispatch('chart.saveDrawings', {
      symbol: 'BTCUSD',
      drawings: [
        { ...trend, to: { time: 1_700_000_000, price: Number.NaN } },
        { ...level, color: 'red' },
      ],
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const paths = refused.ok ? [] : refused.error.issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['drawings.0.to.price', 'drawings.1.color']));
    expect(await app.dispatch('chart.drawings', { symbol: 'BTCUSD' })).toMatchObject({
      value: { drawings: [level] },
    });
    app.close();
    temp.cleanup();
  });
});
