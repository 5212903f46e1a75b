// Set up an optimisation: data, strategy, which parameters to search (from / to / step) and which
// to fix, constraints, method and budget, objective, validation and costs. The form only collects
// values; the core checks them and names the field it refuses.
import { useEffect, useState } from 'react';
import type { CallInput, StrategyInfoJson } from '../../../../core/contract/calls.ts';
import {
  backtestDefaults,
  objectiveNames,
  optimizeDefaults,
  type ObjectiveName,
} from '../../../../core/contract/defaults.ts';
import { seriesKey, useSeries } from '../../stores/series-store.ts';
import { Button, Field, Select, TextInput } from '../form.tsx';
import { SeriesPicker } from '../SeriesPicker.tsx';
import { StrategyPicker } from '../StrategyPicker.tsx';

type RunInput = Omit<CallInput<'optimize.run'>, 'runId'>;
type Request = RunInput['request'];

interface ParamSetup {
  search: boolean;
  from: string;
  to: string;
  step: string;
  value: string;
}

/** Sensible first searches for the built-in strategies; others start with every parameter fixed. */
const presets: Record<string, { ranges: Record<string, [number, number, number]>; constraints: string }> = {
  rsi: { ranges: { lower: [20, 40, 1], upper: [60, 80, 1] }, constraints: '' },
  'sma-cross': { ranges: { fast: [5, 30, 5], slow: [10, 60, 5] }, constraints: 'fast < slow' },
};

const objectiveLabels: Record<ObjectiveName, string> = {
  default: 'Default (PF, win rate, drawdown)',
  return: 'Total return',
  sharpe: 'Sharpe ratio',
  calmar: 'Calmar ratio',
};

function initialSetup(strategy: StrategyInfoJson | undefined): Record<string, ParamSetup> {
  const preset = strategy ? presets[strategy.name] : undefined;
  const setup: Record<string, ParamSetup> = {};
  for (const param of strategy?.params ?? []) {
    const range = preset?.ranges[param.name];
    setup[param.name] = {
      search: range !== undefined,
      from: String(range?.[0] ?? param.default ?? ''),
      to: String(range?.[1] ?? param.default ?? ''),
      step: String(range?.[2] ?? param.step ?? 1),
      value: param.default === null ? '' : String(param.default),
    };
  }
  return setup;
}

/** "fast < slow, a <= b" → constraint objects; anything else is passed on for the core to refuse. */
export function parseConstraints(text: string): Request['constraints'] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([A-Za-z_][\w-]*)\s*(<=|<)\s*([A-Za-z_][\w-]*)$/.exec(part);
      if (!match) throw new Error(`Constraint "${part}" is not of the form "a < b" or "a <= b".`);
      const pair: [string, string] = [match[1]!, match[3]!];
      return match[2] === '<' ? { less: pair } : { lessOrEqual: pair };
    });
}

