// Training a trading policy as a worker job: the candles come in with the job (a stored series,
// read by the host), progress goes out as train-job.ts reports it (steps, returns, losses, the
// curve's points since the last report), cancellation is read at each report.
import type { JobContext } from '../jobs/job-protocol.ts';
import type { CurvePoint } from './train.ts';
import type { TrainJobProgress } from './train-job.ts';
import { trainTrading, type TradingTrainInput, type TradingTrainResult } from './trading-train.ts';

const reportEveryMs = 80;

export function run(input: TradingTrainInput, context: JobContext): TradingTrainResult {
  let pending: CurvePoint[] = [];
  let lastReport = -Infinity;
  let last: Omit<TrainJobProgress, 'points'> | null = null;
  const report = (progress: Omit<TrainJobProgress, 'points'>, final: boolean) => {
    const now = performance.now();
    if (!final && now - lastReport < reportEveryMs) return;
    lastReport = now;
    const message: TrainJobProgress = { ...progress, points: pending };
    pending = [];
    context.progress(Math.min(1, progress.steps / progress.totalSteps), JSON.stringify(message));
  };
  const result = trainTrading(input, (progress) => {
    if (progress.point) pending.push(progress.point);
    last = progress;
    report(progress, false);
    return !context.signal.aborted;
  });
  if (last && pending.length > 0) report(last, true);
  return result;
}
