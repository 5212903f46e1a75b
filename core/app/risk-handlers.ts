// The risk calls (core/contract/risk-calls.ts) over the app's one AccountRisk.
import type { Handlers } from '../contract/dispatch.ts';
import type { AccountRisk } from './account-risk.ts';

type RiskCallName =
  | 'risk.state'
  | 'risk.history'
  | 'risk.settings.get'
  | 'risk.settings.set'
  | 'risk.killSwitch'
  | 'risk.rearm';

export function riskHandlers(risk: AccountRisk): Pick<Handlers, RiskCallName> {
  return {
    'risk.state': () => {
      const breakers = risk.breakers();
      return { now: risk.clock(), state: risk.state(), breakers };
    },
    'risk.history': (input) => ({ events: risk.history(input.limit) }),
    'risk.settings.get': () => ({ settings: risk.settings }),
    'risk.settings.set': (input) => ({ settings: risk.saveSettings(input.settings) }),
    'risk.killSwitch': async (input) => {
      const routers = await risk.killSwitch(input.reason);
      return { state: risk.state(), routers };
    },
    'risk.rearm': (input) => ({ rearmed: risk.rearm(input.breaker, input.key), state: risk.state() }),
  };
}