export function OptimizeForm({
  strategies,
  busy,
  onRun,
  onInvalid,
}: {
  strategies: StrategyInfoJson[];
  busy: boolean;
  onRun(input: RunInput): void;
  onInvalid(message: string): void;
}) {
  const { series, refresh } = useSeries();
  const [selected, setSelected] = useState('');
  const [strategyName, setStrategyName] = useState('rsi');
  const [setup, setSetup] = useState<Record<string, ParamSetup>>({});
  const [constraints, setConstraints] = useState('');
  const [method, setMethod] = useState<'grid' | 'genetic'>(optimizeDefaults.method);
  const [budget, setBudget] = useState(String(optimizeDefaults.budget));
  const [seed, setSeed] = useState(String(optimizeDefaults.seed));
  const [objective, setObjective] = useState<ObjectiveName>(optimizeDefaults.objective);
  const [minTrades, setMinTrades] = useState(String(optimizeDefaults.minTrades));
  const [validation, setValidation] = useState<'none' | 'split' | 'walk-forward'>(
    optimizeDefaults.validation.kind,
  );
  const [train, setTrain] = useState(String(optimizeDefaults.validation.train));
  const [folds, setFolds] = useState(String(optimizeDefaults.walkForwardFolds));
  const [anchored, setAnchored] = useState(false);
  const [cash, setCash] = useState(String(backtestDefaults.cash));
  const [commission, setCommission] = useState(String(backtestDefaults.commission));
  const [fixedFee, setFixedFee] = useState(String(backtestDefaults.fixedFee));
  const [slippage, setSlippage] = useState(String(backtestDefaults.slippage));
  const [lotSize, setLotSize] = useState(String(backtestDefaults.lotSize));

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const strategy = strategies.find((candidate) => candidate.name === strategyName) ?? strategies[0];
  const current = series.find((meta) => seriesKey(meta) === selected) ?? series[0];
  const paramSetup = (name: string): ParamSetup =>
    setup[name] ?? initialSetup(strategy)[name] ?? { search: false, from: '', to: '', step: '1', value: '' };
  const update = (name: string, change: Partial<ParamSetup>) =>
    setSetup((all) => ({ ...initialSetup(strategy), ...all, [name]: { ...paramSetup(name), ...change } }));

  const chooseStrategy = (name: string) => {
    const chosen = strategies.find((candidate) => candidate.name === name);
    setStrategyName(name);
    setSetup(initialSetup(chosen));
    setConstraints(presets[name]?.constraints ?? '');
  };

  const submit = () => {
    if (!current || !strategy) return;
    const ranges: Request['ranges'] = [];
    const fixed: Record<string, number> = {};
    for (const param of strategy.params) {
      const p = paramSetup(param.name);
      if (p.search)
        ranges.push({ name: param.name, from: Number(p.from), to: Number(p.to), step: Number(p.step) });
      else if (p.value.trim() !== '') fixed[param.name] = Number(p.value);
    }
    let parsedConstraints: Request['constraints'];
    try {
      parsedConstraints = parseConstraints(constraints);
    } catch (error) {
      onInvalid((error as Error).message);
      return;
    }
    onRun({
      data: { source: 'stored', symbol: current.symbol, timeframe: current.timeframe },
      request: {
        strategy: strategy.name,
        baseSpec: {
          params: fixed,
          cash: Number(cash),
          commission: Number(commission),
          fixedFee: Number(fixedFee),
          slippage: Number(slippage),
          lotSize: Number(lotSize),
        },
        ranges,
        constraints: parsedConstraints,
        method,
        ...(method === 'genetic' ? { budget: Number(budget), seed: Number(seed) } : {}),
        objective,
        minTrades: Number(minTrades),
        validation:
          validation === 'none'
            ? { kind: 'none' }
            : validation === 'split'
              ? { kind: 'split', train: Number(train) }
              : { kind: 'walk-forward', folds: Number(folds), anchored },
      },
    });
  };

  return (
    <form
      className="flex flex-col gap-4"
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
          testId="optimize-series"
        />
        <StrategyPicker
          strategies={strategies}
          value={strategy}
          onChange={chooseStrategy}
          testId="optimize-strategy"
        />
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-xs text-slate-400">
          Parameters: search a range, or keep a value fixed
        </legend>
        {strategy?.params.map((param) => {
          const p = paramSetup(param.name);
          return (
            <div
              key={param.name}
              className="grid grid-cols-2 items-end gap-2 sm:grid-cols-5"
              data-testid={`range-${param.name}`}
            >
              <label className="col-span-2 flex items-center gap-2 text-sm text-slate-200 sm:col-span-1">
                <input
                  type="checkbox"
                  checked={p.search}
                  data-testid={`search-${param.name}`}
                  onChange={(event) => update(param.name, { search: event.target.checked })}
                />
                {param.label}
              </label>
              {p.search ? (
                <>
                  <Field label="From">
                    <TextInput
                      inputMode="decimal"
                      value={p.from}
                      data-testid={`from-${param.name}`}
                      onChange={(event) => update(param.name, { from: event.target.value })}
                    />
                  </Field>
                  <Field label="To">
                    <TextInput
                      inputMode="decimal"
                      value={p.to}
                      data-testid={`to-${param.name}`}
                      onChange={(event) => update(param.name, { to: event.target.value })}
                    />
                  </Field>
                  <Field label="Step">
                    <TextInput
                      inputMode="decimal"
                      value={p.step}
                      data-testid={`step-${param.name}`}
                      onChange={(event) => update(param.name, { step: event.target.value })}
                    />
                  </Field>
                </>
              ) : (
                <Field label={param.optional ? 'Value (optional)' : 'Value'}>
                  <TextInput
                    inputMode="decimal"
                    value={p.value}
                    data-testid={`fixed-${param.name}`}
                    onChange={(event) => update(param.name, { value: event.target.value })}
                  />
                </Field>
              )}
            </div>
          );
        })}
        <Field label="Constraints" hint='e.g. "fast < slow"; separate several with commas'>
          <TextInput
            value={constraints}
            data-testid="optimize-constraints"
            onChange={(event) => setConstraints(event.target.value)}
          />
        </Field>
      </fieldset>

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Field label="Method">
          <Select
            value={method}
            data-testid="optimize-method"
            onChange={(event) => setMethod(event.target.value as 'grid' | 'genetic')}
          >
            <option value="grid">Grid (every set)</option>
            <option value="genetic">Genetic</option>
          </Select>
        </Field>
        {method === 'genetic' && (
          <>
            <Field label="Budget (evaluations)">
              <TextInput
                inputMode="numeric"
                value={budget}
                onChange={(event) => setBudget(event.target.value)}
              />
            </Field>
            <Field label="Seed" hint="the same seed repeats the run">
              <TextInput inputMode="numeric" value={seed} onChange={(event) => setSeed(event.target.value)} />
            </Field>
          </>
        )}
        <Field label="Objective">
          <Select
            value={objective}
            data-testid="optimize-objective"
            onChange={(event) => setObjective(event.target.value as ObjectiveName)}
          >
            {objectiveNames.map((name) => (
              <option key={name} value={name}>
                {objectiveLabels[name]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Minimum trades" hint="fewer scores nothing">
          <TextInput
            inputMode="numeric"
            value={minTrades}
            data-testid="optimize-min-trades"
            onChange={(event) => setMinTrades(event.target.value)}
          />
        </Field>
        <Field label="Validation">
          <Select
            value={validation}
            data-testid="optimize-validation"
            onChange={(event) => setValidation(event.target.value as typeof validation)}
          >
            <option value="split">Train / test split</option>
            <option value="walk-forward">Walk-forward</option>
            <option value="none">None (in sample only)</option>
          </Select>
        </Field>
        {validation === 'split' && (
          <Field label="Train fraction">
            <TextInput
              inputMode="decimal"
              value={train}
              data-testid="optimize-train"
              onChange={(event) => setTrain(event.target.value)}
            />
          </Field>
        )}
        {validation === 'walk-forward' && (
          <>
            <Field label="Windows">
              <TextInput
                inputMode="numeric"
                value={folds}
                onChange={(event) => setFolds(event.target.value)}
              />
            </Field>
            <label className="flex items-center gap-2 self-end pb-2 text-xs text-slate-300">
              <input
                type="checkbox"
                checked={anchored}
                onChange={(event) => setAnchored(event.target.checked)}
              />
              Anchored (train from the start)
            </label>
          </>
        )}
      </div>

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
        <Field label="Starting cash">
          <TextInput
            inputMode="decimal"
            value={cash}
            data-testid="optimize-cash"
            onChange={(event) => setCash(event.target.value)}
          />
        </Field>
        <Field label="Commission (fraction)" hint="0.002 = 0.2 % per fill">
          <TextInput
            inputMode="decimal"
            value={commission}
            data-testid="optimize-commission"
            onChange={(event) => setCommission(event.target.value)}
          />
        </Field>
        <Field label="Fixed fee per fill">
          <TextInput
            inputMode="decimal"
            value={fixedFee}
            data-testid="optimize-fixed-fee"
            onChange={(event) => setFixedFee(event.target.value)}
          />
        </Field>
        <Field label="Slippage (fraction)" hint="of price, on market and stop fills">
          <TextInput
            inputMode="decimal"
            value={slippage}
            data-testid="optimize-slippage"
            onChange={(event) => setSlippage(event.target.value)}
          />
        </Field>
        <Field label="Lot size" hint="1 for shares and FX units">
          <TextInput
            inputMode="decimal"
            value={lotSize}
            data-testid="optimize-lot"
            onChange={(event) => setLotSize(event.target.value)}
          />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={busy || !current || !strategy} data-testid="optimize-run">
          {busy ? 'Optimising…' : 'Run optimisation'}
        </Button>
      </div>
    </form>
  );
}
