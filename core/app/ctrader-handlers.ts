// ctrader.* calls (core/contract/ctrader-calls.ts) over CTraderAccounts: every answer is the
// section's whole status, so the page redraws from one source.
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import type { CTraderAccounts } from '../venues/ctrader/ctrader-accounts.ts';

type CTraderHandlers = Pick<
  Handlers,
  | 'ctrader.status'
  | 'ctrader.saveApplication'
  | 'ctrader.connectDemo'
  | 'ctrader.connectLive'
  | 'ctrader.pasteRedirect'
  | 'ctrader.symbols'
  | 'ctrader.disconnect'
>;

export function ctraderHandlers(accounts: CTraderAccounts): CTraderHandlers {
  return {
    'ctrader.status': () => accounts.status(),
    'ctrader.saveApplication': async (input) => {
      await accounts.saveApplication(input);
      return accounts.status();
    },
    'ctrader.connectDemo': async () => ({ authorizationUrl: await accounts.connect('demo') }),
    'ctrader.connectLive': async () => ({ authorizationUrl: await accounts.connect('live') }),
    'ctrader.pasteRedirect': async (input) => {
      await accounts.pasteRedirect(input.environment, input.address);
      return accounts.status();
    },
    'ctrader.symbols': async (input) => {
      const venue = accounts.venue(input.environment);
      if (venue === null || venue.connectionState === 'disconnected')
        throw new AutobotError(
          'conflict',
          `cTrader ${input.environment === 'demo' ? 'Demo' : 'Live'} is not connected: connect it on the Account page.`,
        );
      const symbols = (await venue.instruments()).map(
        ({ symbol, priceDecimals, quantityStep, minQuantity }) => ({
          symbol,
          priceDecimals,
          quantityStep,
          minQuantity,
        }),
      );
      return { symbols: symbols.sort((a, b) => a.symbol.localeCompare(b.symbol)) };
    },
    'ctrader.disconnect': async (input) => {
      await accounts.disconnect(input.environment);
      return accounts.status();
    },
  };
}
