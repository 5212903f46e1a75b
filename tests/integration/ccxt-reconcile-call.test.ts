// The Account page's "Reconcile", through the contract: an exchange account holding what the
// journal cannot explain — a balance, an order placed on the website while the app was cut off —
// comes back as a saved run whose diff says so, and both are adopted as external; a bot on an
// exchange feed names the symbols looked at; the account is held REDUCING until the user acknowledges
// the adoptions. The exchange is the loopback Binance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import type { CallOutput } from '../../core/contract/calls.ts';
import { exchanges } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-ccxt-reconcile-call-');
let fake: FakeBinance;
let app: App;
beforeAll(async () => {
  fake = await new FakeBinance({ balances: { USDT: 1_000, BTC: 0.5 } }).start();
  ({ app } = await createLicensedTestApp({ dataDir: temp.dir }));
});
afterAll(async () => {
  app.close();
  await exchanges.closeAll();
  await fake.stop();
  temp.cleanup();
});

describe('exchange.reconcile', () => {
  it('after a forced disconnect, shows and saves what the journal cannot explain', async () => {
    await app.dispatch('vault.save', { provider: 'binance', key: fake.apiKey, secret: fake.secret });
    // A bot on the exchange's BTC/USDT feed: its symbol is the one looked at.
    const created = await app.dispatch('bots.create', {
      definition: {
        name: 'live',
        strategy: 'sma-cross',
        params: {},
        symbol: 'binance:BTC/USDT',
        timeframe: '1h',
        feed: {
          kind: 'exchange',
          exchange: 'binance',
          symbol: 'BTC/USDT',
          timeframe: '1h',
          apiUrl: fake.url,
        },
      },
    });
    expect(created.ok).toBe(true);
    expect(
      await app.dispatch('exchange.testConnection', { exchange: 'binance', apiUrl: fake.url }),
    ).toMatchObject({
      ok: true,
    });

    // The control endpoint cuts every connection; meanwhile an order is placed on the website.
    await fetch(`${fake.url}/__control/disconnect`, { method: 'POST' });
    await fetch(`${fake.url}/__control/external-order`, {
      method: 'POST',
      body: JSON.stringify({ symbol: 'BTCUSDT', side: 'BUY', quantity: 0.01, price: 25_000 }),
    });

    const result = await app.dispatch('exchange.reconcile', { exchange: 'binance', apiUrl: fake.url });
    if (!result.ok) throw new Error(result.error.message);
    const run = result.value as CallOutput<'exchange.reconcile'>;
    expect(run.error).toBeNull();
    expect(run.symbols).toEqual(['BTC/USDT']);
    expect(run.changes.map((c) => c.kind).sort()).toEqual(['external_order', 'position_diff']);
    expect(run.changes.find((c) => c.kind === 'position_diff')).toMatchObject({
      symbol: 'BTC/USDT',
      quantity: 0.5,
    });
    expect(run.adoptions.map((a) => a.kind).sort()).toEqual(['balance', 'order']);

    // Saved: the next run finds the same order (still open) but the balance is a baseline now.
    const again = await app.dispatch('exchange.reconcile', { exchange: 'binance', apiUrl: fake.url });
    if (!again.ok) throw new Error(again.error.message);
    const next = again.value as CallOutput<'exchange.reconcile'>;
    expect(next.runId).toBeGreaterThan(run.runId);
    expect(next.changes.map((c) => c.kind)).not.toContain('position_diff');

    // Until the user acknowledges the adoptions, the account only reduces positions.
    expect(await app.dispatch('risk.state', {})).toMatchObject({ ok: true, value: { state: 'reducing' } });
    expect(await app.dispatch('exchange.acknowledge', { exchange: 'binance' })).toEqual({
      ok: true,
      value: { acknowledged: 2 },
    });
    expect(await app.dispatch('risk.state', {})).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(await app.dispatch('exchange.acknowledge', { exchange: 'binance' })).toEqual({
      ok: true,
      value: { acknowledged: 0 },
    });
  });

  it('a bad field is refused naming it', async () => {
    const result = await app.dispatch('exchange.reconcile', { exchange: 'binance', symbols: ['BTCUSDT'] });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'symbols.0' }] },
    });
  });
});
