// "Test connection" for one saved exchange key: the core signs a few calls with the key from the
// vault and reports what the exchange answered — its markets, the assets with a balance and how
// far its clock is from ours — or, when it refuses, the exchange's own words. With `sandbox` it goes
// to the exchange's test network, and the result says so: a key that works there trades nothing real.
import { useState } from 'react';
import { api, describeError } from '../api/client.ts';
import { Button } from './form.tsx';

type Outcome = { ok: true; text: string } | { ok: false; text: string };

export function ExchangeConnectionTest({
  exchange,
  apiUrl,
  sandbox,
}: {
  exchange: string;
  apiUrl: string;
  sandbox: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const test = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.call('exchange.testConnection', {
        exchange,
        sandbox,
        ...(apiUrl.trim() ? { apiUrl: apiUrl.trim() } : {}),
      });
      setOutcome({
        ok: true,
        text:
          `${result.sandbox ? 'Connected to the sandbox (test network)' : 'Connected'}: ${result.markets.toLocaleString('en-US')} markets, ` +
          `${result.assets.toLocaleString('en-US')} assets with a balance, ` +
          `clock offset ${Math.round(result.clockOffsetMs).toLocaleString('en-US')} ms.`,
      });
    } catch (caught) {
      setOutcome({ ok: false, text: `Refused: ${describeError(caught)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        tone="secondary"
        disabled={busy}
        onClick={() => void test()}
        data-testid={`test-connection-${exchange}`}
      >
        {busy ? 'Testing…' : 'Test connection'}
      </Button>
      {outcome && (
        <p
          className={`max-w-md text-xs ${outcome.ok ? 'text-emerald-300' : 'text-red-300'}`}
          data-testid={`connection-result-${exchange}`}
        >
          {outcome.text}
        </p>
      )}
    </div>
  );
}
