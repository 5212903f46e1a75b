// Evaluation the way the CartPole-v1 "solved" criterion is read: the deterministic (greedy) policy
// over N fresh episodes, mean undiscounted return. It may stop early once the target is out of
// reach — the verdict is exact either way, and a poor early policy costs a few episodes, not N.
import type { Environment } from './environment.ts';
import type { Policy } from './policy.ts';
import { Random } from './random.ts';

export interface Evaluation {
  meanReturn: number;
  episodes: number;
  /** Whether all requested episodes ran (false: stopped once the target could no longer be met). */
  complete: boolean;
}

export function evaluatePolicy(
  policy: Policy,
  env: Environment,
  options: { episodes: number; seed: number; target?: number; maxReturn?: number },
): Evaluation {
  const random = new Random(options.seed);
  let total = 0;
  for (let episode = 0; episode < options.episodes; episode++) {
    env.reset(random);
    let done = false;
    while (!done) {
      const result = env.step(policy.act(env.observation));
      total += result.reward;
      done = result.terminated || result.truncated;
    }
    // The best the remaining episodes can add: if even that misses the target, the verdict is in.
    if (options.target !== undefined && options.maxReturn !== undefined) {
      const remaining = options.episodes - episode - 1;
      if (total + remaining * options.maxReturn < options.target * options.episodes && remaining > 0)
        return { meanReturn: total / (episode + 1), episodes: episode + 1, complete: false };
    }
  }
  return { meanReturn: total / options.episodes, episodes: options.episodes, complete: true };
}
