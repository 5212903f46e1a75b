// Headline scores and the per-bar series built from them, as the Sentiment page and a
// minSentiment backtest see them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreHeadline } from '../../core/sentiment/score-headline.ts';
import { alignSentiment } from '../../core/sentiment/sentiment-series.ts';

describe('scoreHeadline', () => {
  it('scores good news above zero and bad news below, strong words further', () => {
    expect(scoreHeadline('Google ad unit grows').score).toBeCloseTo(1 / Math.sqrt(5), 10);
    expect(scoreHeadline('Google shares soar').score).toBeCloseTo(2 / Math.sqrt(8), 10);
    expect(scoreHeadline('Google shares plunge after lawsuit').score).toBeCloseTo(-3 / Math.sqrt(13), 10);
    expect(scoreHeadline('Google holds annual meeting').score).toBe(0);
  });

  it('flips a word after a negation, and says which words counted', () => {
    const result = scoreHeadline("Unit is not profitable, won't recover");
    expect(result.words).toEqual([
      { word: 'profitable', weight: -1 },
      { word: 'recover', weight: -1 },
    ]);
    expect(result.score).toBeLessThan(0);
  });

  it('reads words regardless of case and punctuation', () => {
    expect(scoreHeadline('RECORD PROFIT!!!').words.map((w) => w.word)).toEqual(['record', 'profit']);
  });

  it('always answers a score strictly between -1 and 1', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.array(fc.constantFrom('soar', 'plunge', 'not', 'gain'), { maxLength: 200 }),
        (text, words) => {
          const { score } = scoreHeadline(`${text} ${words.join(' ')}`);
          expect(score).toBeGreaterThan(-1);
          expect(score).toBeLessThan(1);
        },
      ),
    );
  });
});

describe('alignSentiment', () => {
  const day = 86_400;

  it('gives each daily bar the mean score of the week’s headlines out by its end, 0 without news', () => {
    const times = [0, day, 2 * day, 10 * day];
    const series = alignSentiment(times, day, [
      { time: day / 2, score: 0.5 },
      { time: day + 100, score: -0.1 },
    ]);
    expect(Array.from(series)).toEqual([0.5, 0.2, 0.2, 0]);
  });

  it('never lets a bar see a headline published after it ended', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.integer({ min: 0, max: 40 * day }),
            score: fc.double({ min: -0.99, max: 0.99, noNaN: true }),
          }),
          {
            maxLength: 50,
          },
        ),
        fc.integer({ min: 0, max: 39 }),
        fc.double({ min: -0.99, max: 0.99, noNaN: true }),
        (headlines, bar, score) => {
          const times = Array.from({ length: 40 }, (_, i) => i * day);
          const before = alignSentiment(times, day, headlines);
          // A headline published at or after bar `bar`'s end changes nothing up to that bar.
          const after = alignSentiment(times, day, [...headlines, { time: (bar + 1) * day, score }]);
          expect(Array.from(after.subarray(0, bar + 1))).toEqual(Array.from(before.subarray(0, bar + 1)));
        },
      ),
      { numRuns: 100 },
    );
  });
});
