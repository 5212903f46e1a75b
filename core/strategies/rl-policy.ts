// A trained trading policy as a strategy: `rl-policy` with the saved model's id. On each closed bar
// it builds the observation the policy was trained on (core/rl/trading-features.ts: the same code
// the training environment runs) and asks the greedy action — flat, long or, when the model was
// trained with shorts, short — then orders through the context like any strategy, so backtests,
// the optimiser and paper bots send its orders through the same sizing, risk checks and venue.
//
// Models live in SQLite; a strategy is a plain object with numeric params, so the model is found
// by id through a source: the app sets one on its database (setRlPolicySource); a worker thread
// (a large backtest, the optimiser's pool) opens the database file the app named in
// AUTOBOT_RL_MODELS_DB, read-only. A policy is loaded once per thread and id and kept.
import { z } from 'zod';
import { AutobotError } from '../domain/autobot-error.ts';
import { Policy, type PolicyWeights } from '../rl/policy.ts';
import {
  MarketFeatures,
  observationSize,
  PositionFeatures,
  targetOf,
  writeObservation,
  type TradingObservationConfig,
} from '../rl/trading-features.ts';
import { rlPolicySourceFromFile } from './rl-policy-store.ts';
import { defineStrategy, type Strategy, type StrategyContext, type StrategyParams } from './strategy.ts';

export interface TradingPolicyModel {
  id: number;
  policy: Policy;
  observation: TradingObservationConfig;
}

/** What a source hands back for a model id: its weights and its observation settings, or null. */
export type RlPolicySource = (
  id: number,
) => { weights: PolicyWeights; environment: string; observation: TradingObservationConfig | null } | null;

let source: RlPolicySource | null = null;
const loaded = new Map<number, TradingPolicyModel>();

/** Where this thread finds models by id (the app: its database). Forgets the policies loaded so far. */
export function setRlPolicySource(next: RlPolicySource | null): void {
  source = next;
  loaded.clear();
}

/** A loaded model is dropped (removed or replaced). */
export function forgetRlPolicy(id: number): void {
  loaded.delete(id);
}

/** The environment variable naming the database file a thread without a source reads models from. */
export const rlModelsDbVariable = 'AUTOBOT_RL_MODELS_DB';

function modelError(id: number, message: string): AutobotError {
  return new AutobotError('invalid_input', `params.modelId: ${message}`, {
    issues: [{ path: 'params.modelId', message }],
  });
}

export function loadTradingPolicy(id: number): TradingPolicyModel {
  const cached = loaded.get(id);
  if (cached) return cached;
  const file = process.env[rlModelsDbVariable];
  if (source === null && file) source = rlPolicySourceFromFile(file);
  if (source === null) throw modelError(id, 'no model store is open in this process');
  const found = source(id);
  if (found === null) throw modelError(id, `there is no saved RL model ${id}`);
  if (found.environment !== 'trading' || found.observation === null)
    throw modelError(id, `model ${id} was trained on ${found.environment}, not on a trading series`);
  const policy = Policy.fromWeights(found.weights);
  const expected = observationSize(found.observation);
  if (policy.observationSize !== expected)
    throw modelError(id, `model ${id} takes ${policy.observationSize} inputs, its settings make ${expected}`);
  const model = { id, policy, observation: found.observation };
  loaded.set(id, model);
  return model;
}

interface PolicyState {
  model: TradingPolicyModel;
  market: MarketFeatures;
  position: PositionFeatures;
  observation: Float64Array;
}

/** One bar's decision: the observation, the greedy action, and the order that makes the position. */
function decide(i: number, ctx: StrategyContext<unknown, PolicyState>): void {
  const state = ctx.indicators;
  state.position.observe(ctx.position, ctx.equity);
  if (!state.market.ready(i)) return;
  writeObservation(state.observation, state.market, i, state.position);
  const target = targetOf(state.model.policy.act(state.observation));
  const held = state.position.sign;
  if (target === held) return;
  if (target === 1) ctx.buy();
  else if (target === -1) ctx.sell();
  else ctx.close();
}

function stateOf(model: TradingPolicyModel, market: MarketFeatures): PolicyState {
  return {
    model,
    market,
    position: new PositionFeatures(),
    observation: new Float64Array(observationSize(model.observation)),
  };
}

const paramsSchema = z.strictObject({
  modelId: z
    .number({ error: 'modelId must be a number' })
    .int('modelId must be a saved model id (a whole number)')
    .positive('modelId must be a saved model id'),
});

/** The registered strategy: the model by id from this thread's source. */
export const rlPolicy = defineStrategy<{ modelId: number }, PolicyState>({
  name: 'rl-policy',
  summary:
    'A trained RL trading policy (RL page): flat, long or short each bar as the saved model decides. Parameter: the model id.',
  paramsSchema,
  init: ({ candles, params }) => {
    const model = loadTradingPolicy(params.modelId);
    return stateOf(model, MarketFeatures.of(candles.close, model.observation));
  },
  stream: ({ params, candles }) => {
    const model = loadTradingPolicy(params.modelId);
    const market = new MarketFeatures(model.observation, candles.close.length);
    return {
      indicators: stateOf(model, market),
      update: (bar) => market.update(bar.close),
    };
  },
  onBar: decide,
});

/** A strategy bound to a policy in hand (training's own evaluation; no store needed). */
export function boundPolicyStrategy(model: TradingPolicyModel): Strategy<StrategyParams, PolicyState> {
  return defineStrategy<StrategyParams, PolicyState>({
    name: 'rl-policy',
    summary: rlPolicy.summary,
    paramsSchema: z.strictObject({}),
    init: ({ candles }) => stateOf(model, MarketFeatures.of(candles.close, model.observation)),
    onBar: decide,
  });
}
