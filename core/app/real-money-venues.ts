// `live.venues`: where a bot could send real-money orders right now — the connected cTrader Live
// session, and the ccxt exchanges the vault holds a key for (a data provider's key, AlphaVantage's,
// is not a venue). Read only: nothing is connected or asked over the network.
import type { ApiKeyVault } from '../secrets/api-key-vault.ts';
import { loadExchangeClass } from '../venues/ccxt/exchange-class.ts';
import type { CTraderAccounts } from '../venues/ctrader/ctrader-accounts.ts';

export async function realMoneyVenues(
  ctrader: Pick<CTraderAccounts, 'venue'>,
  vault: Pick<ApiKeyVault, 'list'>,
): Promise<{ id: string; name: string }[]> {
  const venues: { id: string; name: string }[] = [];
  const live = ctrader.venue('live');
  if (live !== null && live.connectionState !== 'disconnected')
    venues.push({
      id: live.id,
      name: `cTrader Live${live.accountId !== null ? ` (account ${live.accountId})` : ''}`,
    });
  for (const credential of await vault.list()) {
    const known = await loadExchangeClass(credential.provider).then(
      () => true,
      () => false,
    );
    if (known) venues.push({ id: credential.provider, name: `${credential.provider} (API key saved)` });
  }
  return venues;
}
