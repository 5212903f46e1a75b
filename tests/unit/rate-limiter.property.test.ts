// A provider's rate limit holds whatever the pattern of requests: within any window, no more
// requests go out than the burst plus what the interval has refilled.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateLimiter, type Clock } from '../../core/providers/rate-limiter.ts';

function fakeClock(): Clock & { time: number } {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
    },
  };
  return clock;
}

describe('RateLimiter', () => {
  it('lets the burst through at once, then one request per interval', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ burst: 2, intervalMs: 1000 }, clock);
    const sent: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await limiter.take();
      sent.push(clock.time);
    }
    expect(sent).toEqual([0, 0, 1000, 2000, 3000]);
  });

  it('never sends more than burst + elapsed/interval requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 30 }),
        async (burst, intervalMs, gaps) => {
          const clock = fakeClock();
          const limiter = new RateLimiter({ burst, intervalMs }, clock);
          const sent: number[] = [];
          for (const gap of gaps) {
            clock.time += gap;
            await limiter.take();
            sent.push(clock.time);
          }
          for (let i = 0; i < sent.length; i += 1)
            for (let j = i; j < sent.length; j += 1) {
              const count = j - i + 1;
              expect(count).toBeLessThanOrEqual(burst + Math.floor((sent[j]! - sent[i]!) / intervalMs) + 1);
            }
        },
      ),
      { numRuns: 100 },
    );
  });
});
