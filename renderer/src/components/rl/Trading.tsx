// The RL page's trading parts: which stored series to train on and how it is split (time order:
// train, then validation, then the test split the policy never sees), and the judgement once it is
// trained — the policy against buy & hold on the test split, both equity curves, and "Backtest
// this policy", which fills the Backtest page with rl-policy and the model's id.
import { useEffect } from 'react';
import type { CallOutput } from '../../../../core/contract/calls.ts';
import { useBacktestDraft } from '../../stores/backtest-draft.ts';
import { useNavigation } from '../../stores/navigation-store.ts';
import { seriesKey, useSeries } from '../../stores/series-store.ts';
import { Card, Stat } from '../Card.tsx';
import { Button, Field, TextInput } from '../form.tsx';
import { formatPct, formatTime } from '../format.ts';
import { SeriesPicker } from '../SeriesPicker.tsx';
import { formatUtcTimeText } from '../utc-time-text.ts';

type Model = CallOutput<'rl.train'>['model'];
type TradingEvaluation = NonNullable<Model['evaluation']['trading']>;

export interface TradingForm {
  /** `symbol|timeframe`; '' = the first stored series. */
  series: string;
  train: string;
  validation: string;
  window: string;
  allowShort: boolean;
}

export const initialTradingForm: TradingForm = {
  series: '',
  train: '0.6',
  validation: '0.2',
  window: '16',
  allowShort: false,
};

/** The `trading` settings of rl.train from the form, or null while no series is stored. */
export function tradingSettings(form: TradingForm, firstSeries: string | null) {
  const key = form.series || firstSeries;
  if (!key) return null;
  const [symbol, timeframe] = key.split('|') as [string, string];
  return {
    symbol,
    timeframe,
    split: { train: Number(form.train), validation: Number(form.validation) },
    window: Number(form.window),
    allowShort: form.allowShort,
  };
}

export function TradingSettings({
  form,
  disabled,
  onChange,
}: {
  form: TradingForm;
  disabled: boolean;
  onChange(form: TradingForm): void;
}) {
  const { series, refresh } = useSeries();
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const current = series.find((meta) => seriesKey(meta) === form.series) ?? series[0];
  const test = 1 - Number(form.train) - Number(form.validation);
  return (
    // A fieldset so the series picker is locked with the rest while a run trains.
    <fieldset
      disabled={disabled}
      className="mt-3 grid grid-cols-2 gap-3 md:grid-cols-4"
      data-testid="rl-trading-settings"
    >
      <SeriesPicker
        series={series}
        value={current ? seriesKey(current) : ''}
        onChange={(key) => onChange({ ...form, series: key })}
        testId="rl-series"
      />
      <Field label="Train share (oldest bars)">
        <TextInput
          data-testid="rl-split-train"
          inputMode="decimal"
          value={form.train}
          disabled={disabled}
          onChange={(e) => onChange({ ...form, train: e.target.value })}
        />
      </Field>
      <Field
        label="Validation share (next)"
        hint={Number.isFinite(test) && test > 0 ? `Test split: the newest ${formatPct(test * 100, 0)}` : ''}
      >
        <TextInput
          data-testid="rl-split-validation"
          inputMode="decimal"
          value={form.validation}
          disabled={disabled}
          onChange={(e) => onChange({ ...form, validation: e.target.value })}
        />
      </Field>
      <Field label="Returns in the window">
        <TextInput
          data-testid="rl-window"
          inputMode="numeric"
          value={form.window}
          disabled={disabled}
          onChange={(e) => onChange({ ...form, window: e.target.value })}
        />
      </Field>
      <label className="flex items-center gap-2 self-end pb-2 text-xs text-slate-300">
        <input
          type="checkbox"
          checked={form.allowShort}
          disabled={disabled}
          data-testid="rl-allow-short"
          onChange={(e) => onChange({ ...form, allowShort: e.target.checked })}
        />
        May go short (flat / long / short)
      </label>
    </fieldset>
  );
}

const chartWidth = 640;
const chartHeight = 200;
const chartPad = 28;

