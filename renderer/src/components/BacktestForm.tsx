// Choose data, strategy, parameters, costs and sizing. The form only collects values; the core
// validates them and names the field it refuses.
import { useEffect, useState } from 'react';
import type { CallInput, StrategyInfoJson } from '../../../core/contract/calls.ts';
import { seriesKey, useSeries } from '../stores/series-store.ts';
import { Button, Field, Select, TextInput } from './form.tsx';
import { SeriesPicker } from './SeriesPicker.tsx';
import { StrategyPicker } from './StrategyPicker.tsx';

type RunInput = Omit<CallInput<'backtest.run'>, 'runId'>;

function defaultParams(strategy: StrategyInfoJson | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of strategy?.params ?? [])
    values[param.name] = param.default === null ? '' : String(param.default);
  return values;
}

export function BacktestForm({
  strategies,
  busy,
  onRun,
}: {
  strategies: StrategyInfoJson[];
  busy: boolean;
  onRun(input: RunInput): void;
}) {
  const { series, refresh } = useSeries();
  const [selected, setSelected] = useState('');
  const [strategyName, setStrategyName] = useState('');
  const [params, setParams] = useState<Record<string, string>>({});
  const [cash, setCash] = useState('10000');
  const [commission, setCommission] = useState('0.002');
  const [lotSize, setLotSize] = useState('1');
  const [sizing, setSizing] = useState<'all-in' | 'fraction'>('all-in');
  const [fraction, setFraction] = useState('0.5');
  const [closeAtEnd, setCloseAtEnd] = useState(false);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const strategy = strategies.find((candidate) => candidate.name === strategyName) ?? strategies[0];
  const current = series.find((meta) => seriesKey(meta) === selected) ?? series[0];

  const chooseStrategy = (name: string) => {
    setStrategyName(name);
    setParams(defaultParams(strategies.find((candidate) => candidate.name === name)));
  };
  // Defaults of the first strategy until the user picks one.
  const paramValue = (name: string) => params[name] ?? defaultParams(strategy)[name] ?? '';

  const submit = () => {
    if (!current || !strategy) return;
    const numericParams: Record<string, number> = {};
    for (const param of strategy.params) {
      const text = paramValue(param.name).trim();
      if (text !== '') numericParams[param.name] = Number(text);
    }
    onRun({
      data: { source: 'stored', symbol: current.symbol, timeframe: current.timeframe },
      spec: {
        strategy: strategy.name,
        params: numericParams,
        cash: Number(cash),
        commission: Number(commission),
        lotSize: Number(lotSize),
        sizing: sizing === 'all-in' ? { mode: 'all-in' } : { mode: 'fraction', fraction: Number(fraction) },
        closeAtEnd,
      },
    });
  };

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SeriesPicker
          series={series}
          value={current ? seriesKey(current) : ''}
          onChange={setSelected}
          testId="backtest-series"
        />
        <StrategyPicker
          strategies={strategies}
          value={strategy}
          onChange={chooseStrategy}
          testId="backtest-strategy"
        />
        {strategy?.params.map((param) => (
          <Field
            key={param.name}
            label={`${param.label}${param.optional ? ' (optional)' : ''}`}
            hint={param.description}
          >
            <TextInput
              inputMode="decimal"
              value={paramValue(param.name)}
              data-testid={`param-${param.name}`}
              onChange={(event) => setParams((values) => ({ ...values, [param.name]: event.target.value }))}
            />
          </Field>
        ))}
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Field label="Starting cash">
          <TextInput
            inputMode="decimal"
            value={cash}
            data-testid="backtest-cash"
            onChange={(e) => setCash(e.target.value)}
          />
        </Field>
        <Field label="Commission (fraction)" hint="0.002 = 0.2 % per fill">
          <TextInput
            inputMode="decimal"
            value={commission}
            data-testid="backtest-commission"
            onChange={(e) => setCommission(e.target.value)}
          />
        </Field>
        <Field label="Lot size" hint="1 for shares">
          <TextInput
            inputMode="decimal"
            value={lotSize}
            data-testid="backtest-lot"
            onChange={(e) => setLotSize(e.target.value)}
          />
        </Field>
        <Field label="Position size">
          <Select
            value={sizing}
            data-testid="backtest-sizing"
            onChange={(e) => setSizing(e.target.value as 'all-in' | 'fraction')}
          >
            <option value="all-in">All available equity</option>
            <option value="fraction">Fraction of equity</option>
          </Select>
        </Field>
        {sizing === 'fraction' && (
          <Field label="Fraction">
            <TextInput inputMode="decimal" value={fraction} onChange={(e) => setFraction(e.target.value)} />
          </Field>
        )}
        <label className="flex items-center gap-2 self-end pb-2 text-xs text-slate-300">
          <input type="checkbox" checked={closeAtEnd} onChange={(e) => setCloseAtEnd(e.target.checked)} />
          Close the open position at the end
        </label>
      </div>
      <div>
        <Button type="submit" disabled={busy || !current || !strategy} data-testid="backtest-run">
          {busy ? 'Running…' : 'Run backtest'}
        </Button>
      </div>
    </form>
  );
}
