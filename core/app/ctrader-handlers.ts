// ctrader.* calls (core/contract/ctrader-calls.ts) over CTraderAccounts: every answer is the
// section's whole status, so the page redraws from one source.
import type { Handlers } from '../contract/dispatch.ts';
import type { CTraderAccounts } from '../venues/ctrader/ctrader-accounts.ts';

type CTraderHandlers = Pick<
  Handlers,
  | 'ctrader.status'
  | 'ctrader.saveApplication'
  | 'ctrader.connectDemo'
  | 'ctrader.connectLive'
  | 'ctrader.pasteRedirect'
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
    'ctrader.disconnect': async (input) => {
      await accounts.disconnect(input.environment);
      return accounts.status();
    },
  };
}
