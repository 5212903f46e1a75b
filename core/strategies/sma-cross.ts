// Two moving averages, always in the market: long when the fast SMA crosses above the slow one,
// short when it crosses below. Each signal reverses the position at the next bar's open.
import { z } from 'zod';
import { sma, SmaStream } from '../indicators/sma.ts';
import { crossing } from './crossover.ts';
import { barsParam } from './params.ts';
import { defineStrategy } from './strategy.ts';

export const smaCross = defineStrategy({
  name: 'sma-cross',
  summary:
    'Always in the market: long when the fast SMA crosses above the slow SMA, short when it crosses below.',
  paramsSchema: z
    .strictObject({ fast: barsParam('fast', 10, 1), slow: barsParam('slow', 20, 2) })
    .refine((params) => params.slow > params.fast, {
      path: ['slow'],
      message: 'slow must be greater than fast',
    }),

  init: ({ candles, params, barArray }) => ({
    fast: sma(candles.close, params.fast, barArray?.()),
    slow: sma(candles.close, params.slow, barArray?.()),
  }),

  stream: ({ params, newSeries }) => {
    const fastSma = new SmaStream(params.fast);
    const slowSma = new SmaStream(params.slow);
    const fast = newSeries('fast');
    const slow = newSeries('slow');
    return {
      indicators: { fast: fast.view, slow: slow.view },
      update(bar) {
        fast.push(fastSma.update(bar.close));
        slow.push(slowSma.update(bar.close));
      },
    };
  },

  onBar(i, ctx) {
    const { fast, slow } = ctx.indicators;
    const cross = crossing(fast, slow, i);
    if (cross > 0) {
      if (ctx.position <= 0) ctx.buy();
    } else if (cross < 0) {
      if (ctx.position >= 0) ctx.sell();
    }
  },
});
