// A journal owner and its bot: what reconciliation uses to hand a found event back to the bot
// whose order it is. Any bot id comes back from its owner; an owner that is not a bot's gives none.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { botIdOfOwner, botOwner } from '../../core/bots/bot-store.ts';

describe('a journal owner', () => {
  it("names its bot back, and nothing for an owner that is not a bot's", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), (id) => {
        expect(botIdOfOwner(botOwner(id))).toBe(id);
      }),
    );
    for (const owner of ['manual', 'bot-', 'bot-1x', 'xbot-1', 'rl-3', 'kill-switch'])
      expect(botIdOfOwner(owner)).toBeNull();
  });
});
