// A live countdown to a trip's expected recovery, by the core's clock (risk-store.ts). At zero it
// asks the core again, which ends the trip with its recovery event. A paper bot's trip is on its
// bars' clock (`barsNow`): what is left is market time, which moves only as the bot's replay does.
import { useEffect, useState } from 'react';
import { coreNow, formatRemaining, useRisk } from '../stores/risk-store.ts';

export function Countdown({
  until,
  testId,
  barsNow,
}: {
  until: number;
  testId?: string;
  /** The bot's bars' clock (epoch ms) for a trip judged there. */
  barsNow?: number | undefined;
}) {
  const { risk, fetchedAt, refresh } = useRisk();
  const [viewerNow, setViewerNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setViewerNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const bars = barsNow !== undefined;
  const left = bars ? until - barsNow : risk === null ? 0 : until - coreNow(risk, fetchedAt, viewerNow);
  const due = left <= 0 && !bars;
  useEffect(() => {
    if (due) void refresh();
  }, [due, refresh]);
  if (bars) {
    return (
      <span
        data-testid={testId}
        className="tabular-nums"
        title={`${new Date(until).toISOString()} on the bot's bars' clock`}
      >
        {formatRemaining(left)} of replay
      </span>
    );
  }
  return (
    <span data-testid={testId} className="tabular-nums" title={new Date(until).toISOString()}>
      {due ? 'recovering…' : formatRemaining(left)}
    </span>
  );
}
