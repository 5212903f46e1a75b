// The environments a run can name, with what "solved" means for each.
import { CartPole, cartPole } from './cartpole.ts';
import type { EnvironmentFactory } from './environment.ts';
import type { TrainTarget } from './train.ts';

export const environmentNames = ['cartpole'] as const;
export type EnvironmentName = (typeof environmentNames)[number];

export const environments: Record<EnvironmentName, { make: EnvironmentFactory; target: TrainTarget }> = {
  cartpole: {
    make: () => new CartPole(),
    target: { solvedReturn: cartPole.solvedReturn, maxReturn: cartPole.maxEpisodeSteps },
  },
};
