// A bot's reinvestment policy (issue #16): how much of its realised profit is compounded into the
// money its next position may use, up to a cap, cut while the account is in a deep drawdown.
// Pure: the same state always gives the same budget, so a backtest and a live bot agree.

export interface ReinvestmentPolicy {
  /** The position budget (account currency) before any profit. */
  baseBudget: number;
  /** Share of realised profit (0–1) added to the budget; realised losses take the same share off. */
  reinvestShare: number;
  /** The budget never exceeds this. */
  cap: number;
  /** Drawdown from the equity peak (0–1) above which the budget is cut. */
  drawdownThreshold: number;
  /** Fraction (0–1) the budget is cut by while the drawdown exceeds the threshold. */
  derisk: number;
}

export interface ReinvestmentState {
  /** Profit realised by closed trades so far (negative after net losses). */
  realisedProfit: number;
  equity: number;
  /** Highest equity seen so far. */
  peakEquity: number;
}

/** Refuses a policy that cannot mean anything, naming the field. */
export function checkReinvestmentPolicy(policy: ReinvestmentPolicy): void {
  const share = (name: keyof ReinvestmentPolicy) => {
    const value = policy[name];
    if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`);
  };
  if (!(policy.baseBudget >= 0))
    throw new RangeError(`baseBudget must not be negative, got ${policy.baseBudget}`);
  if (!(policy.cap >= policy.baseBudget))
    throw new RangeError(`cap must be at least baseBudget (${policy.baseBudget}), got ${policy.cap}`);
  share('reinvestShare');
  share('drawdownThreshold');
  share('derisk');
}

/** Drawdown from the peak as a fraction (0 at or above the peak). */
export function drawdownOf(state: Pick<ReinvestmentState, 'equity' | 'peakEquity'>): number {
  return state.peakEquity > 0 ? Math.max(0, (state.peakEquity - state.equity) / state.peakEquity) : 0;
}

/**
 * The money the next position may use:
 *   min(cap, max(0, baseBudget + reinvestShare × realisedProfit)) × (1 − derisk while drawdown > threshold).
 */
export function positionBudget(policy: ReinvestmentPolicy, state: ReinvestmentState): number {
  const compounded = Math.max(0, policy.baseBudget + policy.reinvestShare * state.realisedProfit);
  const capped = Math.min(policy.cap, compounded);
  return drawdownOf(state) > policy.drawdownThreshold ? capped * (1 - policy.derisk) : capped;
}
