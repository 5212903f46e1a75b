// "Reconcile" for one saved exchange key: the core compares the exchange account (open orders,
// recent fills, balances of the symbols the exchange-fed bots trade) with the order journal, saves
// the run and answers its diff — each change with why — and what it adopted as external. The
// sandbox (test network) account is another account: its run and adoptions are its own.
import { useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Button } from './form.tsx';

/** The run and the network it was made on: Acknowledge answers that run, whatever the box says since. */
type Run = CallOutput<'exchange.reconcile'> & { sandbox: boolean };

export function ExchangeReconcile({
  exchange,
  apiUrl,
  sandbox,
}: {
  exchange: string;
  apiUrl: string;
  sandbox: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [run, setRun] = useState<Run | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [acknowledged, setAcknowledged] = useState<string | null>(null);

  const reconcile = async () => {
    setBusy(true);
    setProblem(null);
    setAcknowledged(null);
    try {
      const result = await api.call('exchange.reconcile', {
        exchange,
        sandbox,
        ...(apiUrl.trim() ? { apiUrl: apiUrl.trim() } : {}),
      });
      setRun({ ...result, sandbox });
    } catch (caught) {
      setRun(null);
      setProblem(`Refused: ${describeError(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  // Adoptions hold the whole account REDUCING (breaker `reconcile`) until the user says they saw them.
  const acknowledge = async (of: Run) => {
    setBusy(true);
    try {
      const { acknowledged: count } = await api.call('exchange.acknowledge', {
        exchange,
        sandbox: of.sandbox,
      });
      setAcknowledged(
        `Acknowledged ${count} adoption${count === 1 ? '' : 's'}: the account is no longer held REDUCING by reconciliation.`,
      );
      setRun((current) => (current ? { ...current, adoptions: [] } : current));
    } catch (caught) {
      setProblem(`Refused: ${describeError(caught)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mt-1 flex flex-col items-start gap-1">
      <Button
        tone="secondary"
        disabled={busy}
        onClick={() => void reconcile()}
        data-testid={`reconcile-${exchange}`}
      >
        {busy ? 'Reconciling…' : 'Reconcile'}
      </Button>
      {problem && (
        <p className="max-w-md text-xs text-red-300" data-testid={`reconcile-result-${exchange}`}>
          {problem}
        </p>
      )}
      {run && (
        <div className="max-w-md text-xs" data-testid={`reconcile-result-${exchange}`}>
          <p className={run.error ? 'text-red-300' : 'text-slate-300'}>
            {run.error
              ? `Run ${run.runId}${run.sandbox ? ' on the sandbox' : ''} failed: ${run.error}`
              : `Run ${run.runId}${run.sandbox ? ' on the sandbox' : ''} (${run.symbols.join(', ') || 'no symbols'}): ${
                  run.changes.length === 0
                    ? 'the journal and the exchange agree.'
                    : `${run.changes.length} change${run.changes.length === 1 ? '' : 's'}.`
                }`}
          </p>
          {run.changes.length > 0 && (
            <ul className="list-disc pl-4 text-slate-300" data-testid={`reconcile-diff-${exchange}`}>
              {run.changes.map((change, i) => (
                <li key={i}>
                  <span className="font-mono text-amber-300">{change.kind}</span> {change.why}
                </li>
              ))}
            </ul>
          )}
          {run.adoptions.length > 0 && (
            <div className="flex flex-col items-start gap-1">
              <p className="text-amber-300" data-testid={`reconcile-adopted-${exchange}`}>
                Adopted as external — the account only reduces positions until you acknowledge:{' '}
                {run.adoptions.map((a) => `${a.kind} ${a.detail}`).join('; ')}
              </p>
              <Button
                tone="secondary"
                disabled={busy}
                onClick={() => void acknowledge(run)}
                data-testid={`reconcile-acknowledge-${exchange}`}
              >
                Acknowledge
              </Button>
            </div>
          )}
        </div>
      )}
      {acknowledged && (
        <p className="max-w-md text-xs text-emerald-300" data-testid={`reconcile-acknowledged-${exchange}`}>
          {acknowledged}
        </p>
      )}
    </div>
  );
}
