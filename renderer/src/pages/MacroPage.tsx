// FRED macro series: CPI, unemployment, the Fed funds rate and the 10-year yield, plus any series
// id the user enters, each with its latest value and change. Demo data until a FRED key is saved.
import { useCallback, useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { DemoLabel } from '../components/DemoLabel.tsx';
import { Button, Field, TextInput } from '../components/form.tsx';
import { LineChart } from '../components/LineChart.tsx';
import { Notice } from '../components/Notice.tsx';
import { ProviderKeys } from '../components/ProviderKeys.tsx';
import { formatNumber } from '../components/format.ts';

type MacroAnswer = CallOutput<'macro.series'>;

const presets = ['CPIAUCSL', 'UNRATE', 'FEDFUNDS', 'DGS10'];

export function MacroPage() {
  const [ids, setIds] = useState<string[]>(presets);
  const [entered, setEntered] = useState('');
  const [version, setVersion] = useState(0);
  return (
    <div className="flex flex-col gap-4">
      <Card title="Add a FRED series">
        <form
          className="flex flex-wrap items-end gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            const id = entered.trim().toUpperCase();
            if (id && !ids.includes(id)) setIds([...ids, id]);
            setEntered('');
          }}
        >
          <Field label="Series id" hint="e.g. GDP, PAYEMS, T10Y2Y">
            <TextInput
              value={entered}
              onChange={(e) => setEntered(e.target.value)}
              data-testid="macro-series-id"
            />
          </Field>
          <Button type="submit" data-testid="macro-add">
            Show
          </Button>
        </form>
      </Card>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        {ids.map((id) => (
          <MacroCard key={`${id}-${version}`} id={id} />
        ))}
      </div>
      <ProviderKeys ids={['fred']} onChange={() => setVersion((v) => v + 1)} />
    </div>
  );
}

function MacroCard({ id }: { id: string }) {
  const [answer, setAnswer] = useState<MacroAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api
      .call('macro.series', { seriesId: id })
      .then(setAnswer)
      .catch((caught: unknown) => setError(describeError(caught)));
  }, [id]);
  useEffect(load, [load]);
  const series = answer?.series;
  return (
    <Card>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2" data-testid={`macro-${id}`}>
        <h2 className="text-sm font-semibold text-slate-200">{series?.title ?? id}</h2>
        {answer?.demo && <DemoLabel provider="FRED" />}
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {series && (
        <>
          <div className="flex flex-wrap items-baseline gap-3 text-sm">
            <span className="text-2xl font-semibold tabular-nums" data-testid={`macro-${id}-latest`}>
              {series.latest ? formatNumber(series.latest.value, 3) : '—'}
            </span>
            <span className="text-slate-400">{series.units}</span>
            {series.change !== null && (
              <span
                className={series.change >= 0 ? 'text-emerald-300' : 'text-red-300'}
                data-testid={`macro-${id}-change`}
              >
                {series.change >= 0 ? '+' : ''}
                {formatNumber(series.change, 3)}
              </span>
            )}
            <span className="text-slate-500">{series.latest?.date}</span>
          </div>
          <LineChart
            testId={`macro-${id}-chart`}
            points={series.points.slice(-240).map((point) => ({ label: point.date, value: point.value }))}
          />
        </>
      )}
    </Card>
  );
}
