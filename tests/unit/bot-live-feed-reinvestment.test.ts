// A live-fed bot resumes from its checkpoint without re-running its past bars, so it cannot rebuild
// a reinvestment sizer's state yet: the definition refuses the policy, naming the field, instead of
// accepting it and sizing without it.
import { describe, expect, it } from 'vitest';
import { botDefinitionSchema } from '../../core/contract/bots-calls.ts';

const base = { name: 'b', strategy: 'sma-cross', params: {}, timeframe: '1h' } as const;
const policy = { baseBudget: 200, cap: 400 };

describe('a bot’s reinvestment policy and its feed', () => {
  it('is kept on a bot replaying stored candles', () => {
    const parsed = botDefinitionSchema.safeParse({ ...base, symbol: 'GOOG', reinvestment: policy });
    expect(parsed.success && parsed.data.reinvestment).toMatchObject(policy);
  });

  it('is refused on a bot on an exchange’s live candles, naming reinvestment', () => {
    const parsed = botDefinitionSchema.safeParse({
      ...base,
      symbol: 'binance:BTC/USDT',
      feed: { kind: 'exchange', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1h' },
      reinvestment: policy,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'reinvestment',
        'reinvestment applies to bots replaying stored candles only; this bot runs on a live feed',
      ],
    ]);
  });
});
