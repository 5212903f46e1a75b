// "Test connection" from the Account page, through the contract: the key saved in the vault reaches
// the loopback Binance signed, a wrong one comes back as the exchange's refusal, and a sandbox on an
// exchange without a test network is refused before any call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import { exchanges } from '../../core/venues/ccxt/exchange-registry.ts';
import { FakeBinance } from '../support/fake-binance.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-ccxt-conn-');
let fake: FakeBinance;
let app: App;
beforeAll(async () => {
  fake = await new FakeBinance({ balances: { USDT: 1_000, BTC: 0.5, ETH: 0 } }).start();
  ({ app } = await createLicensedTestApp({ dataDir: temp.dir }));
});
afterAll(async () => {
  app.close();
  await exchanges.closeAll();
  await fake.stop();
  temp.cleanup();
});

describe('exchange.testConnection', () => {
  it('connects with the stored key: markets, balances and the venue clock', async () => {
    await app.dispatch('vault.save', { provider: 'binance', key: fake.apiKey, secret: fake.secret });
    const result = await app.dispatch('exchange.testConnection', { exchange: 'binance', apiUrl: fake.url });
    expect(result).toMatchObject({ ok: true, value: { exchange: 'binance', markets: 2, assets: 2 } });
  });

  it('a sandbox connection goes to the test network, here rewritten to the loopback, and says so', async () => {
    await app.dispatch('vault.save', { provider: 'binance', key: fake.apiKey, secret: fake.secret });
    const result = await app.dispatch('exchange.testConnection', {
      exchange: 'binance',
      apiUrl: fake.url,
      sandbox: true,
    });
    expect(result).toMatchObject({ ok: true, value: { exchange: 'binance', sandbox: true, markets: 2 } });
  });

  it('a wrong secret is the exchange’s refusal, named as such', async () => {
    await app.dispatch('vault.save', { provider: 'binance', key: fake.apiKey, secret: 'wrong' });
    const result = await app.dispatch('exchange.testConnection', {
      exchange: 'binance',
      apiUrl: fake.url,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'venue_error', detail: { kind: 'rejected' } } });
    expect(!result.ok && result.error.message).toContain('Signature for this request is not valid');
  });

  it('sandbox on an exchange without a test network is refused naming the field', async () => {
    await app.dispatch('vault.save', { provider: 'bitstamp', key: 'k', secret: 's' });
    const result = await app.dispatch('exchange.testConnection', { exchange: 'bitstamp', sandbox: true });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'sandbox' }] },
    });
  });
});
