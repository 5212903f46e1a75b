// The technical screener: every stored series at one timeframe with RSI(14), the MACD(12,26,9)
// histogram, its place in the Bollinger band (20, 2), ATR(14) as % of the close and EMA(20)
// against SMA(50). Sortable by any column; a row opens the chart of its symbol.
import { useEffect, useMemo, useState } from 'react';
import { timeframes, type CallOutput, type Timeframe } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { DemoLabel } from '../components/DemoLabel.tsx';
import { Field, Select } from '../components/form.tsx';
import { Notice } from '../components/Notice.tsx';
import { formatNumber } from '../components/format.ts';
import { focusChartOn } from '../stores/chart-focus.ts';
import { useNavigation } from '../stores/navigation-store.ts';

type Row = CallOutput<'tech.screen'>['rows'][number];
type Column = 'symbol' | 'close' | 'rsi' | 'macdHistogram' | 'bollingerPosition' | 'atrPct' | 'cross';

const columns: { id: Column; title: string }[] = [
  { id: 'symbol', title: 'Symbol' },
  { id: 'close', title: 'Close' },
  { id: 'rsi', title: 'RSI 14' },
  { id: 'macdHistogram', title: 'MACD hist.' },
  { id: 'bollingerPosition', title: 'Bollinger %B' },
  { id: 'atrPct', title: 'ATR %' },
  { id: 'cross', title: 'EMA20 / SMA50' },
];

function cell(row: Row, column: Column): string {
  switch (column) {
    case 'symbol':
      return row.symbol;
    case 'close':
      return formatNumber(row.close, 2);
    case 'rsi':
      return formatNumber(row.rsi, 1);
    case 'macdHistogram':
      return formatNumber(row.macdHistogram, 3);
    case 'bollingerPosition':
      return formatNumber(row.bollingerPosition, 2);
    case 'atrPct':
      return row.atrPct === null ? '—' : `${formatNumber(row.atrPct, 2)} %`;
    case 'cross':
      return row.cross === null
        ? '—'
        : `${row.cross}${row.barsSinceCross !== null ? ` (${row.barsSinceCross} bars)` : ''}`;
  }
}

export function TechPage() {
  const [timeframe, setTimeframe] = useState<Timeframe>('1d');
  const [rows, setRows] = useState<Row[] | null>(null);
  const [demo, setDemo] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ column: Column; descending: boolean }>({
    column: 'symbol',
    descending: false,
  });
  const go = useNavigation((state) => state.go);

  useEffect(() => {
    let stale = false;
    api
      .call('tech.screen', { timeframe })
      .then((result) => {
        if (stale) return;
        setRows(result.rows);
        setDemo(result.demo);
      })
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [timeframe]);

  const sorted = useMemo(() => {
    if (!rows) return [];
    const value = (row: Row) => row[sort.column];
    return [...rows].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      // Missing values last, whichever the direction.
      if (x === null) return y === null ? 0 : 1;
      if (y === null) return -1;
      const order = x < y ? -1 : x > y ? 1 : 0;
      return sort.descending ? -order : order;
    });
  }, [rows, sort]);

  return (
    <div className="flex flex-col gap-4">
      <Card title="Technical screener">
        <div className="mb-3 flex flex-wrap items-end gap-3">
          {demo && (
            <p className="flex items-center gap-2 text-sm text-slate-400">
              <DemoLabel provider="The screener" /> No series is stored yet: these rows are generated series.
            </p>
          )}
          <Field label="Timeframe">
            <Select
              value={timeframe}
              onChange={(e) => setTimeframe(e.target.value as Timeframe)}
              data-testid="tech-timeframe"
            >
              {timeframes.map((tf) => (
                <option key={tf} value={tf}>
                  {tf}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {error && <Notice tone="error">{error}</Notice>}
        {rows && rows.length === 0 && (
          <p className="text-sm text-slate-400" data-testid="tech-empty">
            No series is stored at {timeframe}. Import a CSV on the Chart page, or download candles from a
            provider (market.importCandles).
          </p>
        )}
        {sorted.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm tabular-nums" data-testid="tech-table">
              <thead className="text-xs text-slate-400">
                <tr>
                  {columns.map((column) => (
                    <th key={column.id} className="py-1 pr-4">
                      <button
                        type="button"
                        className="hover:text-slate-200"
                        data-testid={`tech-sort-${column.id}`}
                        aria-sort={
                          sort.column === column.id
                            ? sort.descending
                              ? 'descending'
                              : 'ascending'
                            : undefined
                        }
                        onClick={() =>
                          setSort((current) => ({
                            column: column.id,
                            descending: current.column === column.id ? !current.descending : false,
                          }))
                        }
                      >
                        {column.title}
                        {sort.column === column.id ? (sort.descending ? ' ▼' : ' ▲') : ''}
                      </button>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sorted.map((row) => (
                  <tr
                    key={row.symbol}
                    className="cursor-pointer border-t border-slate-800 hover:bg-slate-800"
                    data-testid="tech-row"
                    tabIndex={0}
                    onClick={() => {
                      if (demo) return;
                      focusChartOn(row.symbol);
                      go('chart');
                    }}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter' && !demo) {
                        focusChartOn(row.symbol);
                        go('chart');
                      }
                    }}
                  >
                    {columns.map((column) => (
                      <td key={column.id} className="py-2 pr-4 whitespace-nowrap">
                        {cell(row, column.id)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
