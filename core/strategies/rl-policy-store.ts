// Where the rl-policy strategy finds saved models: the app's open database, or — in a worker
// thread, which has none — the database file opened read-only (WAL lets a reader beside the app's
// connection, as a backtest job reads its candles).
import BetterSqlite3 from 'better-sqlite3';
import type { PolicyWeights } from '../rl/policy.ts';
import type { TradingObservationConfig } from '../rl/trading-features.ts';
import { RlModelRepository } from '../storage/rl-model-repository.ts';
import type { RlPolicySource } from './rl-policy.ts';

/** The observation settings a trading model was trained with, as saved in its evaluation. */
function observationOf(evaluation: unknown): TradingObservationConfig | null {
  const trading = (evaluation as { trading?: { observation?: TradingObservationConfig } }).trading;
  const observation = trading?.observation;
  if (!observation || typeof observation.window !== 'number') return null;
  return { window: observation.window, allowShort: observation.allowShort === true };
}

export function rlPolicySourceOf(models: RlModelRepository): RlPolicySource {
  return (id) => {
    const model = models.get(id);
    const weights = model ? models.weights(id) : null;
    if (!model || !weights) return null;
    return {
      weights: weights as PolicyWeights,
      environment: model.environment,
      observation: observationOf(model.evaluation),
    };
  };
}

export function rlPolicySourceFromFile(file: string): RlPolicySource {
  return (id) => {
    const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      return rlPolicySourceOf(new RlModelRepository(db))(id);
    } finally {
      db.close();
    }
  };
}
