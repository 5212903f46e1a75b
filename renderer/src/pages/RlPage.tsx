// Reinforcement learning (issue #15): pick the environment (the CartPole-v1 self-test), the
// algorithm and its hyperparameters (a preset, each value overridable), train on a worker with the
// curve drawn live, cancel, and read the evaluation; saved models are listed with theirs and can be
// asked for an action.
import { useCallback, useEffect, useState } from 'react';
import type { CallInput, CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card, Stat } from '../components/Card.tsx';
import { Button, Field, Select, TextInput } from '../components/form.tsx';
import { Notice } from '../components/Notice.tsx';
import { TrainingCurve, type CurvePoint } from '../components/rl/TrainingCurve.tsx';

type Algorithm = 'ppo' | 'dqn';
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

/** Presets: the tuned CartPole settings (no overrides), or a small, quick network. */
const presets: Record<string, { label: string; steps: number; values: Record<string, string> }> = {
  tuned: { label: 'CartPole — tuned', steps: 50_000, values: {} },
  quick: { label: 'Quick check — small network', steps: 10_000, values: { hiddenWidth: '16' } },
};

interface Live {
  runId: string;
  steps: number;
  totalSteps: number;
  lastEpisodeReturn: number | null;
  losses: Record<string, number>;
  points: CurvePoint[];
}

function hyperparameters(values: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(values)) {
    if (text.trim() === '') continue;
    const value = Number(text);
    if (key === 'hiddenWidth') out.hidden = [value, value];
    else out[key] = value;
  }
  return out;
}

const figure = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);

export function RlPage() {
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

  const choosePreset = (name: string) => {
    setPreset(name);
    setValues(presets[name]!.values);
    setSteps(String(presets[name]!.steps));
  };

  const train = async () => {
    const runId = `rl-${Date.now().toString(36)}`;
    setError(null);
    setModel(null);
    setLive({ runId, steps: 0, totalSteps: Number(steps), lastEpisodeReturn: null, losses: {}, points: [] });
    try {
      const input = {
        runId,
        environment: 'cartpole',
        algorithm,
        hyperparameters: hyperparameters(values),
        steps: Number(steps),
        seed: Number(seed),
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
  const curve = model?.curve ?? live?.points ?? [];

  return (
    <div className="flex flex-col gap-4">
      <Card title="Train a policy">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Field label="Environment">
            <Select data-testid="rl-environment" defaultValue="cartpole" disabled={running}>
              <option value="cartpole">CartPole-v1 self-test</option>
              <option value="trading" disabled>
                Trading on a stored series (not built yet)
              </option>
            </Select>
          </Field>
          <Field label="Algorithm">
            <Select
              data-testid="rl-algorithm"
              value={algorithm}
              disabled={running}
              onChange={(e) => {
                setAlgorithm(e.target.value as Algorithm);
                setValues(presets[preset]!.values);
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
            <Stat label="Last episode return" value={figure(live?.lastEpisodeReturn, 0)} />
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
          <TrainingCurve
            points={curve}
            totalSteps={live?.totalSteps ?? model?.steps ?? 1}
            solvedReturn={475}
          />
        </Card>
      )}

      {model && (
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