/** The test split's equity: the policy (blue) and buy & hold (grey), same start, same costs. */
function TestEquityChart({ equity }: { equity: TradingEvaluation['test']['equity'] }) {
  if (equity.length < 2) return null;
  const values = equity.flatMap((point) => [point.policy, point.buyHold]);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (i: number) => chartPad + (i / (equity.length - 1)) * (chartWidth - 2 * chartPad);
  const y = (v: number) =>
    chartHeight - chartPad - ((v - min) / (max - min || 1)) * (chartHeight - 2 * chartPad);
  const line = (pick: (point: (typeof equity)[number]) => number) =>
    equity.map((point, i) => `${x(i).toFixed(1)},${y(pick(point)).toFixed(1)}`).join(' ');
  return (
    <svg
      viewBox={`0 0 ${chartWidth} ${chartHeight}`}
      className="w-full rounded-md border border-slate-800 bg-slate-950"
      data-testid="rl-test-equity"
      data-points={equity.length}
      role="img"
      aria-label="Test split equity: policy against buy and hold"
    >
      <polyline points={line((p) => p.buyHold)} fill="none" stroke="#94a3b8" strokeWidth="1.5" />
      <polyline points={line((p) => p.policy)} fill="none" stroke="#38bdf8" strokeWidth="2" />
      <text x={chartPad} y={14} fill="#38bdf8" fontSize="11">
        policy
      </text>
      <text x={chartPad + 50} y={14} fill="#94a3b8" fontSize="11">
        buy &amp; hold
      </text>
      <text x={4} y={y(max) + 10} fill="#94a3b8" fontSize="10">
        {Math.round(max).toLocaleString('en-US')}
      </text>
      <text x={4} y={y(min) - 2} fill="#94a3b8" fontSize="10">
        {Math.round(min).toLocaleString('en-US')}
      </text>
      <text x={chartPad} y={chartHeight - 8} fill="#94a3b8" fontSize="10">
        {formatTime(equity[0]!.time)}
      </text>
      <text x={chartWidth - chartPad} y={chartHeight - 8} fill="#94a3b8" fontSize="10" textAnchor="end">
        {formatTime(equity.at(-1)!.time)}
      </text>
    </svg>
  );
}

export function TradingEvaluationCard({ model }: { model: Model }) {
  const trading = model.evaluation.trading;
  const change = useBacktestDraft((state) => state.change);
  const go = useNavigation((state) => state.go);
  if (!trading) return null;
  const { test, validation, segments } = trading;
  const backtest = () => {
    change({
      strategy: 'rl-policy',
      params: { modelId: String(model.id) },
      series: seriesKey(trading),
      // The bars the policy never saw: backtesting the whole series would score it on its training data.
      from: formatUtcTimeText(segments.test.from),
      to: formatUtcTimeText(segments.test.to),
      commission: String(trading.money.commission),
      slippage: String(trading.money.slippage),
      cash: String(trading.money.cash),
      sizing: 'all-in',
    });
    go('backtest');
  };
  return (
    <Card title={`Out of sample: ${trading.symbol} ${trading.timeframe}, test split`}>
      <p className="mb-3 text-xs text-slate-400">
        Trained on {formatTime(segments.train.from)} – {formatTime(segments.train.to)} (
        {segments.train.bars.toLocaleString('en-US')} bars), watched on the validation split to{' '}
        {formatTime(segments.validation.to)}, judged on {formatTime(segments.test.from)} –{' '}
        {formatTime(segments.test.to)} ({segments.test.bars.toLocaleString('en-US')} bars it never saw), with
        the same costs as buy &amp; hold.
      </p>
      <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-4" data-testid="rl-trading-evaluation">
        <Stat label="Policy return (test)" value={formatPct(test.policyReturnPct)} testId="rl-test-policy" />
        <Stat
          label="Buy & hold return (test)"
          value={formatPct(test.buyHoldReturnPct)}
          testId="rl-test-buyhold"
        />
        <Stat label="Trades (test)" value={test.trades.toLocaleString('en-US')} testId="rl-test-trades" />
        <Stat
          label="Max drawdown: policy / buy & hold"
          value={`${formatPct(test.policyMaxDrawdownPct, 1)} / ${formatPct(test.buyHoldMaxDrawdownPct, 1)}`}
        />
        <Stat label="Policy return (validation)" value={formatPct(validation.policyReturnPct)} />
        <Stat label="Buy & hold return (validation)" value={formatPct(validation.buyHoldReturnPct)} />
      </div>
      <TestEquityChart equity={test.equity} />
      <div className="mt-3">
        <Button data-testid="rl-backtest-policy" onClick={backtest}>
          Backtest this policy
        </Button>
        <span className="ml-3 text-xs text-slate-400">on the test split, with the same costs</span>
      </div>
    </Card>
  );
}
