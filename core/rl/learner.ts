// What the training driver (train.ts) needs from an algorithm: run until told to stop, reporting
// steps, finished episodes and update losses, and hand out its current greedy policy.
import type { Policy } from './policy.ts';

export interface LearnHooks {
  /** After each batch of environment steps; `steps` counts every environment step so far. False stops learning. */
  onSteps(steps: number): boolean;
  onEpisode(episodeReturn: number, steps: number): void;
  onUpdate(losses: Record<string, number>): void;
}

export interface Learner {
  learn(totalSteps: number, hooks: LearnHooks): void;
  policy(): Policy;
}
