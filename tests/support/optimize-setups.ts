// Money settings for optimiser pool tests: $10,000, no costs, whole shares, all-in. Tests that
// time threads need the arithmetic to be cheap and the result easy to reason about.
export const costFreeMoney = {
  cash: 10_000,
  commission: 0,
  fixedFee: 0,
  slippage: 0,
  lotSize: 1,
  sizing: { mode: 'all-in' as const },
  closeAtEnd: false,
};
