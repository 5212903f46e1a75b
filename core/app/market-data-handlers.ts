// candles.download: OHLCV from an exchange through ccxt into the candle store (core/data/
// download-candles.ts). Network-bound, so it runs on the host's thread (each page's write is a
// few ms) and not in the heavy-run queue; progress goes out as candles.download.progress and the
// chart hears candles.changed once the series has new bars.
import type { Handlers } from '../contract/dispatch.ts';
import { downloadCandles } from '../data/download-candles.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import type { CoreEvents } from './events.ts';

export function marketDataHandlers(deps: {
  candles: CandleRepository;
  events: CoreEvents;
}): Pick<Handlers, 'candles.download'> {
  return {
    'candles.download': async (input) => {
      const result = await downloadCandles(deps.candles, input, {
        onProgress: (fraction, last) =>
          deps.events.emit('candles.download.progress', {
            downloadId: input.downloadId ?? null,
            series: input.series ?? `${input.exchange}:${input.symbol}`,
            timeframe: input.timeframe,
            fraction,
            last,
          }),
      });
      if (result.bars > 0)
        deps.events.emit('candles.changed', { symbol: result.series, timeframe: result.timeframe });
      return result;
    },
  };
}
