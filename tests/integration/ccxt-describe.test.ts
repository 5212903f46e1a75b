// exchange.describe through the contract: what the Account page reads before offering the sandbox
// switch. Binance and OKX have a test network in ccxt, Bitstamp has none; an id ccxt does not know
// is refused naming the field. No exchange is reached: no fake runs here and no key is stored.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-ccxt-describe-');
let app: App;
beforeAll(async () => {
  ({ app } = await createLicensedTestApp({ dataDir: temp.dir }));
});
afterAll(() => {
  app.close();
  temp.cleanup();
});

describe('exchange.describe', () => {
  it('binance: a test network, order streams, no passphrase', async () => {
    const result = await app.dispatch('exchange.describe', { exchange: 'binance' });
    expect(result).toEqual({
      ok: true,
      value: {
        exchange: 'binance',
        name: 'Binance',
        hasSandbox: true,
        hasWatchOrders: true,
        requiresPassphrase: false,
      },
    });
  });

  it('okx: its keys come with a passphrase', async () => {
    const result = await app.dispatch('exchange.describe', { exchange: 'okx' });
    expect(result).toMatchObject({
      ok: true,
      value: { name: 'OKX', hasSandbox: true, requiresPassphrase: true },
    });
  });

  it('bitstamp has no test network, and a sandbox connection to it is refused as describe says', async () => {
    const described = await app.dispatch('exchange.describe', { exchange: 'bitstamp' });
    expect(described).toMatchObject({ ok: true, value: { name: 'Bitstamp', hasSandbox: false } });
    await app.dispatch('vault.save', { provider: 'bitstamp', key: 'k', secret: 's' });
    const connected = await app.dispatch('exchange.testConnection', { exchange: 'bitstamp', sandbox: true });
    expect(connected).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'sandbox' }] },
    });
  });

  it('an id ccxt does not know is refused naming the field', async () => {
    const result = await app.dispatch('exchange.describe', { exchange: 'alphavantage' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [{ path: 'exchange', message: 'ccxt has no exchange "alphavantage"' }],
      },
    });
  });

  it('a name that is not a ccxt id is refused by the schema, naming the field', async () => {
    const result = await app.dispatch('exchange.describe', { exchange: 'Binance US' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', issues: [{ path: 'exchange' }] },
    });
  });

  it('needs a licence, like Test connection', async () => {
    const { app: unlicensed } = await createLicensedTestApp({
      dataDir: path.join(temp.dir, 'unlicensed'),
      licensed: false,
    });
    try {
      const result = await unlicensed.dispatch('exchange.describe', { exchange: 'binance' });
      expect(result).toMatchObject({ ok: false, error: { code: 'license_required' } });
    } finally {
      unlicensed.close();
    }
  });
});
