// Every page the product will have, in navigation order. `licensed: false` pages stay reachable
// without a licence; `arrives` tells the user plainly which part of the product fills a page later.
export interface PageInfo {
  id: string;
  title: string;
  licensed: boolean;
  /** For pages not built yet: what they will hold. */
  arrives?: string;
}

export const pages = [
  { id: 'dashboard', title: 'Dashboard', licensed: true },
  { id: 'chart', title: 'Chart', licensed: true },
  { id: 'backtest', title: 'Backtest', licensed: true },
  { id: 'optimizer', title: 'Optimizer', licensed: true },
  {
    id: 'bots',
    title: 'Bots',
    licensed: true,
    arrives:
      'Bot instances in paper and live mode: duplicate with overrides, ghost a live bot on paper, a watchdog that restarts failed instances, and the licence’s instance limit.',
  },
  {
    id: 'risk',
    title: 'Risk',
    licensed: true,
    arrives:
      'The account-wide risk engine: daily loss limit, consecutive-loss cooldown, volatility pause, max drawdown, order-rate throttle and the kill switch, with their states.',
  },
  {
    id: 'arbitrage',
    title: 'Arbitrage',
    licensed: true,
    arrives: 'Cross-exchange spreads net of fees and triangular cycles within one exchange.',
  },
  {
    id: 'rl',
    title: 'RL',
    licensed: true,
    arrives:
      'Reinforcement learning (PPO/DQN): a CartPole self-test, a trading environment, training and prediction.',
  },
  {
    id: 'sentiment',
    title: 'Sentiment',
    licensed: true,
    arrives: 'News sentiment from NewsAPI and Perplexity, usable as a strategy filter.',
  },
  {
    id: 'macro',
    title: 'Macro',
    licensed: true,
    arrives: 'Macro series from FRED and market data providers (AlphaVantage, TwelveData, CoinGecko).',
  },
  {
    id: 'tech',
    title: 'Tech',
    licensed: true,
    arrives: 'Monitoring of the running core: health, metrics, logs with secrets redacted, and alerts.',
  },
  {
    id: 'shopify',
    title: 'Shopify',
    licensed: true,
    arrives: 'An optional Shopify revenue feed showing store income available for reinvestment.',
  },
  { id: 'account', title: 'Account', licensed: true },
  { id: 'settings', title: 'Settings', licensed: false },
  { id: 'license', title: 'License', licensed: false },
] as const satisfies readonly PageInfo[];

export type PageId = (typeof pages)[number]['id'];

export function findPage(id: string): PageInfo | undefined {
  return (pages as readonly PageInfo[]).find((page) => page.id === id);
}
