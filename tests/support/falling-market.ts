// A falling market for the risk tests (issue #12), as a CSV the app imports: 5-minute bars on one
// UTC trading day, made for the built-in `rsi` strategy (period 14, buy below 30, sell above 70).
//
//   bars   0–29  a calm wobble around 100 (RSI settles);
//          30–59 a slide of 0.6 % a bar: RSI falls below 30, the bot buys, the slide takes the
//                account past the 5 % daily loss;
//   `bounce`: 60–74 a rally of 1 % a bar (RSI above 70: the bot sells — an exit), then 75–104 a
//                second slide (RSI below 30 again: a new entry, which the breaker must refuse),
//                then calm to 119;
//   else:        a slow drift down (0.002 % a bar) to bar `bars - 1`: RSI stays low and the bot
//                holds its long, and the drawdown stays under the 20 % breaker's limit.
// `stepSeconds` (default 300) spaces the bars; keep `bars × stepSeconds` within a day.

/** 2024-03-04 00:00 UTC, a Monday: every bar falls on that one trading day. */
export const fallingMarketStart = Date.UTC(2024, 2, 4) / 1000;

export function fallingMarketCsv(options: { bounce: boolean; bars?: number; stepSeconds?: number }): string {
  const count = options.bounce ? 120 : (options.bars ?? 240);
  const step = options.stepSeconds ?? 300;
  if (count * step > 86_400) throw new RangeError('the falling market must fit in one trading day');
  const lines = ['time,open,high,low,close,volume'];
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    if (i < 30) price = 100 * (1 + Math.sin(i / 2) * 0.002);
    else if (i < 60) price *= 0.994;
    else if (!options.bounce) price *= 0.99998;
    else if (i < 75) price *= 1.01;
    else if (i < 105) price *= 0.994;
    const close = price;
    const high = Math.max(open, close) * 1.0005;
    const low = Math.min(open, close) * 0.9995;
    lines.push(`${fallingMarketStart + i * step},${open},${high},${low},${close},1`);
  }
  return `${lines.join('\n')}\n`;
}
