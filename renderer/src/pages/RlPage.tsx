// Reinforcement learning (issue #15): pick the environment (the CartPole-v1 self-test, or trading
// on a stored series split train / validation / test), the algorithm and its hyperparameters (a
// preset, each value overridable), train on a worker with the curve drawn live, cancel, and read
// the evaluation — for trading, the test split against buy & hold and "Backtest this policy";
// saved models are listed with theirs.
import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card, Stat } from '../components/Card.tsx';
import { Button, Field, Select, TextInput } from '../components/form.tsx';
import { Notice } from '../components/Notice.tsx';
import { TrainingCurve, type CurvePoint } from '../components/rl/TrainingCurve.tsx';
import {
  initialTradingForm,
  tradingSettings,
  TradingEvaluationCard,
  TradingSettings,
  type TradingForm,
} from '../components/rl/Trading.tsx';
import { seriesKey, useSeries } from '../stores/series-store.ts';

type Algorithm = 'ppo' | 'dqn';
type Environment = 'cartpole' | 'trading';
type Model = CallOutput<'rl.train'>['model'];
type ModelSummary = CallOutput<'rl.models.list'>['models'][number];

/** Fields shown per algorithm; empty means "the preset's value" (core/rl/presets.ts). */
const fields: Record<Algorithm, Array<{ key: string; label: string }>> = {
  ppo: [
    { key: 'learningRate', label: 'Learning rate' },
    { key: 'nEnvs', label: 'Environments' },
    { key: 'nSteps', label: 'Steps per rollout' },
    { key: 'batchSize', label: 'Minibatch' },
    { key: 'epochs', label: 'Epochs' },
    { key: 'gamma', label: 'γ' },
    { key: 'gaeLambda', label: 'GAE λ' },
    { key: 'clipRange', label: 'Clip range' },
    { key: 'entCoef', label: 'Entropy coef.' },
    { key: 'hiddenWidth', label: 'Hidden width (2 layers)' },
  ],
  dqn: [
    { key: 'learningRate', label: 'Learning rate' },
    { key: 'batchSize', label: 'Minibatch' },
    { key: 'bufferSize', label: 'Replay buffer' },
    { key: 'trainFreq', label: 'Train every' },
    { key: 'gradientSteps', label: 'Gradient steps' },
    { key: 'targetUpdateInterval', label: 'Target update' },
    { key: 'explorationFraction', label: 'Exploration fraction' },
    { key: 'finalEpsilon', label: 'Final ε' },
    { key: 'hiddenWidth', label: 'Hidden width (2 layers)' },
  ],
};

/** Presets per environment: the environment's settings (no overrides), or a small, quick network. */
const presetsOf: Record<
  Environment,
  Record<string, { label: string; steps: number; values: Record<string, string> }>
> = {
  cartpole: {
    tuned: { label: 'CartPole — tuned', steps: 50_000, values: {} },
    quick: { label: 'Quick check — small network', steps: 10_000, values: { hiddenWidth: '16' } },
  },
  trading: {
    trading: { label: 'Trading — default', steps: 50_000, values: {} },
    'trading-quick': {
      label: 'Trading — quick check',
      steps: 4_096,
      values: { hiddenWidth: '16', nSteps: '128' },
    },
  },
};
const defaultPreset: Record<Environment, string> = { cartpole: 'tuned', trading: 'trading' };

interface Live {
  runId: string;
  steps: number;
  totalSteps: number;
  lastEpisodeReturn: number | null;
  losses: Record<string, number>;
  points: CurvePoint[];
}

function hyperparameters(values: Record<string, string>, algorithm: Algorithm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const shown = new Set(fields[algorithm].map((field) => field.key));
  for (const [key, text] of Object.entries(values)) {
    // A preset value for a field the algorithm does not have (PPO's rollout length under DQN) is not sent.
    if (text.trim() === '' || !shown.has(key)) continue;
    const value = Number(text);
    if (key === 'hiddenWidth') out.hidden = [value, value];
    else out[key] = value;
  }
  return out;
}

const figure = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

