// Schema of trained RL models (issue #15), version 13. A model keeps what was asked (environment,
// algorithm, hyperparameters, seed — enough to train it again bit for bit), what came out (the
// training curve and the evaluation, as JSON), and the policy network's weights as packed float64
// (a 64×64 policy is ~4,500 numbers: 36 KB as bytes, three times that as JSON text).
import type { Migration } from './migration.ts';

export const rlMigration: Migration = {
  version: 13,
  name: 'rl models',
  sql: `
    CREATE TABLE rl_models (
      id               INTEGER PRIMARY KEY,
      created_at       TEXT    NOT NULL,
      name             TEXT    NOT NULL,
      environment      TEXT    NOT NULL,
      algorithm        TEXT    NOT NULL CHECK (algorithm IN ('ppo', 'dqn')),
      seed             INTEGER NOT NULL,
      steps            INTEGER NOT NULL,
      solved_at_step   INTEGER,
      final_return     REAL    NOT NULL,
      hyperparameters  TEXT    NOT NULL,
      curve            TEXT    NOT NULL,
      evaluation       TEXT    NOT NULL,
      sizes            TEXT    NOT NULL,
      activation       TEXT    NOT NULL,
      weights          BLOB    NOT NULL
    );
    CREATE INDEX rl_models_created ON rl_models (created_at);
  `,
};
