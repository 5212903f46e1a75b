import { AutobotError } from '../../../core/contract/errors.ts';
import type { JobContext } from '../../../core/jobs/job-protocol.ts';

/** Counts to `steps`, reporting progress and honouring cancellation between steps. */
export async function run(
  input: { steps: number; stepMs: number },
  context: JobContext,
): Promise<{ counted: number }> {
  let counted = 0;
  for (let i = 0; i < input.steps; i++) {
    if (context.signal.aborted) return { counted };
    await new Promise((resolve) => setTimeout(resolve, input.stepMs));
    counted++;
    context.progress(counted / input.steps, `step ${counted}`);
  }
  return { counted };
}

/** Never looks at its signal: only terminating the thread stops it. */
export function spin(): never {
  for (;;) Math.sqrt(Math.random());
}

/** Spins like spin(), but keeps saying so: the caller knows the thread is inside the loop. */
export function spinAfterProgress(_input: unknown, context: JobContext): never {
  // Repeated, because progress updates that come too close together are dropped.
  for (let i = 0; ; i++) if (i % 1_000_000 === 0) context.progress(0.5, 'spinning');
}

export function refuse(): never {
  throw new AutobotError('invalid_input', 'params.slow must be greater than params.fast', {
    issues: [{ path: 'params.slow', message: 'must be greater than params.fast' }],
  });
}

/** Busy without a pause, but reporting progress: only the shared cancel flag can reach it. */
export function spinPolitely(_input: unknown, context: JobContext): string {
  for (;;) {
    context.progress(0.5);
    if (context.signal.aborted) return 'stopped';
  }
}
