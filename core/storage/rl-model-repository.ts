// Trained RL models (table rl_models, rl-migration.ts): written once when training finishes, in
// one statement (committed before the caller hears "saved"), listed by headline, reopened whole.
// Its types are its own (the contract's rl model schema and core/rl's PolicyWeights have the same
// shape): storage sits below both, and importing either would close a folder cycle through contract.
import type { Database } from './database.ts';

export interface RlModelSummary {
  id: number;
  createdAt: string;
  name: string;
  environment: string;
  algorithm: 'ppo' | 'dqn';
  seed: number;
  steps: number;
  solvedAtStep: number | null;
  finalMeanReturn: number;
}

export interface RlModel extends RlModelSummary {
  hyperparameters: Record<string, unknown>;
  curve: Array<{ step: number; episodeReturn: number | null; evalReturn?: number }>;
  evaluation: {
    episodes: number;
    finalMeanReturn: number;
    solvedAtStep: number | null;
    solvedReturn: number;
    stepsPerSecond: number;
    seconds: number;
    cancelled: boolean;
  };
  network: { sizes: number[]; activation: 'tanh' | 'relu' };
}

export interface SavedPolicyWeights {
  algorithm: 'ppo' | 'dqn';
  sizes: number[];
  activation: 'tanh' | 'relu';
  params: number[];
}

interface SummaryRow {
  id: number;
  created_at: string;
  name: string;
  environment: string;
  algorithm: 'ppo' | 'dqn';
  seed: number;
  steps: number;
  solved_at_step: number | null;
  final_return: number;
}

interface ModelRow extends SummaryRow {
  hyperparameters: string;
  curve: string;
  evaluation: string;
  sizes: string;
  activation: 'tanh' | 'relu';
  weights: Buffer;
}

const summaryColumns =
  'id, created_at, name, environment, algorithm, seed, steps, solved_at_step, final_return';

export type NewRlModel = Omit<RlModel, 'id' | 'createdAt'> & { weights: SavedPolicyWeights };

export class RlModelRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  save(model: NewRlModel): RlModel {
    const weights = Float64Array.from(model.weights.params);
    const info = this.#db
      .prepare(
        `INSERT INTO rl_models (created_at, name, environment, algorithm, seed, steps, solved_at_step,
           final_return, hyperparameters, curve, evaluation, sizes, activation, weights)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        new Date().toISOString(),
        model.name,
        model.environment,
        model.algorithm,
        model.seed,
        model.steps,
        model.solvedAtStep,
        model.finalMeanReturn,
        JSON.stringify(model.hyperparameters),
        JSON.stringify(model.curve),
        JSON.stringify(model.evaluation),
        JSON.stringify(model.network.sizes),
        model.network.activation,
        Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength),
      );
    return this.get(Number(info.lastInsertRowid))!;
  }

  list(): RlModelSummary[] {
    return (
      this.#db.prepare(`SELECT ${summaryColumns} FROM rl_models ORDER BY id DESC`).all() as SummaryRow[]
    ).map(summary);
  }

  get(id: number): RlModel | null {
    const row = this.#row(id);
    if (!row) return null;
    return {
      ...summary(row),
      hyperparameters: JSON.parse(row.hyperparameters) as Record<string, unknown>,
      curve: JSON.parse(row.curve) as RlModel['curve'],
      evaluation: JSON.parse(row.evaluation) as RlModel['evaluation'],
      network: { sizes: JSON.parse(row.sizes) as number[], activation: row.activation },
    };
  }

  /** The policy network as saved, ready for Policy.fromWeights. */
  weights(id: number): SavedPolicyWeights | null {
    const row = this.#row(id);
    if (!row) return null;
    const bytes = row.weights;
    // Copied into an aligned buffer: a Buffer from the driver may start at any byte offset.
    const params = new Float64Array(bytes.byteLength / 8);
    new Uint8Array(params.buffer).set(bytes);
    return {
      algorithm: row.algorithm,
      sizes: JSON.parse(row.sizes) as number[],
      activation: row.activation,
      params: Array.from(params),
    };
  }

  remove(id: number): boolean {
    return this.#db.prepare('DELETE FROM rl_models WHERE id = ?').run(id).changes > 0;
  }

  #row(id: number): ModelRow | undefined {
    return this.#db.prepare('SELECT * FROM rl_models WHERE id = ?').get(id) as ModelRow | undefined;
  }
}

function summary(row: SummaryRow): RlModelSummary {
  return {
    id: row.id,
    createdAt: row.created_at,
    name: row.name,
    environment: row.environment,
    algorithm: row.algorithm,
    seed: row.seed,
    steps: row.steps,
    solvedAtStep: row.solved_at_step,
    finalMeanReturn: row.final_return,
  };
}
