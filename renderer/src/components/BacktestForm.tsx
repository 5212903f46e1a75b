// Choose data, strategy, parameters, costs and sizing. The form only collects values; the core
// validates them and names the field it refuses.
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import type { CallInput, StrategyInfoJson } from '../../../core/contract/calls.ts';
import { useBacktestDraft, type SizingMode } from '../stores/backtest-draft.ts';
import { seriesKey, useSeries } from '../stores/series-store.ts';
import { Button, Field, Select, TextInput } from './form.tsx';
import { policyOfText, ReinvestmentFields } from './ReinvestmentFields.tsx';
import { SeriesPicker } from './SeriesPicker.tsx';
import { StrategyPicker } from './StrategyPicker.tsx';
import { parseUtcTimeText } from './utc-time-text.ts';

type RunInput = Omit<CallInput<'backtest.run'>, 'runId'>;
type Sizing = NonNullable<RunInput['spec']['sizing']>;

function defaultParams(strategy: StrategyInfoJson | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const param of strategy?.params ?? [])
    values[param.name] = param.default === null ? '' : String(param.default);
  return values;
}

const sizingAmountLabel: Record<Exclude<SizingMode, 'all-in'>, string> = {
  fraction: 'Fraction of equity',
  fixed: 'Quantity',
  risk: 'Risk per trade (fraction)',
};

function sizingOf(mode: SizingMode, amount: number): Sizing {
  switch (mode) {
    case 'all-in':
      return { mode: 'all-in' };
    case 'fraction':
      return { mode: 'fraction', fraction: amount };
    case 'fixed':
      return { mode: 'fixed', quantity: amount };
    case 'risk':
      return { mode: 'risk', riskFraction: amount };
  }
}

