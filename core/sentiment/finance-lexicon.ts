// A small finance lexicon for scoring headlines. No maintained npm package fits: `sentiment`
// (AFINN-165) and `vader-sentiment` score general English, where "liability", "volatile",
// "downgrade" or "beat" carry the wrong or no weight, and neither is in this project's
// dependencies (docs/providers.md). The words follow the categories of the Loughran–McDonald
// financial sentiment word lists (positive, negative, with "uncertainty" and "litigious" words
// counted as mildly negative), chosen and weighted by hand for news headlines: 2 for strong words,
// 1 for the rest. Inflections are listed explicitly rather than stemmed, so each entry is visible.

const strongPositive = words(`
  soar soars soared soaring surge surges surged surging skyrocket skyrockets record breakthrough
  blowout outperform outperforms outperformed upgrade upgrades upgraded beat beats boom booming
  windfall
`);

const positive = words(`
  gain gains gained rise rises rose rising rally rallies rallied jump jumps jumped climb climbs
  climbed grow grows grew growth profit profits profitable strong stronger strength robust improve
  improves improved improvement upbeat optimism optimistic bullish expand expands expansion exceed
  exceeds exceeded top tops topped higher high boost boosts boosted win wins won success
  successful dividend buyback approve approves approved approval launch launches launched
  innovative innovation demand recover recovers recovered recovery rebound rebounds rebounded
  positive accelerate accelerates accelerating partnership deal acquire acquires milestone
  favorable confident confidence
`);

const strongNegative = words(`
  plunge plunges plunged plunging crash crashes crashed collapse collapses collapsed bankruptcy
  bankrupt fraud scandal downgrade downgrades downgraded default defaults tumble tumbles tumbled
  slump slumps slumped miss misses missed recall recalls layoffs
`);

const negative = words(`
  fall falls fell falling drop drops dropped decline declines declined declining slide slides slid
  sink sinks sank loss losses lose loses lost weak weaker weakness cut cuts slash slashes slashed
  lower low bearish pessimism pessimistic concern concerns worry worries fear fears warn warns
  warned warning risk risks risky volatile volatility uncertain uncertainty lawsuit lawsuits sue
  sues sued litigation probe investigation fined penalty antitrust delay delays delayed halt
  halts halted shortfall deficit debt liability liabilities impairment writedown downturn
  recession inflation slowdown slowing struggle struggles struggling disappoint disappoints
  disappointing disappointed negative widen widens widened costs outage breach hack hacked
  resign resigns resigned sell-off selloff
`);

/** Whitespace-separated words (a list per line reads better than one word per line). */
function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

/** Word → weight (positive or negative). */
export const financeLexicon: ReadonlyMap<string, number> = new Map<string, number>([
  ...positive.map((word): [string, number] => [word, 1]),
  ...strongPositive.map((word): [string, number] => [word, 2]),
  ...negative.map((word): [string, number] => [word, -1]),
  ...strongNegative.map((word): [string, number] => [word, -2]),
]);

/** Words that flip the weight of the next scored word within three words ("not profitable"). */
export const negations: ReadonlySet<string> = new Set(
  words(`
    not no never without isn't wasn't aren't don't doesn't didn't won't can't cannot nor fails
    failed fail
  `),
);
