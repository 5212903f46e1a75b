// Real money needs the licence feature `live-trading`, checked where the bot starts (every host's
// dispatcher reaches the same supervisor): a licence without it may create a bot that trades on an
// exchange, but not start it — while the same bot on the exchange's sandbox is not the licence's
// business. `live.venues` lists what real money could go to: exchanges with a saved key, not a data
// provider's key.
import { afterAll, describe, expect, it } from 'vitest';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-live-bot-licence-');
afterAll(() => temp.cleanup());

const exchangeBot = (sandbox: boolean) => ({
  name: sandbox ? 'on the sandbox' : 'with real money',
  strategy: 'sma-cross',
  params: {},
  symbol: `binance${sandbox ? '-sandbox' : ''}:BTC/USDT`,
  timeframe: '1h',
  venue: 'live',
  // Nothing listens there: a start that passes the licence fails reaching the exchange.
  feed: {
    kind: 'exchange',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1h',
    apiUrl: 'http://127.0.0.1:9',
    sandbox,
  },
});

describe('a bot that trades real money', () => {
  it('starts only with live-trading; its sandbox twin starts on a licence without it; live.venues lists exchanges with keys', async () => {
    const { app, vendor } = await createLicensedTestApp({ dataDir: temp.dir, licensed: false });
    try {
      const installed = await app.license.install(vendor.issue({ features: ['backtest'], maxInstances: 3 }));
      expect(installed.ok).toBe(true);
      await app.dispatch('vault.save', { provider: 'binance', key: 'k', secret: 's' });
      await app.dispatch('vault.save', { provider: 'alphavantage', key: 'k', secret: 's' });

      // The gate's refusal of a live-trading call, as the bot's start must give it too.
      const gate = await app.dispatch('live.venues', {});
      expect(gate).toMatchObject({ ok: false, error: { reason: { code: 'missing_feature' } } });
      const real = await app.dispatch('bots.create', { definition: exchangeBot(false) });
      if (!real.ok) throw new Error(real.error.message);
      const id = (real.value as { bot: { id: number } }).bot.id;
      const refused = await app.dispatch('bots.start', { id });
      expect(refused).toEqual(gate);
      expect(refused.ok === false && refused.error.message).toContain('does not include "live-trading"');
      expect(await app.dispatch('bots.get', { id })).toMatchObject({
        ok: true,
        value: { bot: { status: 'created' } },
      });

      // The sandbox is not real money: past the licence, it fails only where the exchange is.
      const sandbox = await app.dispatch('bots.create', { definition: exchangeBot(true) });
      if (!sandbox.ok) throw new Error(sandbox.error.message);
      const tried = await app.dispatch('bots.start', {
        id: (sandbox.value as { bot: { id: number } }).bot.id,
      });
      expect(tried).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(tried.ok === false && tried.error.message).toContain('binance-sandbox could not be reached');

      const full = await app.license.install(vendor.issue({ features: ['live-trading'], maxInstances: 3 }));
      expect(full.ok).toBe(true);
      expect(await app.dispatch('live.venues', {})).toEqual({
        ok: true,
        value: { venues: [{ id: 'binance', name: 'binance (API key saved)' }] },
      });
    } finally {
      app.close();
    }
  });
});