/** The account's breaker settings; without a licence (no Risk page) the defaults, filled in by the core. */
async function breakerSettings(): Promise<NonNullable<RunInput['spec']['breakers']>> {
  const answer = await api.result('risk.settings.get', {});
  return answer.ok ? answer.value.settings : {};
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
  const { draft, change } = useBacktestDraft();
  const [periodError, setPeriodError] = useState<string | null>(null);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const strategy = strategies.find((candidate) => candidate.name === draft.strategy) ?? strategies[0];
  const current = series.find((meta) => seriesKey(meta) === draft.series) ?? series[0];

  const chooseStrategy = (name: string) => change({ strategy: name, params: {} });
  // A parameter the user has not touched shows the strategy's default.
  const paramValue = (name: string) => draft.params[name] ?? defaultParams(strategy)[name] ?? '';

  const submit = async () => {
    if (!current || !strategy) return;
    const from = parseUtcTimeText(draft.from, 'from');
    const to = parseUtcTimeText(draft.to, 'to');
    if (!from.ok || !to.ok) {
      setPeriodError(!from.ok ? from.message : (to as { message: string }).message);
      return;
    }
    setPeriodError(null);
    const numericParams: Record<string, number> = {};
    for (const param of strategy.params) {
      const text = paramValue(param.name).trim();
      if (text !== '') numericParams[param.name] = Number(text);
    }
    onRun({
      data: {
        source: 'stored',
        symbol: current.symbol,
        timeframe: current.timeframe,
        ...(from.value === undefined ? {} : { from: from.value }),
        ...(to.value === undefined ? {} : { to: to.value }),
      },
      spec: {
        strategy: strategy.name,
        params: numericParams,
        cash: Number(draft.cash),
        commission: Number(draft.commission),
        fixedFee: Number(draft.fixedFee),
        slippage: Number(draft.slippage),
        lotSize: Number(draft.lotSize),
        sizing: sizingOf(draft.sizing, Number(draft.sizingAmount)),
        closeAtEnd: draft.closeAtEnd,
        ...(draft.breakers ? { breakers: await breakerSettings() } : {}),
        ...(draft.reinvest ? { reinvestment: policyOfText(draft.reinvestment) } : {}),
      },
    });
  };

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SeriesPicker
          series={series}
          value={current ? seriesKey(current) : ''}
          onChange={(key) => change({ series: key })}
          testId="backtest-series"
        />
        <Field label="From (UTC)" hint="YYYY-MM-DD [HH:MM]; empty: the first bar">
          <TextInput
            value={draft.from}
            placeholder="first bar"
            data-testid="backtest-from"
            onChange={(e) => change({ from: e.target.value })}
          />
        </Field>
        <Field label="To (UTC)" hint="a date alone includes that whole day; empty: the last bar">
          <TextInput
            value={draft.to}
            placeholder="last bar"
            data-testid="backtest-to"
            onChange={(e) => change({ to: e.target.value })}
          />
        </Field>
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
              onChange={(event) => change({ params: { ...draft.params, [param.name]: event.target.value } })}
            />
          </Field>
        ))}
      </div>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Field label="Starting cash">
          <TextInput
            inputMode="decimal"
            value={draft.cash}
            data-testid="backtest-cash"
            onChange={(e) => change({ cash: e.target.value })}
          />
        </Field>
        <Field label="Commission (fraction)" hint="0.002 = 0.2 % per fill">
          <TextInput
            inputMode="decimal"
            value={draft.commission}
            data-testid="backtest-commission"
            onChange={(e) => change({ commission: e.target.value })}
          />
        </Field>
        <Field label="Fixed fee per fill">
          <TextInput
            inputMode="decimal"
            value={draft.fixedFee}
            data-testid="backtest-fixed-fee"
            onChange={(e) => change({ fixedFee: e.target.value })}
          />
        </Field>
        <Field label="Slippage (fraction)" hint="of price, on market and stop fills">
          <TextInput
            inputMode="decimal"
            value={draft.slippage}
            data-testid="backtest-slippage"
            onChange={(e) => change({ slippage: e.target.value })}
          />
        </Field>
        <Field label="Lot size" hint="1 for shares">
          <TextInput
            inputMode="decimal"
            value={draft.lotSize}
            data-testid="backtest-lot"
            onChange={(e) => change({ lotSize: e.target.value })}
          />
        </Field>
        <Field label="Position size">
          <Select
            value={draft.sizing}
            data-testid="backtest-sizing"
            onChange={(e) => change({ sizing: e.target.value as SizingMode })}
          >
            <option value="all-in">All available equity</option>
            <option value="fraction">Fraction of equity</option>
            <option value="fixed">Fixed quantity</option>
            <option value="risk">Risk per trade (needs a stop-loss)</option>
          </Select>
        </Field>
        {draft.sizing !== 'all-in' && (
          <Field label={sizingAmountLabel[draft.sizing]}>
            <TextInput
              inputMode="decimal"
              value={draft.sizingAmount}
              data-testid="backtest-sizing-amount"
              onChange={(e) => change({ sizingAmount: e.target.value })}
            />
          </Field>
        )}
        <label className="flex items-center gap-2 self-end pb-2 text-xs text-slate-300">
          <input
            type="checkbox"
            checked={draft.closeAtEnd}
            data-testid="backtest-close-at-end"
            onChange={(e) => change({ closeAtEnd: e.target.checked })}
          />
          Close the open position at the end
        </label>
        <label
          className="flex items-center gap-2 self-end pb-2 text-xs text-slate-300"
          title="Off by default, so results stay comparable with other engines. Runs on the strategy-object engine."
        >
          <input
            type="checkbox"
            checked={draft.breakers}
            data-testid="backtest-breakers"
            onChange={(e) => change({ breakers: e.target.checked })}
          />
          Apply the circuit breakers (Risk page settings)
        </label>
      </div>
      <fieldset
        className="flex flex-col gap-3 rounded-md border border-slate-800 p-3"
        data-testid="backtest-reinvest-section"
      >
        <legend className="px-1 text-xs text-slate-300">
          <label
            className="flex items-center gap-2"
            title="Each entry spends a budget that grows with a share of realised profit, up to a cap, cut while drawdown is deep; it replaces the position size above. Runs on the strategy-object engine."
          >
            <input
              type="checkbox"
              checked={draft.reinvest}
              data-testid="backtest-reinvest"
              onChange={(e) => change({ reinvest: e.target.checked })}
            />
            Reinvest profits
          </label>
        </legend>
        {draft.reinvest && (
          <p className="text-xs text-slate-400">
            Each entry spends the budget (or the cash available, if less) in place of the position size above.
          </p>
        )}
        {draft.reinvest && (
          <ReinvestmentFields
            value={draft.reinvestment}
            onChange={(reinvestment) => change({ reinvestment })}
            testId="backtest-reinvest"
          />
        )}
      </fieldset>
      {periodError && (
        <p className="text-xs text-red-400" role="alert" data-testid="backtest-period-error">
          {periodError}
        </p>
      )}
      <div>
        <Button type="submit" disabled={busy || !current || !strategy} data-testid="backtest-run">
          {busy ? 'Running…' : 'Run backtest'}
        </Button>
      </div>
    </form>
  );
}
