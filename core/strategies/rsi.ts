// RSI mean reversion, long only: buy when flat and RSI falls below `lower`, sell when it rises above
// `upper`, or earlier at the optional take-profit / stop-loss. With `minSentiment` it enters only on
// bars whose "sentiment" series value is at least that.
import { z } from 'zod';
import { AutobotError } from '../contract/errors.ts';
import { rsi, RsiStream } from '../indicators/rsi.ts';
import { barsParam, percentParam, rangeParam } from './params.ts';
import { defineStrategy, requireSeries } from './strategy.ts';

export const rsiStrategy = defineStrategy({
  name: 'rsi',
  summary:
    'Long only: buy when RSI falls below lower, sell when it rises above upper or at take-profit / stop-loss.',
  paramsSchema: z
    .strictObject({
      period: barsParam('period', 14, 2),
      lower: rangeParam('lower', 0, 100).default(30),
      upper: rangeParam('upper', 0, 100).default(70),
      takeProfitPct: percentParam('takeProfitPct', 1_000_000).optional(),
      stopLossPct: percentParam('stopLossPct', 100).optional(),
      minSentiment: z.number({ error: 'minSentiment must be a number' }).optional(),
    })
    .refine((params) => params.lower < params.upper, {
      path: ['lower'],
      message: 'lower must be below upper',
    }),

  init: (data) => ({
    rsi: rsi(data.candles.close, data.params.period, data.barArray?.()),
    sentiment:
      data.params.minSentiment === undefined ? null : requireSeries(data, 'sentiment', 'params.minSentiment'),
    minSentiment: data.params.minSentiment ?? -Infinity,
    bracket: { takeProfitPct: data.params.takeProfitPct, stopLossPct: data.params.stopLossPct },
    lower: data.params.lower,
    upper: data.params.upper,
  }),

  stream: ({ params, series, newSeries }) => {
    const rsiStream = new RsiStream(params.period);
    const values = newSeries('rsi');
    let sentiment: Float64Array | null = null;
    if (params.minSentiment !== undefined) {
      sentiment = series['sentiment'] ?? null;
      if (sentiment === null) {
        const message = 'params.minSentiment needs a "sentiment" series aligned to the candles';
        throw new AutobotError('invalid_input', message, {
          issues: [{ path: 'params.minSentiment', message }],
        });
      }
    }
    return {
      indicators: {
        rsi: values.view,
        sentiment,
        minSentiment: params.minSentiment ?? -Infinity,
        bracket: { takeProfitPct: params.takeProfitPct, stopLossPct: params.stopLossPct },
        lower: params.lower,
        upper: params.upper,
      },
      update(bar) {
        values.push(rsiStream.update(bar.close));
      },
    };
  },

  onBar(i, ctx) {
    // Everything comes from what init prepared, and each input is read where it decides something:
    // onBar runs on every bar, and most bars stop at the first test.
    const indicators = ctx.indicators;
    if (ctx.position === 0) {
      if (indicators.rsi[i]! < indicators.lower) {
        const { sentiment, minSentiment } = indicators;
        if (sentiment === null || sentiment[i]! >= minSentiment) ctx.buy(indicators.bracket);
      }
    } else if (indicators.rsi[i]! > indicators.upper) {
      ctx.close();
    }
  },
});
