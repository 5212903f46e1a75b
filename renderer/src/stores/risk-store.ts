// The account's risk state as the core last said it, shared by the banner every page shows and the
// Risk page. Asked again on each risk.changed event (a trip, a recovery, a re-arm, new settings), and
// when a countdown reaches zero so the core ends the trip and says so. `fetchedAt` is the viewer's
// clock when the answer came: a countdown runs from the core's `now` plus the time since, so it
// agrees with the core whatever the viewer's clock says.
import { create } from 'zustand';
import type { RiskStateJson } from '../../../core/contract/risk-calls.ts';
import { api, describeError } from '../api/client.ts';

interface RiskStoreState {
  risk: RiskStateJson | null;
  fetchedAt: number;
  error: string | null;
  refresh(): Promise<void>;
}

export const useRisk = create<RiskStoreState>((set) => ({
  risk: null,
  fetchedAt: 0,
  error: null,
  async refresh() {
    try {
      const risk = await api.call('risk.state', {});
      set({ risk, fetchedAt: Date.now(), error: null });
    } catch (error) {
      set({ error: describeError(error) });
    }
  },
}));

/** The core's clock now, estimated from its last answer. */
export function coreNow(risk: RiskStateJson, fetchedAt: number, viewerNow = Date.now()): number {
  return risk.now + (viewerNow - fetchedAt);
}

/** "1 h 02 min 05 s", "45 s": what is left of a countdown. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (days > 0) return `${days} d ${hours} h ${pad(minutes)} min`;
  if (hours > 0) return `${hours} h ${pad(minutes)} min ${pad(seconds)} s`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}
