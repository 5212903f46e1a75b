// What an algorithm trains on: a discrete-action environment with Gymnasium's step semantics —
// `terminated` (the episode ended inside the task: the pole fell, the account is closed) is told
// apart from `truncated` (the time limit), because only the former means there is no future value.
import type { Random } from './random.ts';

export interface StepResult {
  reward: number;
  terminated: boolean;
  truncated: boolean;
}

export interface Environment {
  readonly observationSize: number;
  readonly actionCount: number;
  /** Starts an episode; writes the first observation into `observation`. */
  reset(random: Random): void;
  /** The current observation (the environment's own buffer: copy it to keep it). */
  readonly observation: Float64Array;
  step(action: number): StepResult;
}

export type EnvironmentFactory = () => Environment;
