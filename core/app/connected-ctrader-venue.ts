// The connected cTrader session a bot's `feed: { kind: 'ctrader', … }` names: its environment's
// venue, on the account the feed asks for. Refused, saying what to do, when that environment is not
// connected or trades another account. The bot's prices (ctrader-live-feed.ts) and its live orders
// (bot-venues.ts) both start here.
import type { BotRecord } from '../bots/bot-store.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import type { CTraderAccounts } from '../venues/ctrader/ctrader-accounts.ts';
import type { CTraderVenue } from '../venues/ctrader/ctrader-venue.ts';

export function connectedCTraderVenue(
  accounts: Pick<CTraderAccounts, 'venue'>,
  bot: BotRecord,
): { venue: CTraderVenue; name: string } {
  const { feed } = bot.definition;
  if (feed.kind !== 'ctrader')
    throw new AutobotError(
      'invalid_input',
      `Bot ${bot.id} does not take cTrader's prices (feed ${feed.kind}).`,
    );
  const name = feed.environment === 'demo' ? 'cTrader Demo' : 'cTrader Live';
  const venue = accounts.venue(feed.environment);
  if (venue === null || venue.connectionState === 'disconnected')
    throw new AutobotError(
      'conflict',
      `${name} is not connected: connect it on the Account page, then start bot ${bot.id} again.`,
    );
  if (feed.accountId !== null && venue.accountId !== feed.accountId)
    throw new AutobotError(
      'conflict',
      `${name} is connected to account ${venue.accountId ?? 'none'}, and bot ${bot.id} takes the prices of account ${feed.accountId}: connect that account.`,
    );
  return { venue, name };
}
