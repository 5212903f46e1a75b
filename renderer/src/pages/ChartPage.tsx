// Pick a symbol and see it as candlesticks at any size: the chart fetches the bars the screen can
// show as the user zooms (Auto) or stays on one stored timeframe; draw lines, jump to a date, save
// a PNG; delete a series; import a CSV or download from an exchange right here.
import { useEffect, useMemo, useRef, useState } from 'react';
import { timeframes, type SeriesMeta, type Timeframe } from '../../../core/contract/calls.ts';
import type { Drawing } from '../../../core/contract/drawings.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import {
  MarketChart,
  type DrawTool,
  type LiveBar,
  type MarketChartHandle,
  type ScaleMode,
} from '../components/chart/MarketChart.tsx';
import type { ResolutionMode, SeriesExtent } from '../components/chart/candle-window.ts';
import { IndicatorsControl, useSessionIndicators } from '../components/chart/IndicatorsControl.tsx';
import { Button, Field, Select, TextInput } from '../components/form.tsx';
import { DownloadCandlesForm } from '../components/DownloadCandlesForm.tsx';
import { ImportCandlesForm } from '../components/ImportCandlesForm.tsx';
import { Notice } from '../components/Notice.tsx';
import { useSeries } from '../stores/series-store.ts';
import { takeChartFocus } from '../stores/chart-focus.ts';

interface SymbolEntry {
  symbol: string;
  series: SeriesMeta[];
  extent: SeriesExtent;
}

/** Stored series grouped by symbol, timeframes finest first; the extent is the imported bars' span. */
function groupBySymbol(series: readonly SeriesMeta[]): SymbolEntry[] {
  const bySymbol = new Map<string, SeriesMeta[]>();
  for (const meta of series) bySymbol.set(meta.symbol, [...(bySymbol.get(meta.symbol) ?? []), meta]);
  return [...bySymbol.entries()].map(([symbol, metas]) => {
    const sorted = [...metas].sort(
      (a, b) => timeframes.indexOf(a.timeframe) - timeframes.indexOf(b.timeframe),
    );
    return {
      symbol,
      series: sorted,
      extent: {
        timeframes: sorted.map((meta) => meta.timeframe),
        first: Math.min(...sorted.map((meta) => meta.first ?? Number.MAX_SAFE_INTEGER)),
        last: Math.max(...sorted.map((meta) => meta.last ?? 0)),
      },
    };
  });
}

