// A Shopify store's daily revenue and the share of it set aside for reinvestment (no money moves:
// it is a figure to budget with). Demo data until the store's domain and Admin API token are saved.
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card, Stat } from '../components/Card.tsx';
import { DemoLabel } from '../components/DemoLabel.tsx';
import { Field, TextInput } from '../components/form.tsx';
import { LineChart } from '../components/LineChart.tsx';
import { Notice } from '../components/Notice.tsx';
import { ProviderKeys } from '../components/ProviderKeys.tsx';
import { ReinvestmentLedgerCard } from '../components/ReinvestmentLedgerCard.tsx';

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

export function ShopifyPage() {
  const [from, setFrom] = useState(isoDay(-29));
  const [to, setTo] = useState(isoDay(0));
  const [reinvestPct, setReinvestPct] = useState(10);
  const [answer, setAnswer] = useState<CallOutput<'shopify.revenue'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let stale = false;
    api
      .call('shopify.revenue', { from, to, reinvestPct })
      .then((result) => {
        if (stale) return;
        setAnswer(result);
        setError(null);
      })
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [from, to, reinvestPct, version]);

  const money = (value: number) =>
    new Intl.NumberFormat('en-US', { style: 'currency', currency: answer?.currency ?? 'USD' }).format(value);

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-sm font-semibold tracking-wide text-slate-300 uppercase">Store revenue</h2>
          {answer?.demo && <DemoLabel provider="Shopify" />}
        </div>
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
          <Field label="From">
            <TextInput
              type="date"
              value={from}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="shopify-from"
            />
          </Field>
          <Field label="To">
            <TextInput
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              data-testid="shopify-to"
            />
          </Field>
          <Field label="Set aside for reinvestment (%)">
            <TextInput
              type="number"
              min={0}
              max={100}
              value={reinvestPct}
              onChange={(e) => setReinvestPct(Math.min(100, Math.max(0, Number(e.target.value) || 0)))}
              data-testid="shopify-reinvest-pct"
            />
          </Field>
        </div>
        {error && <Notice tone="error">{error}</Notice>}
        {answer && (
          <>
            <div className="my-3 grid grid-cols-1 gap-3 sm:grid-cols-3">
              <Stat label="Revenue" value={money(answer.total)} testId="shopify-total" />
              <Stat label="Orders" value={answer.orders} testId="shopify-orders" />
              <Stat
                label={`Reinvestment (${reinvestPct} %)`}
                value={money(answer.reinvest)}
                testId="shopify-reinvest"
              />
            </div>
            <LineChart
              bars
              testId="shopify-chart"
              color="#34d399"
              points={answer.days.map((day) => ({ label: day.date, value: day.revenue }))}
            />
          </>
        )}
      </Card>
      <ReinvestmentLedgerCard reinvestPct={reinvestPct} />
      <ProviderKeys ids={['shopify']} onChange={() => setVersion((v) => v + 1)} />
    </div>
  );
}
