// The monthly reinvestment budget ledger (issue #16): a finished month's Shopify revenue and the
// share set aside, recorded through the dispatcher against the loopback peer; demo revenue, a month
// still under way and a second recording without replace are refused, naming why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../core/app/app.ts';
import type { CallInput, CallName, CallOutput } from '../../core/contract/calls.ts';
import type { CallError } from '../../core/contract/errors.ts';
import { createLicensedTestApp } from '../support/licensed-app.ts';
import { peerKeys, startProviderPeer, type ProviderPeer } from '../support/provider-peer.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temp = makeTempDir('autobot-budget-');
let app: App;
let peer: ProviderPeer;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await app.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as CallOutput<N>;
}

async function refusal<N extends CallName>(name: N, input: CallInput<N>): Promise<CallError> {
  const result = await app.dispatch(name, input);
  if (result.ok) throw new Error(`${name} was expected to fail`);
  return result.error;
}

beforeAll(async () => {
  peer = await startProviderPeer();
  app = (
    await createLicensedTestApp({
      dataDir: temp.dir,
      providers: {
        endpoints: { shopify: peer.url },
        http: { backoffMs: 1, rateLimit: { burst: 100, intervalMs: 0 } },
      },
    })
  ).app;
});
afterAll(async () => {
  app?.close();
  await peer.close();
  temp.cleanup();
});

describe('the reinvestment budget ledger', () => {
  it('records a finished month’s share of real revenue, once, and lists it', async () => {
    const demo = await refusal('shopify.recordBudget', { month: '2024-05', reinvestPct: 15 });
    expect(demo.message).toMatch(
      /demo revenue is never recorded: save the store’s domain and Admin API token/,
    );
    expect((await call('shopify.budgetLedger', {})).entries).toEqual([]);

    await call('market.saveKey', {
      provider: 'shopify',
      key: peerKeys.shopify,
      domain: 'loopback.myshopify.com',
    });
    // The peer's May 2024: 124.56 + 1110 = 1234.56 EUR over 3 orders; 15 % is 185.184, 185.18 to the cent below.
    const { entry } = await call('shopify.recordBudget', { month: '2024-05', reinvestPct: 15 });
    expect(entry).toMatchObject({
      month: '2024-05',
      revenue: 1234.56,
      orders: 3,
      currency: 'EUR',
      reinvestPct: 15,
      amount: 185.18,
    });
    // The same figure the Shopify page shows for that month.
    const page = await call('shopify.revenue', { from: '2024-05-01', to: '2024-05-31', reinvestPct: 15 });
    expect(page.reinvest).toBe(entry.amount);

    const again = await refusal('shopify.recordBudget', { month: '2024-05', reinvestPct: 10 });
    expect(again.code).toBe('conflict');
    expect(again.issues?.[0]?.path).toBe('month');
    expect(again.message).toMatch(/2024-05 is already recorded \(185\.18 EUR set aside on \d{4}-\d\d-\d\d\)/);
    const replaced = await call('shopify.recordBudget', { month: '2024-05', reinvestPct: 10, replace: true });
    expect(replaced.entry.amount).toBe(123.45); // 10 % of 1234.56, rounded down

    const unfinished = new Date().toISOString().slice(0, 7);
    const early = await refusal('shopify.recordBudget', { month: unfinished, reinvestPct: 10 });
    expect(early.issues).toEqual([
      { path: 'month', message: expect.stringMatching(new RegExp(`^${unfinished} has not ended yet`)) },
    ]);
    const bad = await refusal('shopify.recordBudget', { month: '2024-13', reinvestPct: 10 });
    expect(bad.issues?.[0]).toEqual({ path: 'month', message: 'month must be YYYY-MM, e.g. 2024-05' });

    const { entries } = await call('shopify.budgetLedger', {});
    expect(entries.map((e) => [e.month, e.amount])).toEqual([['2024-05', 123.45]]);
  });
});
