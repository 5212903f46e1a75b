// The closed-bar gate under what a live exchange feed really receives: stream snapshots (ccxt's
// candle cache: final versions of closed bars, the forming one still changing), REST pages that
// overlap them, repeats, shuffled rows, and reconnects after which the stream starts over from a
// later bar. Whatever the mix, what the strategy gets is each closed bar once, in time order, in
// its final version, with no bar missing — the feed's protocol (backfill on a gap and before a new
// subscription's first message) included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../core/domain/bar.ts';
import { ClosedBarGate, type OhlcvRow } from '../../core/feeds/closed-bar-gate.ts';

const step = 60;

/** Bar i of the market; `final` false: the same bar while it is still forming (another close). */
function row(i: number, final: boolean): OhlcvRow {
  const close = final ? 100 + i : 50 + i;
  return [i * step * 1000, 100 + i, 200 + i, 10 + i, close, final ? 5 : 1];
}

const bar = (i: number): Bar => ({
  time: i * step,
  open: 100 + i,
  high: 200 + i,
  low: 10 + i,
  close: 100 + i,
  volume: 5,
});

type Event =
  /** The market moves on by `bars` bars (the newest one forming). */
  | { kind: 'advance'; bars: number }
  /** A stream message: the cache since the subscription began, possibly shuffled and repeated. */
  | { kind: 'stream'; shuffle: number[]; repeat: boolean }
  /** The stream drops; the next subscription's cache starts at the bar forming then. */
  | { kind: 'drop' };

const events: fc.Arbitrary<Event[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('advance' as const), bars: fc.integer({ min: 0, max: 4 }) }),
    fc.record({
      kind: fc.constant('stream' as const),
      shuffle: fc.array(fc.nat(), { maxLength: 6 }),
      repeat: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('drop' as const) }),
  ),
  { maxLength: 60 },
);

describe('ClosedBarGate with the live feed’s protocol', () => {
  it('releases every closed bar once, in order, final, none missing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), events, (after, script) => {
        let forming = after + 1; // the bar forming now
        let subscribedAt = forming;
        let fresh = true;
        const gate = new ClosedBarGate(step, after * step);
        const released: Bar[] = [];
        const rest = (from: number) => {
          const rows: OhlcvRow[] = [];
          for (let i = from; i <= forming; i++) rows.push(row(i, i < forming));
          return rows;
        };
        const deliver = () => {
          if (gate.gap() !== null) gate.accept(rest(gate.last! / step + 1));
          released.push(...gate.release());
        };
        gate.accept(rest(after + 1));
        deliver();
        for (const event of script) {
          if (event.kind === 'advance') forming += event.bars;
          else if (event.kind === 'drop') {
            fresh = true;
            subscribedAt = forming;
          } else {
            if (fresh) {
              gate.accept(rest(gate.last! / step + 1));
              fresh = false;
            }
            let rows = rest(subscribedAt);
            for (const k of event.shuffle) {
              if (rows.length < 2) break;
              const a = k % rows.length;
              [rows[0], rows[a]] = [rows[a]!, rows[0]!];
            }
            if (event.repeat) rows = [...rows, ...rows];
            gate.accept(rows);
            deliver();
          }
        }
        // One last message (after a backfill, if the stream was new): all that closed is out.
        if (fresh) gate.accept(rest(gate.last! / step + 1));
        gate.accept(rest(subscribedAt));
        deliver();
        expect(released).toHaveLength(forming - 1 - after);
        // Each closed bar once, in order, none missing, in its final version.
        const times = released.map((b) => b.time / step);
        expect(times).toEqual(times.map((_, i) => after + 1 + i));
        expect(released).toEqual(times.map(bar));
        expect(gate.forming()?.time ?? (after + 1 + released.length) * step).toBeGreaterThan(
          released.at(-1)?.time ?? after * step,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a start from "now" skips what closed before it', () => {
    const gate = new ClosedBarGate(step, null);
    gate.accept([row(7, true), row(8, true), row(9, false)]);
    gate.skipClosed();
    expect(gate.release()).toEqual([]);
    gate.accept([row(9, true), row(10, false)]);
    expect(gate.release()).toEqual([bar(9)]);
    expect(gate.forming()?.time).toBe(10 * step);
  });
});
