// Every trade of a time span from an exchange that answers at most one page per request, whichever
// end of the span that page comes from. Exchanges differ here and ccxt does not say which: most
// answer the oldest trades from `since` (forward), OKX the newest before `until` (backward). A full
// page [first, last] thus leaves two spans unread — before `first` and after `last` — and both are
// asked; on either kind of exchange one of them answers only trades already read (ids seen) and
// ends there. Spans only shrink, so the read ends; what it cannot do is separate more trades sharing
// one millisecond than a page holds (that needs paging by id, as Binance's is).
import type { Trade as CcxtTrade } from 'ccxt';

/** One request: the trades from `since` (inclusive) up to `until` (inclusive, when given). */
export type TradePage = (since: number, until: number | undefined) => Promise<CcxtTrade[]>;

/** Requests one read may make (a guard against an exchange that never stops answering). */
const maxRequests = 1_000;

export async function allTradesByTime(
  page: TradePage,
  since: number,
  pageSize: number,
): Promise<CcxtTrade[]> {
  const all: CcxtTrade[] = [];
  const ids = new Set<string>();
  const spans: [number, number | undefined][] = [[since, undefined]];
  for (let requests = 0; spans.length > 0 && requests < maxRequests; requests++) {
    const [from, until] = spans.pop()!;
    const trades = await page(from, until);
    let added = 0;
    for (const trade of trades) {
      if (ids.has(String(trade.id))) continue;
      ids.add(String(trade.id));
      all.push(trade);
      added++;
    }
    if (trades.length < pageSize) continue;
    const times = trades.map((t) => t.timestamp ?? from);
    const first = Math.min(...times);
    const last = Math.max(...times);
    if (added === 0) {
      // Nothing new: the span is read, unless the page is one millisecond's worth of trades — then
      // step past that millisecond on both sides (more trades in it than a page cannot be told apart).
      if (first !== last) continue;
      if (first - 1 >= from) spans.push([from, first - 1]);
      if (until === undefined || last + 1 <= until) spans.push([last + 1, until]);
      continue;
    }
    // Both ends' milliseconds are asked again: the page may have cut through them.
    spans.push([from, first], [last, until]);
  }
  return all.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}
