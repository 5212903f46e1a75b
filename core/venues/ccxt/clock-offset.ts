// The venue's clock minus ours, measured NTP-style: the server's time is taken to be read halfway
// through the round trip, so the error is at most half the round trip. The shortest of a few
// samples wins (a round trip slowed by a loaded machine says least about the clock). Signed
// requests are stamped with the venue's time (ccxt subtracts options.timeDifference), which avoids
// Binance's -1021 "outside of the recvWindow" on a machine whose clock drifted.
export interface ClockSample {
  /** Our clock when the request left, ms. */
  sent: number;
  /** The venue's time in its answer, ms. */
  venue: number;
  /** Our clock when the answer arrived, ms. */
  received: number;
}

export function offsetFromSamples(samples: readonly ClockSample[]): number {
  if (samples.length === 0) throw new RangeError('samples: at least one clock sample is needed');
  const best = samples.reduce((a, b) => (b.received - b.sent < a.received - a.sent ? b : a));
  return Math.round(best.venue - (best.sent + best.received) / 2);
}

export async function measureClockOffset(
  fetchTime: () => Promise<number | undefined>,
  now: () => number = Date.now,
  count = 3,
): Promise<number> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < count; i++) {
    const sent = now();
    const venue = await fetchTime();
    const received = now();
    if (venue === undefined) return 0;
    samples.push({ sent, venue, received });
  }
  return offsetFromSamples(samples);
}
