// A live countdown to a trip's expected recovery, by the core's clock (risk-store.ts). At zero it
// asks the core again, which ends the trip with its recovery event.
import { useEffect, useState } from 'react';
import { coreNow, formatRemaining, useRisk } from '../stores/risk-store.ts';

export function Countdown({ until, testId }: { until: number; testId?: string }) {
  const { risk, fetchedAt, refresh } = useRisk();
  const [viewerNow, setViewerNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setViewerNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = risk === null ? 0 : until - coreNow(risk, fetchedAt, viewerNow);
  const due = left <= 0;
  useEffect(() => {
    if (due) void refresh();
  }, [due, refresh]);
  return (
    <span data-testid={testId} className="tabular-nums" title={new Date(until).toISOString()}>
      {due ? 'recovering…' : formatRemaining(left)}
    </span>
  );
}
