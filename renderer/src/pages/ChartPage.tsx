// Pick a stored series and see it as candlesticks, delete it, or import a CSV right here.
import { useEffect, useState } from 'react';
import type { CandleColumnsJson } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { CandleChart } from '../components/CandleChart.tsx';
import { ImportCandlesForm } from '../components/ImportCandlesForm.tsx';
import { Notice } from '../components/Notice.tsx';
import { Button } from '../components/form.tsx';
import { SeriesPicker } from '../components/SeriesPicker.tsx';
import { seriesKey, useSeries } from '../stores/series-store.ts';

export function ChartPage() {
  const { series, refresh } = useSeries();
  const [selected, setSelected] = useState('');
  const [candles, setCandles] = useState<CandleColumnsJson | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [deleteAsked, setDeleteAsked] = useState<string | null>(null);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Keep a valid selection: the first series once some exist.
  const current = series.find((meta) => seriesKey(meta) === selected) ?? series[0];
  const currentKey = current ? seriesKey(current) : '';

  // A delete question belongs to the series it was asked about: another selection closes it.
  const confirmingDelete = deleteAsked !== null && deleteAsked === currentKey;

  useEffect(() => {
    if (!current) return;
    let stale = false;
    api
      .call('candles.get', { symbol: current.symbol, timeframe: current.timeframe })
      .then((result) => {
        if (!stale) {
          setCandles(result.candles);
          setError(null);
        }
      })
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
    // Reload when the series or its size changes (a re-import adds bars to the same key).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentKey, current?.count, current?.last]);

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <div className="sm:w-80">
            <SeriesPicker series={series} value={currentKey} onChange={setSelected} />
          </div>
          <p className="text-sm text-slate-400" data-testid="chart-bar-count">
            {current && candles ? `${candles.time.length.toLocaleString('en-US')} candles` : 'No candles'}
          </p>
          {current && !confirmingDelete && (
            <Button
              type="button"
              tone="secondary"
              className="sm:ml-auto"
              data-testid="series-delete"
              onClick={() => setDeleteAsked(currentKey)}
            >
              Delete series
            </Button>
          )}
        </div>
        {current && confirmingDelete && (
          <div className="mt-3">
            <Notice tone="warning" testId="series-delete-question">
              <p>
                Delete {current.symbol} {current.timeframe} and its {current.count.toLocaleString('en-US')}{' '}
                candles? This cannot be undone.
              </p>
              <div className="mt-2 flex gap-2">
                <Button
                  type="button"
                  tone="danger"
                  data-testid="series-delete-confirm"
                  onClick={() => {
                    setDeleteAsked(null);
                    api
                      .call('candles.remove', { symbol: current.symbol, timeframe: current.timeframe })
                      .then(() => {
                        setSelected('');
                        setCandles(null);
                        return refresh();
                      })
                      .catch((caught: unknown) => setError(describeError(caught)));
                  }}
                >
                  Delete
                </Button>
                <Button
                  type="button"
                  tone="secondary"
                  data-testid="series-delete-cancel"
                  onClick={() => setDeleteAsked(null)}
                >
                  Keep
                </Button>
              </div>
            </Notice>
          </div>
        )}
      </Card>
      {error && <Notice tone="error">{error}</Notice>}
      <Card>
        {series.length === 0 ? (
          <p className="text-sm text-slate-400">Import a CSV below to see its candles here.</p>
        ) : null}
        <CandleChart candles={current ? candles : null} />
      </Card>
      <Card title="Import candles from CSV">
        <ImportCandlesForm
          onImported={(symbol, timeframe) => {
            setSelected(seriesKey({ symbol, timeframe }));
            void refresh();
          }}
        />
      </Card>
    </div>
  );
}
