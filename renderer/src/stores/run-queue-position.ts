// A run waiting in the host's run queue (core/jobs/run-queue.ts) hears its position until it
// starts: the Backtest and Optimizer stores follow their own run's id with this.
import { api } from '../api/client.ts';

/**
 * Calls `onPosition(n)` each time the run `runId` moves in the queue (1 = next to start) and
 * `onPosition(null)` once it starts; returns the function that stops listening.
 */
export function followQueuePosition(
  runId: string,
  onPosition: (position: number | null) => void,
): () => void {
  const stopQueued = api.on('runs.queued', (event) => {
    if (event.runId === runId) onPosition(event.position);
  });
  const stopStarted = api.on('runs.started', (event) => {
    if (event.runId === runId) onPosition(null);
  });
  return () => {
    stopQueued();
    stopStarted();
  };
}
