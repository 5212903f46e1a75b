// rl.* over the real headless host: refused without the `rl` licence feature; with it, a PPO run on
// CartPole trained on a worker with live rl.progress events (curve points), saved with its
// hyperparameters, seed, curve and evaluation, asked for actions through rl.predict and the /api/predict
// alias, refusals naming the field, a long run cancelled by runId (nothing saved), and removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RlModel } from '../../core/contract/rl-calls.ts';
import { authHeader, postCall, startTestHost } from '../support/headless-app.ts';

interface Progress {
  runId: string;
  steps: number;
  points: Array<{ step: number; episodeReturn: number | null; evalReturn?: number }>;
}

let host: Awaited<ReturnType<typeof startTestHost>>;
let socket: WebSocket;
const progress: Progress[] = [];
const listeners: Array<(event: Progress) => void> = [];

beforeAll(async () => {
  host = await startTestHost();
  socket = new WebSocket(`${host.server.url.replace('http', 'ws')}/api/ws`, {
    headers: authHeader(host.server.url),
  });
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { type: string; name?: string; payload?: Progress };
    if (message.type === 'event' && message.name === 'rl.progress') {
      progress.push(message.payload!);
      for (const listener of listeners) listener(message.payload!);
    }
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
});

afterAll(async () => {
  socket?.close();
  await host?.stop();
});

describe('rl calls', () => {
  it('are refused without the rl licence feature, naming it', async () => {
    const response = await postCall(host.server.url, 'rl.models.list', {});
    expect(response.body.ok).toBe(false);
    expect(response.body.error?.message).toMatch(/reinforcement learning|rl/);
  });

  let model: RlModel;

  it('train PPO on CartPole with live progress, and save the model with its curve and evaluation', async () => {
    const installed = await host.app.license.install(
      host.vendor.issue({ features: ['backtest', 'optimize', 'rl'] }),
    );
    expect(installed.ok).toBe(true);
    const response = await postCall(host.server.url, 'rl.train', {
      runId: 'cp-1',
      algorithm: 'ppo',
      steps: 2048,
      seed: 1,
      evalEvery: 1024,
      evalEpisodes: 2,
      stopWhenSolved: false,
    });
    expect(response.body.ok).toBe(true);
    model = (response.body.value as { model: RlModel }).model;
    expect(model).toMatchObject({ algorithm: 'ppo', environment: 'cartpole', seed: 1, steps: 2048 });
    expect(model.hyperparameters).toMatchObject({ nEnvs: 8, nSteps: 32 });
    expect(model.curve.filter((p) => p.evalReturn !== undefined).map((p) => p.step)).toEqual([1024, 2048]);
    expect(model.evaluation.finalMeanReturn).toBeGreaterThan(0);
    expect(model.network.sizes[0]).toBe(4);
    // The events come over the WebSocket, the answer over HTTP: the last event may land after the
    // answer, so wait for it. No curve point is lost between the worker's reports.
    const events = () => progress.filter((p) => p.runId === 'cp-1');
    await expect
      .poll(() =>
        events()
          .flatMap((e) => e.points)
          .map((p) => p.step),
      )
      .toEqual(model.curve.map((p) => p.step));
    expect(events().at(-1)!.steps).toBe(2048);

    const list = await postCall(host.server.url, 'rl.models.list', {});
    expect((list.body.value as { models: Array<{ id: number }> }).models.map((m) => m.id)).toContain(
      model.id,
    );
    const got = await postCall(host.server.url, 'rl.models.get', { id: model.id });
    expect((got.body.value as { model: RlModel }).model).toEqual(model);
  });

  it('predict an action with its probabilities, at rl.predict and /api/predict alike', async () => {
    const body = { modelId: model.id, observation: [0.01, 0.2, -0.05, -0.3] };
    const call = await postCall(host.server.url, 'rl.predict', body);
    expect(call.body.ok).toBe(true);
    const value = call.body.value as { action: number; probabilities: number[] };
    expect([0, 1]).toContain(value.action);
    expect(value.probabilities[0]! + value.probabilities[1]!).toBeCloseTo(1, 12);
    expect(value.action).toBe(value.probabilities[1]! > value.probabilities[0]! ? 1 : 0);
    const alias = await fetch(`${host.server.url}/api/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authHeader(host.server.url) },
      body: JSON.stringify(body),
    });
    expect(((await alias.json()) as { value: unknown }).value).toEqual(value);
  });

  it('refuse a wrong observation, foreign hyperparameters and an unknown model, naming the field', async () => {
    const short = await postCall(host.server.url, 'rl.predict', { modelId: model.id, observation: [1, 2] });
    expect(short.body.error?.issues?.[0]?.path).toBe('observation');
    const foreign = await postCall(host.server.url, 'rl.train', {
      algorithm: 'ppo',
      steps: 1000,
      hyperparameters: { targetUpdateInterval: 5 },
    });
    expect(foreign.body.ok).toBe(false);
    expect(foreign.body.error?.issues?.[0]?.path).toMatch(/^hyperparameters/);
    const missing = await postCall(host.server.url, 'rl.predict', {
      modelId: 999,
      observation: [0, 0, 0, 0],
    });
    expect(missing.body.error?.code).toBe('not_found');
  });

  it('cancel a long run by its runId: the call ends cancelled and nothing is saved', async () => {
    const before = (await postCall(host.server.url, 'rl.models.list', {})).body.value as {
      models: unknown[];
    };
    const firstReport = new Promise<void>((resolve) =>
      listeners.push((e) => e.runId === 'long' && resolve()),
    );
    const training = postCall(host.server.url, 'rl.train', {
      runId: 'long',
      algorithm: 'dqn',
      steps: 5_000_000,
      evalEvery: 0,
    });
    await firstReport;
    const cancel = await postCall(host.server.url, 'rl.cancel', { runId: 'long' });
    expect(cancel.body.value).toEqual({ cancelled: true });
    const ended = await training;
    expect(ended.body.error?.code).toBe('cancelled');
    const after = (await postCall(host.server.url, 'rl.models.list', {})).body.value as { models: unknown[] };
    expect(after.models.length).toBe(before.models.length);
  });

  it('remove a model', async () => {
    const removed = await postCall(host.server.url, 'rl.models.remove', { id: model.id });
    expect(removed.body.value).toEqual({ removed: true });
    const gone = await postCall(host.server.url, 'rl.predict', {
      modelId: model.id,
      observation: [0, 0, 0, 0],
    });
    expect(gone.body.error?.code).toBe('not_found');
  });
});
