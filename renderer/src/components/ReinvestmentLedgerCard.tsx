// The Shopify page's monthly reinvestment ledger: record a finished month's share of the store's
// revenue (the percentage set above it on the page), and the months recorded so far. A ledger only:
// no money moves. The core refuses demo revenue, a month still under way, and a second recording
// of a month unless "replace" is ticked, saying which.
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from './Card.tsx';
import { Button, Field, TextInput } from './form.tsx';
import { Notice } from './Notice.tsx';

type Entry = CallOutput<'shopify.budgetLedger'>['entries'][number];

/** Last month as YYYY-MM (UTC): the latest one that has ended. */
function lastMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

const money = (value: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(value);

export function ReinvestmentLedgerCard({ reinvestPct }: { reinvestPct: number }) {
  const [month, setMonth] = useState(lastMonth);
  const [replace, setReplace] = useState(false);
  const [entries, setEntries] = useState<Entry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** Bumped after each recording: the list reloads. */
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let stale = false;
    api
      .call('shopify.budgetLedger', {})
      .then((answer) => !stale && setEntries(answer.entries))
      .catch((caught: unknown) => !stale && setProblem(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [version]);

  const record = async () => {
    setBusy(true);
    try {
      await api.call('shopify.recordBudget', { month, reinvestPct, replace });
      setProblem(null);
      setReplace(false);
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="Monthly reinvestment budget">
      <p className="mb-3 text-xs text-slate-400">
        Records a finished month’s revenue and the {reinvestPct} % set aside above, as a ledger entry: no
        money moves. Only real revenue is recorded, never demo data.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Month">
          <TextInput
            type="month"
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            data-testid="budget-month"
          />
        </Field>
        <label className="flex items-center gap-2 pb-2 text-xs text-slate-300">
          <input
            type="checkbox"
            checked={replace}
            onChange={(e) => setReplace(e.target.checked)}
            data-testid="budget-replace"
          />
          Replace an entry already recorded
        </label>
        <Button onClick={() => void record()} disabled={busy || month === ''} data-testid="budget-record">
          Record
        </Button>
      </div>
      {problem && (
        <Notice tone="error" testId="budget-error">
          {problem}
        </Notice>
      )}
      {entries.length > 0 ? (
        <table className="mt-3 w-full text-left text-sm" data-testid="budget-ledger">
          <thead className="text-xs text-slate-400">
            <tr>
              <th>Month</th>
              <th className="text-right">Revenue</th>
              <th className="text-right">Orders</th>
              <th className="text-right">Share</th>
              <th className="text-right">Set aside</th>
              <th className="pl-4">Recorded</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.month} className="border-t border-slate-800 tabular-nums">
                <td>{entry.month}</td>
                <td className="text-right">{money(entry.revenue, entry.currency)}</td>
                <td className="text-right">{entry.orders}</td>
                <td className="text-right">{entry.reinvestPct} %</td>
                <td className="text-right">{money(entry.amount, entry.currency)}</td>
                <td className="pl-4 text-xs text-slate-400">
                  {entry.recordedAt.slice(0, 16).replace('T', ' ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="mt-3 text-sm text-slate-400">No month recorded yet.</p>
      )}
    </Card>
  );
}
