// Which breaker holds a bot, for the Bots page: its own trips (a paper bot's breakers on its bars'
// clock), the account's, and those of its symbol — the same trips the governor would refuse its
// next entry by (docs/risk.md). Read from the risk store the banner keeps fresh.
import type { RiskStateJson, RiskTripJson } from '../../../core/contract/risk-calls.ts';
import { useRisk } from '../stores/risk-store.ts';

/** The trips in force that hold bot `id` trading `symbol`, most severe first. */
export function tripsHolding(risk: RiskStateJson, id: number, symbol: string): RiskTripJson[] {
  const owner = `bot-${id}`;
  return risk.breakers
    .flatMap((breaker) => breaker.trips)
    .filter(
      (trip) =>
        trip.scope === 'account' ||
        (trip.scope === 'bot' && trip.key === owner) ||
        (trip.scope === 'symbol' && trip.key === symbol),
    )
    .sort((a, b) => (a.state === b.state ? 0 : a.state === 'halted' ? -1 : 1));
}

export function BotHold({ id, symbol }: { id: number; symbol: string }) {
  const risk = useRisk((state) => state.risk);
  if (risk === null) return null;
  const trips = tripsHolding(risk, id, symbol);
  if (trips.length === 0) return null;
  return (
    <span
      className={`ml-1 inline-block rounded px-2 py-0.5 text-xs whitespace-nowrap text-white ${trips[0]!.state === 'halted' ? 'bg-red-800' : 'bg-amber-700'}`}
      data-testid={`bot-held-${id}`}
      title={trips.map((trip) => trip.message).join('\n')}
    >
      {trips[0]!.state === 'halted' ? 'HALTED' : 'REDUCING'} by {trips.map((trip) => trip.breaker).join(', ')}
    </span>
  );
}
