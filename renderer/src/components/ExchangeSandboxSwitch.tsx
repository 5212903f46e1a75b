// "Sandbox / testnet" for one saved exchange key. It is offered only where ccxt knows the
// exchange's test network (exchange.describe): elsewhere ccxt's own switch would empty the API
// URLs and break every call, so the box stays off and says why.
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { useExchangeSandbox } from '../stores/exchange-sandbox-store.ts';

type Description = CallOutput<'exchange.describe'>;
type Known = { description: Description } | { problem: string } | null;

export function ExchangeSandboxSwitch({ exchange }: { exchange: string }) {
  const sandbox = useExchangeSandbox((state) => state.chosen[exchange] === true);
  const choose = useExchangeSandbox((state) => state.choose);
  const [known, setKnown] = useState<Known>(null);

  useEffect(() => {
    let stale = false;
    api
      .call('exchange.describe', { exchange })
      .then((description) => !stale && setKnown({ description }))
      .catch((caught: unknown) => !stale && setKnown({ problem: describeError(caught) }));
    return () => {
      stale = true;
    };
  }, [exchange]);

  const reason =
    known === null
      ? null
      : 'problem' in known
        ? known.problem
        : known.description.hasSandbox
          ? null
          : `${known.description.name} has no test network in ccxt`;
  const offered = known !== null && 'description' in known && known.description.hasSandbox;

  return (
    <div className="mb-1 flex flex-col items-start gap-0.5">
      <label className="flex items-center gap-2 text-xs text-slate-300">
        <input
          type="checkbox"
          checked={sandbox}
          disabled={!offered}
          onChange={(event) => choose(exchange, event.target.checked)}
          data-testid={`sandbox-${exchange}`}
        />
        Sandbox / testnet
      </label>
      {reason && (
        <p className="max-w-md text-xs text-slate-500" data-testid={`sandbox-reason-${exchange}`}>
          {reason}
        </p>
      )}
    </div>
  );
}
