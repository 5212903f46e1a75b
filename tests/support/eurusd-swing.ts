// Minute bars of EURUSD that swing enough for sma-cross(3, 8) to reverse several times: what the
// cTrader bot tests push through the loopback peer's spots.
import type { Bar } from '../../core/domain/bar.ts';

const round5 = (price: number) => Math.round(price * 100_000) / 100_000;

/** `count` minute bars from `start` (epoch s), prices to the broker's 5 digits. */
export function swingBars(start: number, count: number): Bar[] {
  let previous = 1.085;
  return Array.from({ length: count }, (_, i) => {
    const close = round5(1.085 + 0.002 * Math.sin(i / 4) + ((i * 7919) % 13) / 100_000);
    const open = round5(previous);
    previous = close;
    return {
      time: start + i * 60,
      open,
      high: round5(Math.max(open, close) + 0.00011),
      low: round5(Math.min(open, close) - 0.00007),
      close,
      volume: 4,
    };
  });
}
