// The live feed of a bot whose definition says `feed: { kind: 'ctrader', … }`: closed bars from the
// spots of the connected cTrader session (core/feeds/ctrader-spot-feed.ts). Refused, naming what
// to do, when that environment is not connected, trades another account (connected-ctrader-venue.ts),
// or lacks the symbol.
// Each closed bar is stored into the bot's series (seriesOf: "ctrader-demo:EURUSD") before the bot
// sees it, as the exchange feeds do (live-feeds.ts), so its chart and equity curve have bars.
import type { LiveFeed } from '../bots/feed-engine.ts';
import type { BotRecord } from '../bots/bot-store.ts';
import { seriesOf } from '../contract/bots-calls.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import { CTraderSpotFeed } from '../feeds/ctrader-spot-feed.ts';
import type { CTraderAccounts } from '../venues/ctrader/ctrader-accounts.ts';
import { connectedCTraderVenue } from './connected-ctrader-venue.ts';
import { storeClosedBar, type ClosedBarSink } from './store-closed-bar.ts';

export function ctraderLiveFeed(
  accounts: Pick<CTraderAccounts, 'venue'>,
  bot: BotRecord,
  sink: ClosedBarSink,
): LiveFeed {
  const { symbol, timeframe } = bot.definition;
  const { venue, name } = connectedCTraderVenue(accounts, bot);
  let priceDecimals: number;
  try {
    priceDecimals = venue.instrument(symbol).priceDecimals;
  } catch {
    const message = `${name} has no symbol "${symbol}": use the broker's name for it (e.g. EURUSD).`;
    throw new AutobotError('invalid_input', message, { issues: [{ path: 'symbol', message }] });
  }
  const spots = new CTraderSpotFeed(venue, { symbol, timeframe, sourceName: name });
  // Subscribed before the engine is: listeners run in order, so the bar is stored when the bot sees it.
  const series = seriesOf(bot.definition);
  spots.onBar(({ bar }) => storeClosedBar(sink, series, timeframe, bar));
  return { feed: spots, priceDecimals };
}
