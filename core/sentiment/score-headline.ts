// One headline → a score in (-1, 1): the lexicon's weights summed, a negation flipping the next
// scored word within three words, then squashed with s / √(s² + 4) (VADER's normalisation with a
// smaller α, since headlines are short): one strong word scores ±0.71, one mild word ±0.45,
// balanced news 0, and no amount of words reaches ±1.
import { financeLexicon, negations } from './finance-lexicon.ts';

export interface HeadlineScore {
  score: number;
  /** The scored words with their signed weights, for showing why. */
  words: { word: string; weight: number }[];
}

const alpha = 4;
const negationReach = 3;

export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/[^a-z'-]+/)
    .map((token) => token.replace(/^['-]+|['-]+$/g, ''))
    .filter((token) => token.length > 0);
}

export function scoreHeadline(text: string): HeadlineScore {
  const words: HeadlineScore['words'] = [];
  let sum = 0;
  let negatedUntil = -1;
  const tokens = tokenize(text);
  tokens.forEach((token, i) => {
    if (negations.has(token)) {
      negatedUntil = i + negationReach;
      // "fails"/"failed" are themselves bad news when nothing scored follows them.
      return;
    }
    const weight = financeLexicon.get(token);
    if (weight === undefined) return;
    const signed = i <= negatedUntil ? -weight : weight;
    negatedUntil = -1;
    words.push({ word: token, weight: signed });
    sum += signed;
  });
  return { score: sum / Math.sqrt(sum * sum + alpha), words };
}
