// Every page the product will have, in navigation order. `access` mirrors the contract's tiers
// (core/contract/access.ts): free pages are reachable without a licence, the others with a licence
// or the running trial (or a licence feature). The core enforces the same on every call; this only
// decides what the navigation shows as locked. `arrives` tells the user plainly which part of the
// product fills a page later.
import type { CallAccess } from '../../../core/contract/access.ts';

export interface PageInfo {
  id: string;
  title: string;
  access: CallAccess;
  /** For pages not built yet: what they will hold. */
  arrives?: string;
}

export const pages = [
  { id: 'dashboard', title: 'Dashboard', access: 'free' },
  { id: 'chart', title: 'Chart', access: 'free' },
  { id: 'backtest', title: 'Backtest', access: 'free' },
  { id: 'optimizer', title: 'Optimizer', access: 'free' },
  { id: 'bots', title: 'Bots', access: 'licensed' },
  { id: 'risk', title: 'Risk', access: 'licensed' },
  {
    id: 'arbitrage',
    title: 'Arbitrage',
    access: 'licensed',
    arrives: 'Cross-exchange spreads net of fees and triangular cycles within one exchange.',
  },
  {
    id: 'rl',
    title: 'RL',
    access: { feature: 'rl' },
  },
  {
    id: 'sentiment',
    title: 'Sentiment',
    access: 'licensed',
  },
  {
    id: 'macro',
    title: 'Macro',
    access: 'licensed',
  },
  {
    id: 'tech',
    title: 'Tech',
    access: 'licensed',
  },
  {
    id: 'shopify',
    title: 'Shopify',
    access: 'licensed',
  },
  { id: 'account', title: 'Account', access: 'licensed' },
  { id: 'settings', title: 'Settings', access: 'free' },
  { id: 'license', title: 'License', access: 'free' },
] as const satisfies readonly PageInfo[];

export type PageId = (typeof pages)[number]['id'];

export function findPage(id: string): PageInfo | undefined {
  return (pages as readonly PageInfo[]).find((page) => page.id === id);
}
