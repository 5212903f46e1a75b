// ccxt is imported only when a ccxt venue is used: its import costs 0.5–1.5 s on a loaded
// machine (docs/ccxt.md), which the app's start, the backtester and every other venue never pay.
// The type import below is erased at build time; the promise is kept, so the module loads once.
import type * as Ccxt from 'ccxt';

export type CcxtModule = typeof Ccxt;

let loading: Promise<CcxtModule> | undefined;

export function loadCcxt(): Promise<CcxtModule> {
  loading ??= import('ccxt');
  return loading;
}