export function ChartPage() {
  const { series, refresh } = useSeries();
  const [selected, setSelected] = useState(() => takeChartFocus() ?? '');
  const [resolution, setResolution] = useState<'auto' | Timeframe>('auto');
  const [scale, setScale] = useState<ScaleMode>('normal');
  const [tool, setTool] = useState<DrawTool>('none');
  const [drawings, setDrawings] = useState<Drawing[]>([]);
  const [indicators, setIndicators] = useSessionIndicators();
  const [indicatorsOpen, setIndicatorsOpen] = useState(false);
  const [goTo, setGoTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<{
    timeframe: Timeframe;
    derivedFrom: Timeframe | null;
    bars: number;
  } | null>(null);
  const chart = useRef<MarketChartHandle>(null);
  const [deleteAsked, setDeleteAsked] = useState<string | null>(null);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const symbols = useMemo(() => groupBySymbol(series), [series]);
  const current = symbols.find((entry) => entry.symbol === selected) ?? symbols[0];
  const symbol = current?.symbol ?? '';
  // A timeframe the new symbol does not hold falls back to Auto.
  const activeResolution =
    resolution !== 'auto' && current?.extent.timeframes.includes(resolution) ? resolution : 'auto';
  // What "Delete series" removes: the pinned timeframe when the user imported it, else the finest
  // imported one; the timeframes derived from it go with it.
  const deletable =
    current?.series.find((meta) => meta.derivedFrom === null && meta.timeframe === activeResolution) ??
    current?.series.find((meta) => meta.derivedFrom === null);
  const deleteKey = deletable ? `${deletable.symbol}|${deletable.timeframe}` : '';
  // A delete question belongs to the series it was asked about: another selection closes it.
  const confirmingDelete = deleteAsked !== null && deleteAsked === deleteKey;
  const mode = useMemo<ResolutionMode>(
    () => (activeResolution === 'auto' ? { kind: 'auto' } : { kind: 'exact', timeframe: activeResolution }),
    [activeResolution],
  );

  useEffect(() => {
    if (!symbol) return;
    let stale = false;
    api
      .call('chart.drawings', { symbol })
      .then((result) => !stale && setDrawings(result.drawings))
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [symbol]);

  // Bars from a live exchange feed (a bot on one, docs/ccxt.md): closed ones are already stored;
  // the forming one is drawn as it changes.
  const [live, setLive] = useState<{
    series: string;
    timeframe: Timeframe;
    closed: number;
    bar: LiveBar;
  } | null>(null);
  // One subscription for the page's life (the symbol is read through a ref): re-subscribing on
  // every selection would drop events while the socket turns over.
  const shownSymbol = useRef(symbol);
  useEffect(() => {
    shownSymbol.current = symbol;
  }, [symbol]);
  useEffect(
    () =>
      api.on('candles.live', (event) => {
        if (event.series !== shownSymbol.current) return;
        setLive((previous) => ({
          series: event.series,
          timeframe: event.timeframe,
          closed: (previous?.series === event.series ? previous.closed : 0) + (event.closed ? 1 : 0),
          // The chart only takes its last bar or a newer one.
          bar:
            previous?.series === event.series && previous.bar.time > event.bar.time
              ? previous.bar
              : event.bar,
        }));
      }),
    [],
  );
  const liveHere = live !== null && live.series === symbol ? live : null;

  const saveDrawings = (next: Drawing[]) => {
    setDrawings(next);
    api
      .call('chart.saveDrawings', { symbol, drawings: next })
      .then(() => setError(null))
      .catch((caught: unknown) => setError(describeError(caught)));
  };

  const jump = () => {
    const time = Date.parse(`${goTo}T00:00:00Z`);
    if (Number.isFinite(time)) chart.current?.goToDate(time / 1000);
  };

  return (
    <div className="flex flex-col gap-4">
      <Card>
        <div className="grid grid-cols-2 gap-3 sm:flex sm:flex-wrap sm:items-end">
          <div className="col-span-2 sm:w-56">
            <Field label="Symbol">
              <Select
                value={symbol}
                data-testid="series-select"
                onChange={(event) => setSelected(event.target.value)}
              >
                {symbols.length === 0 && <option value="">No candles stored yet</option>}
                {symbols.map((entry) => (
                  <option key={entry.symbol} value={entry.symbol}>
                    {entry.symbol} · {entry.series.find((meta) => meta.derivedFrom === null)?.timeframe ?? ''}{' '}
                    ·{' '}
                    {(entry.series.find((meta) => meta.derivedFrom === null)?.count ?? 0).toLocaleString(
                      'en-US',
                    )}{' '}
                    bars
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <div className="sm:w-40">
            <Field label="Timeframe">
              <Select
                value={activeResolution}
                data-testid="timeframe-select"
                onChange={(event) => setResolution(event.target.value as 'auto' | Timeframe)}
              >
                <option value="auto">Auto (follows zoom)</option>
                {current?.series.map((meta) => (
                  <option key={meta.timeframe} value={meta.timeframe}>
                    {meta.timeframe}
                    {meta.derivedFrom ? ` (from ${meta.derivedFrom})` : ''}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <div className="sm:w-32">
            <Field label="Price scale">
              <Select
                value={scale}
                data-testid="scale-select"
                onChange={(event) => setScale(event.target.value as ScaleMode)}
              >
                <option value="normal">Normal</option>
                <option value="log">Logarithmic</option>
                <option value="percent">Percent</option>
              </Select>
            </Field>
          </div>
          <div className="col-span-2 flex items-end gap-2 sm:w-56">
            <Field label="Go to date">
              <TextInput
                type="date"
                value={goTo}
                data-testid="goto-date"
                onChange={(event) => setGoTo(event.target.value)}
              />
            </Field>
            <Button tone="secondary" onClick={jump} disabled={!goTo || !symbol} data-testid="goto-button">
              Go
            </Button>
          </div>
        </div>
        <div className="mt-3 flex flex-wrap items-center gap-2">
          <Button
            tone={tool === 'horizontal' ? 'primary' : 'secondary'}
            onClick={() => setTool(tool === 'horizontal' ? 'none' : 'horizontal')}
            disabled={!symbol}
            data-testid="draw-horizontal"
          >
            Horizontal line
          </Button>
          <Button
            tone={tool === 'trend' ? 'primary' : 'secondary'}
            onClick={() => setTool(tool === 'trend' ? 'none' : 'trend')}
            disabled={!symbol}
            data-testid="draw-trend"
          >
            Trend line
          </Button>
          <Button
            tone="secondary"
            onClick={() => saveDrawings([])}
            disabled={drawings.length === 0}
            data-testid="clear-drawings"
          >
            Clear lines
          </Button>
          <Button
            tone={indicatorsOpen ? 'primary' : 'secondary'}
            onClick={() => setIndicatorsOpen(!indicatorsOpen)}
            aria-expanded={indicatorsOpen}
            data-testid="indicators-button"
          >
            Indicators
          </Button>
          <Button
            tone="secondary"
            onClick={() => chart.current?.snapshot(`${symbol}-${shown?.timeframe ?? 'chart'}.png`)}
            disabled={!symbol}
            data-testid="snapshot"
          >
            Save PNG
          </Button>
          <p className="text-sm text-slate-400" data-testid="chart-bar-count">
            {shown
              ? `${shown.bars.toLocaleString('en-US')} ${shown.timeframe} bars shown${
                  shown.derivedFrom ? ` (resampled from ${shown.derivedFrom})` : ''
                }`
              : 'No candles'}
          </p>
          {liveHere && (
            <p className="text-sm text-emerald-300" data-testid="chart-live">
              Live: {liveHere.closed.toLocaleString('en-US')} new bar{liveHere.closed === 1 ? '' : 's'}
            </p>
          )}
          {tool !== 'none' && (
            <p className="text-sm text-sky-300" data-testid="draw-hint">
              {tool === 'horizontal' ? 'Click the chart at the price.' : 'Click the two ends of the line.'}
            </p>
          )}
          {deletable && !confirmingDelete && (
            <Button
              tone="secondary"
              className="sm:ml-auto"
              data-testid="series-delete"
              onClick={() => setDeleteAsked(deleteKey)}
            >
              Delete series
            </Button>
          )}
        </div>
        {indicatorsOpen && (
          <div className="mt-3">
            <IndicatorsControl settings={indicators} onChange={setIndicators} />
          </div>
        )}
        {deletable && confirmingDelete && (
          <div className="mt-3">
            <Notice tone="warning" testId="series-delete-question">
              <p>
                Delete {deletable.symbol} {deletable.timeframe} and its{' '}
                {deletable.count.toLocaleString('en-US')} candles? The timeframes resampled from them go too.
                This cannot be undone.
              </p>
              <div className="mt-2 flex gap-2">
                <Button
                  tone="danger"
                  data-testid="series-delete-confirm"
                  onClick={() => {
                    setDeleteAsked(null);
                    api
                      .call('candles.remove', { symbol: deletable.symbol, timeframe: deletable.timeframe })
                      .then(() => {
                        setSelected('');
                        setShown(null);
                        return refresh();
                      })
                      .catch((caught: unknown) => setError(describeError(caught)));
                  }}
                >
                  Delete
                </Button>
                <Button
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
        {symbols.length === 0 ? (
          <p className="text-sm text-slate-400">
            Import a CSV or download from an exchange below to see candles here.
          </p>
        ) : (
          <MarketChart
            ref={chart}
            symbol={symbol}
            extent={current!.extent}
            mode={mode}
            scale={scale}
            tool={tool}
            drawings={drawings}
            onDrawingsChange={saveDrawings}
            onToolDone={() => setTool('none')}
            onWindow={setShown}
            liveBar={liveHere && shown?.timeframe === liveHere.timeframe ? liveHere.bar : null}
            indicators={indicators}
          />
        )}
      </Card>
      <Card title="Import candles from CSV">
        <ImportCandlesForm
          onImported={(importedSymbol) => {
            setSelected(importedSymbol);
            void refresh();
          }}
        />
      </Card>
      <Card title="Download from exchange">
        <DownloadCandlesForm
          onDownloaded={(downloaded) => {
            setSelected(downloaded);
            void refresh();
          }}
        />
      </Card>
    </div>
  );
}
