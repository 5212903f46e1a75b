// Progress appears only for runs that take long enough to notice (~200 ms): a quick run shows its
// result without a progress bar flashing first.
import { useEffect, useState } from 'react';

const progressDelayMs = 200;

/** True once a run started at `startedAt` (ms, null = none running) has lasted ~200 ms. */
export function useLongRunning(startedAt: number | null): boolean {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 100);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt !== null && now - startedAt >= progressDelayMs;
}