export function RlPage() {
  const [environment, setEnvironment] = useState<Environment>('cartpole');
  const [tradingForm, setTradingForm] = useState<TradingForm>(initialTradingForm);
  const { series } = useSeries();
  const [algorithm, setAlgorithm] = useState<Algorithm>('ppo');
  const [preset, setPreset] = useState('tuned');
  const [values, setValues] = useState<Record<string, string>>({});
  const [steps, setSteps] = useState('50000');
  const [seed, setSeed] = useState('1');
  const [live, setLive] = useState<Live | null>(null);
  const [model, setModel] = useState<Model | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [models, setModels] = useState<ModelSummary[]>([]);

  const refresh = useCallback(() => {
    api.call('rl.models.list', {}).then(
      (value) => setModels(value.models),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(refresh, [refresh]);

  useEffect(
    () =>
      api.on('rl.progress', (progress) =>
        setLive((current) =>
          current && current.runId === progress.runId
            ? {
                ...current,
                steps: progress.steps,
                totalSteps: progress.totalSteps,
                lastEpisodeReturn: progress.lastEpisodeReturn,
                losses: progress.losses,
                points: [...current.points, ...progress.points],
              }
            : current,
        ),
      ),
    [],
  );

  const presets = presetsOf[environment];
  const choosePreset = (name: string, within: Environment = environment) => {
    const chosen = presetsOf[within][name]!;
    setPreset(name);
    setValues(chosen.values);
    setSteps(String(chosen.steps));
  };
  const chooseEnvironment = (next: Environment) => {
    setEnvironment(next);
    choosePreset(defaultPreset[next], next);
  };

  const train = async () => {
    const runId = `rl-${Date.now().toString(36)}`;
    setError(null);
    setModel(null);
    setLive({ runId, steps: 0, totalSteps: Number(steps), lastEpisodeReturn: null, losses: {}, points: [] });
    try {
      const first = series[0];
      const trading =
        environment === 'trading' ? tradingSettings(tradingForm, first ? seriesKey(first) : null) : null;
      if (environment === 'trading' && trading === null)
        throw new Error('No series is stored yet: import or download one on the Chart page first.');
      const input = {
        runId,
        environment,
        algorithm,
        hyperparameters: hyperparameters(values, algorithm),
        steps: Number(steps),
        seed: Number(seed),
        ...(trading ? { trading } : {}),
      } as CallInput<'rl.train'>;
      const result = await api.call('rl.train', input);
      setModel(result.model);
      refresh();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLive((current) => (current?.runId === runId ? { ...current, runId: '' } : current));
    }
  };

  const running = live !== null && live.runId !== '';
  // What the training card shows: the opened model's environment, or the one being trained.
  const shownTrading = model ? model.environment === 'trading' : environment === 'trading';
  const curve = model?.curve ?? live?.points ?? [];

  return (
    <div className="flex flex-col gap-4">
      <Card title="Train a policy">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Field label="Environment">
            <Select
              data-testid="rl-environment"
              value={environment}
              disabled={running}
              onChange={(e) => chooseEnvironment(e.target.value as Environment)}
            >
              <option value="cartpole">CartPole-v1 self-test</option>
              <option value="trading">Trading on a stored series</option>
            </Select>
          </Field>
          <Field label="Algorithm">
            <Select
              data-testid="rl-algorithm"
              value={algorithm}
              disabled={running}
              onChange={(e) => {
                setAlgorithm(e.target.value as Algorithm);
                setValues(presets[preset]?.values ?? {});
              }}
            >
              <option value="ppo">PPO</option>
              <option value="dqn">DQN</option>
            </Select>
          </Field>
          <Field label="Preset">
            <Select
              data-testid="rl-preset"
              value={preset}
              disabled={running}
              onChange={(e) => choosePreset(e.target.value)}
            >
              {Object.entries(presets).map(([name, p]) => (
                <option key={name} value={name}>
                  {p.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Steps (at most)">
            <TextInput
              data-testid="rl-steps"
              inputMode="numeric"
              value={steps}
              disabled={running}
              onChange={(e) => setSteps(e.target.value)}
            />
          </Field>
          <Field label="Seed" hint="The same seed trains the same model.">
            <TextInput
              data-testid="rl-seed"
              inputMode="numeric"
              value={seed}
              disabled={running}
              onChange={(e) => setSeed(e.target.value)}
            />
          </Field>
          {fields[algorithm].map((field) => (
            <Field key={field.key} label={field.label}>
              <TextInput
                data-testid={`rl-hp-${field.key}`}
                placeholder="preset"
                value={values[field.key] ?? ''}
                disabled={running}
                onChange={(e) => setValues({ ...values, [field.key]: e.target.value })}
              />
            </Field>
          ))}
        </div>
        {environment === 'trading' && (
          <TradingSettings form={tradingForm} disabled={running} onChange={setTradingForm} />
        )}
        <div className="mt-3 flex gap-2">
          <Button data-testid="rl-train" disabled={running} onClick={() => void train()}>
            Train
          </Button>
          <Button
            tone="danger"
            data-testid="rl-cancel"
            disabled={!running}
            onClick={() => live && void api.call('rl.cancel', { runId: live.runId })}
          >
            Cancel
          </Button>
        </div>
      </Card>

      {error && (
        <Notice tone="error" testId="rl-error">
          {error}
        </Notice>
      )}

      {(live || model) && (
        <Card title="Training">
          <div className="mb-3 grid grid-cols-2 gap-2 md:grid-cols-4">
            <Stat
              label="Steps"
              value={`${(model?.steps ?? live?.steps ?? 0).toLocaleString('en-US')}`}
              testId="rl-live-steps"
            />
            <Stat
              label={shownTrading ? 'Last episode return (% of cash)' : 'Last episode return'}
              value={figure(live?.lastEpisodeReturn, shownTrading ? 2 : 0)}
            />
            <Stat
              label={algorithm === 'ppo' ? 'Policy / value loss' : 'TD loss'}
              value={
                live?.losses.policyLoss !== undefined
                  ? `${figure(live.losses.policyLoss, 3)} / ${figure(live.losses.valueLoss, 2)}`
                  : figure(live?.losses.tdLoss, 3)
              }
            />
            <Stat
              label="Status"
              value={running ? 'training…' : model ? 'saved' : 'stopped'}
              testId="rl-status"
            />
          </div>
          {shownTrading ? (
            <TrainingCurve
              points={curve}
              totalSteps={live?.totalSteps ?? model?.steps ?? 1}
              solvedReturn={model?.evaluation.trading ? model.evaluation.solvedReturn : 0}
              targetLabel={
                model?.evaluation.trading
                  ? `buy & hold, validation (${model.evaluation.solvedReturn.toFixed(1)} %)`
                  : 'break-even'
              }
            />
          ) : (
            <TrainingCurve
              points={curve}
              totalSteps={live?.totalSteps ?? model?.steps ?? 1}
              solvedReturn={475}
            />
          )}
        </Card>
      )}

      {model?.evaluation.trading && (
        <>
          <Card title="Evaluation">
            <div className="grid grid-cols-2 gap-2 md:grid-cols-4" data-testid="rl-evaluation">
              <Stat
                label="Greedy return on the validation split"
                value={`${figure(model.finalMeanReturn, 2)} %`}
                testId="rl-final-return"
              />
              <Stat
                label="Steps per second"
                value={Math.round(model.evaluation.stepsPerSecond).toLocaleString('en-US')}
              />
              <Stat label="Model" value={`#${model.id}`} testId="rl-model-id" />
            </div>
          </Card>
          <TradingEvaluationCard model={model} />
        </>
      )}

      {model && !model.evaluation.trading && (
        <Card title="Evaluation">
          <div className="grid grid-cols-2 gap-2 md:grid-cols-4" data-testid="rl-evaluation">
            <Stat
              label="Solved (mean ≥ 475 over 20 greedy episodes)"
              value={
                model.solvedAtStep === null
                  ? 'not solved'
                  : `at step ${model.solvedAtStep.toLocaleString('en-US')}`
              }
              testId="rl-solved"
            />
            <Stat
              label={`Final mean return (${model.evaluation.episodes} episodes)`}
              value={figure(model.finalMeanReturn)}
              testId="rl-final-return"
            />
            <Stat
              label="Steps per second"
              value={Math.round(model.evaluation.stepsPerSecond).toLocaleString('en-US')}
            />
            <Stat label="Model" value={`#${model.id}`} testId="rl-model-id" />
          </div>
        </Card>
      )}

      <Card title="Saved models">
        {models.length === 0 ? (
          <p className="text-sm text-slate-400">No model yet: train one above.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="rl-models">
            <thead className="text-xs text-slate-400">
              <tr>
                <th>#</th>
                <th>Name</th>
                <th>Solved at</th>
                <th>Final return</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id} className="border-t border-slate-800">
                  <td>{m.id}</td>
                  <td>{m.name}</td>
                  <td>{m.solvedAtStep === null ? '—' : m.solvedAtStep.toLocaleString('en-US')}</td>
                  <td>{figure(m.finalMeanReturn)}</td>
                  <td className="flex gap-2 py-1">
                    <Button
                      tone="secondary"
                      onClick={() =>
                        void api.call('rl.models.get', { id: m.id }).then(
                          (r) => setModel(r.model),
                          (f: unknown) => setError(describeError(f)),
                        )
                      }
                    >
                      Open
                    </Button>
                    <Button
                      tone="danger"
                      onClick={() =>
                        void api
                          .call('rl.models.remove', { id: m.id })
                          .then(refresh, (f: unknown) => setError(describeError(f)))
                      }
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </div>
  );
}
