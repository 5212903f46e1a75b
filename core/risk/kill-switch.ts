// The kill switch's trip: the account HALTED until the user re-arms it. Pressing it must also cancel
// every open order and flatten every position on every venue — that part needs the bots and the
// venue connections and is not built yet (docs/risk.md); this is the state that outlives it.
import { accountKey, type Breaker, type TripRequest } from './breaker.ts';

export class KillSwitch implements Breaker {
  readonly name = 'kill-switch';
  readonly scope = 'account';
}

export function killSwitchTrip(reason = 'kill switch pressed'): TripRequest {
  return {
    breaker: 'kill-switch',
    scope: 'account',
    key: accountKey,
    state: 'halted',
    until: null,
    recovery: 'when the user re-arms it',
    values: {},
    message: `${reason}: halted until re-armed`,
  };
}
