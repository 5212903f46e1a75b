// Closed trades, sortable by any column; the open position (if any) is listed apart, since it is
// marked to the last close rather than closed.
import { useMemo, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { decimalsOf, formatAtDecimals } from '../../../core/contract/price-format.ts';
import { formatNumber, formatPct, formatTime } from './format.ts';

type Result = CallOutput<'backtest.run'>['result'];
type Trade = Result['trades'][number];
type SortKey =
  | 'entryTime'
  | 'exitTime'
  | 'side'
  | 'size'
  | 'entryPrice'
  | 'exitPrice'
  | 'pnl'
  | 'returnPct'
  | 'commission';

/** Prices at the instrument's decimals (EURUSD 1.07219), sizes at the lot size's (39.6825). */
interface Precision {
  price(value: number): string;
  size(value: number): string;
}

function precisionOf(result: Result): Precision {
  const sizeDecimals = decimalsOf(result.spec.lotSize);
  return {
    price: (value) => formatAtDecimals(value, result.priceDecimals, { grouping: true }),
    size: (value) => formatAtDecimals(value, sizeDecimals, { grouping: true }),
  };
}

const columns: { key: SortKey; label: string; render(trade: Trade, precision: Precision): string }[] = [
  { key: 'entryTime', label: 'Entry', render: (t) => formatTime(t.entryTime) },
  { key: 'exitTime', label: 'Exit', render: (t) => formatTime(t.exitTime) },
  { key: 'side', label: 'Side', render: (t) => t.side },
  { key: 'size', label: 'Size', render: (t, p) => p.size(t.size) },
  { key: 'entryPrice', label: 'Entry price', render: (t, p) => p.price(t.entryPrice) },
  { key: 'exitPrice', label: 'Exit price', render: (t, p) => p.price(t.exitPrice) },
  { key: 'pnl', label: 'PnL', render: (t) => formatNumber(t.pnl) },
  { key: 'returnPct', label: 'Return', render: (t) => formatPct(t.returnPct) },
  { key: 'commission', label: 'Commission', render: (t) => formatNumber(t.commission) },
];

export function TradeTable({ result }: { result: Result }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({
    key: 'entryTime',
    descending: false,
  });
  const sorted = useMemo(() => {
    const direction = sort.descending ? -1 : 1;
    return [...result.trades].sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      return (x < y ? -1 : x > y ? 1 : 0) * direction;
    });
  }, [result.trades, sort]);
  const precision = precisionOf(result);

  return (
    <div className="flex flex-col gap-2">
      {result.openTrade && (
        <p className="text-sm text-slate-300" data-testid="open-trade">
          Still open at the end: {result.openTrade.side} {precision.size(result.openTrade.size)} from{' '}
          {formatTime(result.openTrade.entryTime)} at {precision.price(result.openTrade.entryPrice)}, marked
          at {precision.price(result.openTrade.markPrice)} ({formatNumber(result.openTrade.pnl)} unrealised;
          not counted as a closed trade).
        </p>
      )}
      <div className="max-h-96 overflow-auto">
        <table className="w-full text-right text-xs tabular-nums sm:text-sm" data-testid="trade-table">
          <thead className="sticky top-0 bg-slate-900 text-slate-400">
            <tr>
              {columns.map((column) => (
                <th key={column.key} className="px-2 py-1 font-medium whitespace-nowrap">
                  <button
                    type="button"
                    data-testid={`sort-${column.key}`}
                    aria-sort={
                      sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : 'none'
                    }
                    onClick={() =>
                      setSort((current) => ({
                        key: column.key,
                        descending: current.key === column.key ? !current.descending : column.key === 'pnl',
                      }))
                    }
                  >
                    {column.label}
                    {sort.key === column.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((trade) => (
              <tr key={`${trade.entryBar}-${trade.exitBar}`} className="border-t border-slate-800">
                {columns.map((column) => (
                  <td
                    key={column.key}
                    className={`px-2 py-1 whitespace-nowrap ${
                      column.key === 'pnl' ? (trade.pnl >= 0 ? 'text-emerald-400' : 'text-red-400') : ''
                    }`}
                  >
                    {column.render(trade, precision)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
