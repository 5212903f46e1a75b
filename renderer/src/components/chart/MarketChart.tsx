// The Chart page's chart: candlesticks over a volume pane, fed one window of bars at a time at the
// resolution the screen can show (candle-window.ts), with an OHLCV legend under the crosshair,
// normal / log / percent price scales, prices at the instrument's decimals, the user's horizontal
// and trend lines, go-to-date and a PNG snapshot. lightweight-charts owns the canvas; React only
// hands it windows of data (`setData`) and the live last bar (`update`).
import { forwardRef, useCallback, useEffect, useImperativeHandle, useRef, useState } from 'react';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  CrosshairMode,
  HistogramSeries,
  LineSeries,
  LineStyle,
  PriceScaleMode,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type Logical,
  type MouseEventParams,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Timeframe, TypedCandleColumns } from '../../../../core/contract/calls.ts';
import type { Drawing } from '../../../../core/contract/drawings.ts';
import { timeframeSecondsTable as timeframeSeconds } from '../../../../core/contract/timeframe-seconds.ts';
import { api, describeError } from '../../api/client.ts';
import { downloadUrl } from '../download.ts';
import {
  initialRequest,
  nextRequest,
  type LoadedWindow,
  type ResolutionMode,
  type SeriesExtent,
} from './candle-window.ts';
import { ChartLegend, type LegendBar } from './ChartLegend.tsx';
import { IndicatorLegend, type IndicatorValue } from './IndicatorLegend.tsx';
import { enabledIndicators, type IndicatorSettings } from './indicators.ts';
import { computeIndicatorLines, indicatorLineStyles, type IndicatorLineId } from './indicator-lines.ts';
import { formatPrice } from './price-format.ts';
import { TrendLinesPrimitive } from './trend-lines.ts';

export type ScaleMode = 'normal' | 'log' | 'percent';
export type DrawTool = 'none' | 'horizontal' | 'trend';

export interface MarketChartHandle {
  goToDate(time: number): void;
  snapshot(fileName: string): void;
}

export interface LiveBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Props {
  symbol: string;
  extent: SeriesExtent;
  mode: ResolutionMode;
  scale: ScaleMode;
  tool: DrawTool;
  drawings: readonly Drawing[];
  onDrawingsChange(drawings: Drawing[]): void;
  onToolDone(): void;
  onWindow?(window: { timeframe: Timeframe; derivedFrom: Timeframe | null; bars: number }): void;
  /** A new or changing last bar from a live feed. */
  liveBar?: LiveBar | null;
  /** SMA / EMA / Bollinger over the candles, RSI and MACD each in a pane of their own. */
  indicators?: IndicatorSettings | null;
  height?: number;
}

const upColor = '#10b981';
const downColor = '#ef4444';

export const MarketChart = forwardRef<MarketChartHandle, Props>(function MarketChart(props, ref) {
  const { symbol, extent, mode, scale, tool, drawings, height = 460 } = props;
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const candles = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  const trendLines = useRef<TrendLinesPrimitive | null>(null);
  const priceLines = useRef<IPriceLine[]>([]);
  const loaded = useRef<(LoadedWindow & { columns: TypedCandleColumns }) | null>(null);
  const requestSeq = useRef(0);
  const inFlight = useRef(false);
  const pendingCheck = useRef(false);
  const decimals = useRef(2);
  const pendingPoint = useRef<{ time: number; price: number } | null>(null);
  const overlays = useRef(new Map<IndicatorLineId, ISeriesApi<'Line' | 'Histogram'>>());
  // The closes the indicators run over: the window's, plus any newer live bars.
  const series = useRef<{ times: number[]; closes: number[] }>({ times: [], closes: [] });
  const latest = useRef(props);
  latest.current = props;
  const [legend, setLegend] = useState<LegendBar | null>(null);
  const [indicatorValues, setIndicatorValues] = useState<IndicatorValue[] | null>(null);
  const [lastIndicatorValues, setLastIndicatorValues] = useState<IndicatorValue[]>([]);
  const [status, setStatus] = useState<{
    symbol: string;
    timeframe: Timeframe | null;
    bars: number;
    error: string | null;
  }>({ symbol: '', timeframe: null, bars: 0, error: null });
  const [width, setWidth] = useState(0);

  /** Fractional bar index of a time in the loaded window, extrapolated past either end. */
  const timeToLogical = useCallback((time: number): number | null => {
    const window = loaded.current;
    if (!window || window.times.length === 0) return null;
    const times = window.times;
    const step = timeframeSeconds[window.timeframe];
    const last = times.length - 1;
    if (time <= times[0]!) return (time - times[0]!) / step;
    if (time >= times[last]!) return last + (time - times[last]!) / step;
    let low = 0;
    let high = last;
    while (high - low > 1) {
      const middle = (low + high) >>> 1;
      if (times[middle]! <= time) low = middle;
      else high = middle;
    }
    return low + (time - times[low]!) / (times[high]! - times[low]!);
  }, []);

  const logicalToTime = useCallback((logical: number): number | null => {
    const window = loaded.current;
    if (!window || window.times.length === 0) return null;
    const times = window.times;
    const step = timeframeSeconds[window.timeframe];
    const last = times.length - 1;
    if (logical <= 0) return times[0]! + logical * step;
    if (logical >= last) return times[last]! + (logical - last) * step;
    const low = Math.floor(logical);
    return times[low]! + (logical - low) * (times[low + 1]! - times[low]!);
  }, []);

  const visibleTimes = useCallback(() => {
    const range = chart.current?.timeScale().getVisibleLogicalRange();
    if (!range) return null;
    const from = logicalToTime(range.from);
    const to = logicalToTime(range.to);
    return from === null || to === null ? null : { from, to };
  }, [logicalToTime]);

  /**
   * Recomputes the enabled indicators over the closes and hands them to their series: all points
   * after a new window, only the last one for a live bar (`update`, like the candles).
   */
  const drawIndicators = useCallback((lastOnly: boolean) => {
    const settings = latest.current.indicators;
    const { times, closes } = series.current;
    if (!settings || overlays.current.size === 0) return setLastIndicatorValues([]);
    const lines = computeIndicatorLines(closes, settings);
    const last = times.length - 1;
    const values: IndicatorValue[] = [];
    for (const [id, line] of lines) {
      const target = overlays.current.get(id);
      if (!target) continue;
      const point = (i: number) => {
        const time = times[i] as UTCTimestamp;
        const value = line[i]!;
        if (Number.isNaN(value)) return { time };
        return id === 'macd-histogram'
          ? { time, value, color: value >= 0 ? '#10b98199' : '#ef444499' }
          : { time, value };
      };
      if (lastOnly) {
        if (last >= 0) target.update(point(last));
      } else {
        const data = new Array(times.length);
        for (let i = 0; i < times.length; i++) data[i] = point(i);
        target.setData(data);
      }
      values.push({ id, value: last >= 0 ? line[last]! : NaN });
    }
    setLastIndicatorValues(values);
  }, []);

  /** Hands a window of bars to the chart, keeping the user's view where it was when asked. */
  const applyWindow = useCallback(
    (
      window: {
        timeframe: Timeframe;
        derivedFrom: Timeframe | null;
        priceDecimals: number;
        candles: TypedCandleColumns;
      },
      asked: { from: number; to: number },
      keep: { from: number; to: number } | 'fit' | 'latest',
    ) => {
      const columns = window.candles;
      const length = columns.time.length;
      const bars = new Array(length);
      const volumes = new Array(length);
      for (let i = 0; i < length; i++) {
        const time = columns.time[i] as UTCTimestamp;
        const open = columns.open[i]!;
        const close = columns.close[i]!;
        bars[i] = { time, open, high: columns.high[i]!, low: columns.low[i]!, close };
        volumes[i] = { time, value: columns.volume[i]!, color: close >= open ? '#10b98155' : '#ef444455' };
      }
      loaded.current = {
        timeframe: window.timeframe,
        from: asked.from,
        to: asked.to,
        times: columns.time,
        columns,
      };
      const precision = window.priceDecimals;
      if (precision !== decimals.current || !candles.current?.options().priceFormat) {
        decimals.current = precision;
        candles.current?.applyOptions({
          // The axis and the last-price label print through the one formatter, as the legend does.
          priceFormat: {
            type: 'custom',
            formatter: (price: number) => formatPrice(price, precision),
            minMove: 10 ** -precision,
          },
        });
      }
      chart.current?.applyOptions({
        timeScale: { timeVisible: timeframeSeconds[window.timeframe] < 86_400, secondsVisible: false },
      });
      candles.current?.setData(bars);
      volume.current?.setData(volumes);
      series.current = { times: Array.from(columns.time), closes: Array.from(columns.close) };
      drawIndicators(false);
      const timeScale = chart.current?.timeScale();
      if (keep === 'fit') timeScale?.fitContent();
      else if (keep === 'latest')
        timeScale?.setVisibleLogicalRange({ from: Math.max(0, length - 150), to: length + 5 });
      else {
        const from = timeToLogical(keep.from);
        const to = timeToLogical(keep.to);
        if (from !== null && to !== null) timeScale?.setVisibleLogicalRange({ from, to });
      }
      trendLines.current?.refresh();
      setLegend(null);
      setStatus({ symbol: latest.current.symbol, timeframe: window.timeframe, bars: length, error: null });
      latest.current.onWindow?.({
        timeframe: window.timeframe,
        derivedFrom: window.derivedFrom,
        bars: length,
      });
    },
    [drawIndicators, timeToLogical],
  );

  const fetchWindow = useCallback(async (request: { from?: number; to?: number; maxBars: number }) => {
    const current = latest.current;
    const seq = ++requestSeq.current;
    inFlight.current = true;
    try {
      const window = await api.call('candles.window', {
        symbol: current.symbol,
        ...(current.mode.kind === 'exact' ? { timeframe: current.mode.timeframe } : {}),
        ...request,
      });
      return seq === requestSeq.current ? window : null;
    } catch (error) {
      if (seq === requestSeq.current) setStatus((s) => ({ ...s, error: describeError(error) }));
      return null;
    } finally {
      if (seq === requestSeq.current) inFlight.current = false;
    }
  }, []);

  /** After the user scrolled or zoomed: a new window when the loaded one no longer serves. */
  const checkWindow = useCallback(async () => {
    if (inFlight.current) {
      pendingCheck.current = true;
      return;
    }
    const window = loaded.current;
    const visible = visibleTimes();
    const widthPx = chart.current?.timeScale().width() ?? 0;
    if (!window || !visible || widthPx <= 0) return;
    const request = nextRequest(latest.current.mode, window, { ...visible, widthPx }, latest.current.extent);
    if (!request) return;
    const answer = await fetchWindow(request);
    if (answer) {
      // A truncated answer holds the latest bars of the range: what is loaded starts at its first bar.
      const from = answer.truncated ? (answer.candles.time[0] ?? request.from) : request.from;
      applyWindow(answer, { from, to: request.to }, visibleTimes() ?? visible);
    }
    if (pendingCheck.current) {
      pendingCheck.current = false;
      void checkWindow();
    }
  }, [applyWindow, fetchWindow, visibleTimes]);

  // The chart itself, created once.
  useEffect(() => {
    if (!container.current) return;
    const created = createChart(container.current, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: '#020617' },
        textColor: '#cbd5e1',
        panes: { separatorColor: '#1e293b' },
      },
      grid: { vertLines: { color: '#1e293b' }, horzLines: { color: '#1e293b' } },
      crosshair: { mode: CrosshairMode.Normal },
      timeScale: { timeVisible: true, secondsVisible: false },
      // A fixed axis width: otherwise a series with wider price labels resizes every canvas of
      // both panes on a switch (reallocating their bitmaps), and the axis jumps under the user.
      rightPriceScale: { minimumWidth: 80 },
    });
    chart.current = created;
    const lines = overlays.current;
    candles.current = created.addSeries(CandlestickSeries, {
      upColor,
      downColor,
      borderVisible: false,
      wickUpColor: upColor,
      wickDownColor: downColor,
    });
    volume.current = created.addSeries(
      HistogramSeries,
      { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    created.panes()[1]?.setHeight(90);
    const primitive = new TrendLinesPrimitive((time) => {
      const logical = timeToLogical(time);
      return logical === null ? null : created.timeScale().logicalToCoordinate(logical as Logical);
    });
    candles.current.attachPrimitive(primitive);
    trendLines.current = primitive;

    let frame = 0;
    const onRange = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => void checkWindow());
    };
    created.timeScale().subscribeVisibleLogicalRangeChange(onRange);
    const onCrosshair = (param: MouseEventParams<Time>) => {
      const bar = (candles.current ? param.seriesData.get(candles.current) : undefined) as
        CandlestickData<Time> | undefined;
      const vol = (volume.current ? param.seriesData.get(volume.current) : undefined) as
        HistogramData<Time> | undefined;
      if (!bar || bar.open === undefined) {
        setIndicatorValues(null);
        return setLegend(null);
      }
      const values: IndicatorValue[] = [];
      for (const [id, line] of overlays.current) {
        const point = param.seriesData.get(line) as { value?: number } | undefined;
        values.push({ id, value: point?.value ?? NaN });
      }
      setIndicatorValues(values);
      setLegend({
        time: Number(bar.time),
        open: bar.open,
        high: bar.high,
        low: bar.low,
        close: bar.close,
        volume: vol?.value ?? 0,
      });
    };
    created.subscribeCrosshairMove(onCrosshair);
    const observer = new ResizeObserver(() => setWidth(container.current?.clientWidth ?? 0));
    observer.observe(container.current);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      created.remove();
      chart.current = null;
      candles.current = null;
      volume.current = null;
      trendLines.current = null;
      priceLines.current = [];
      lines.clear();
    };
  }, [checkWindow, timeToLogical]);

  // A new symbol or resolution mode: the whole history (auto) or the latest bars (exact).
  const modeKey = mode.kind === 'auto' ? 'auto' : mode.timeframe;
  useEffect(() => {
    if (!chart.current || width === 0) return;
    loaded.current = null;
    const request = initialRequest(latest.current.mode, chart.current.timeScale().width() || width);
    void fetchWindow(request).then((answer) => {
      if (!answer) return;
      const times = answer.candles.time;
      const asked = answer.truncated
        ? { from: times[0] ?? 0, to: latest.current.extent.last }
        : { from: 0, to: Number.MAX_SAFE_INTEGER };
      applyWindow(answer, asked, latest.current.mode.kind === 'auto' ? 'fit' : 'latest');
    });
    // Re-open only when the series, the mode or the extent (a re-import) changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [symbol, modeKey, extent.first, extent.last, width > 0]);

  useEffect(() => {
    candles.current?.priceScale().applyOptions({
      mode:
        scale === 'log'
          ? PriceScaleMode.Logarithmic
          : scale === 'percent'
            ? PriceScaleMode.Percentage
            : PriceScaleMode.Normal,
    });
  }, [scale]);

  // The indicator series, rebuilt when the choice changes: overlays on the price pane, RSI and MACD
  // each in a pane of its own below the volume.
  const indicatorKey = JSON.stringify(props.indicators ?? null);
  useEffect(() => {
    const created = chart.current;
    if (!created) return;
    for (const line of overlays.current.values()) created.removeSeries(line);
    overlays.current.clear();
    while (created.panes().length > 2) created.removePane(created.panes().length - 1);
    const settings = latest.current.indicators;
    let nextPane = 2;
    if (settings) {
      for (const name of enabledIndicators(settings)) {
        const pane = name === 'rsi' || name === 'macd' ? nextPane++ : 0;
        for (const style of indicatorLineStyles[name]) {
          const options = {
            color: style.color,
            lineWidth: 1 as const,
            lineStyle: style.dashed ? LineStyle.Dashed : LineStyle.Solid,
            priceLineVisible: false,
            lastValueVisible: pane !== 0,
            crosshairMarkerVisible: false,
            priceFormat:
              name === 'rsi'
                ? { type: 'price' as const, precision: 2, minMove: 0.01 }
                : {
                    type: 'custom' as const,
                    formatter: (price: number) => formatPrice(price, decimals.current),
                    minMove: 10 ** -decimals.current,
                  },
          };
          const line =
            style.id === 'macd-histogram'
              ? created.addSeries(HistogramSeries, options, pane)
              : created.addSeries(LineSeries, options, pane);
          if (name === 'rsi')
            for (const level of [70, 30])
              line.createPriceLine({
                price: level,
                color: '#475569',
                lineWidth: 1,
                axisLabelVisible: false,
                title: '',
              });
          overlays.current.set(style.id, line);
        }
        if (pane !== 0) created.panes()[pane]?.setHeight(100);
      }
    }
    if (container.current) container.current.dataset.panes = String(created.panes().length);
    drawIndicators(false);
  }, [indicatorKey, drawIndicators]);

  // The user's lines: horizontal ones as price lines, trend lines through the primitive.
  useEffect(() => {
    const series = candles.current;
    if (!series) return;
    for (const line of priceLines.current) series.removePriceLine(line);
    priceLines.current = drawings
      .filter((drawing) => drawing.kind === 'horizontal')
      .map((drawing) =>
        series.createPriceLine({
          price: drawing.price,
          color: drawing.color ?? '#f59e0b',
          lineWidth: 1,
          axisLabelVisible: true,
          title: '',
        }),
      );
    trendLines.current?.setLines(drawings.filter((drawing) => drawing.kind === 'trend'));
  }, [drawings, status.bars]);

  // Drawing: a click places a horizontal line, or the two ends of a trend line. Read from the DOM's
  // pointer events, not the chart's click callback, which folds two quick clicks into a double-click.
  useEffect(() => {
    const created = chart.current;
    const element = container.current;
    if (!created || !element || tool === 'none') {
      pendingPoint.current = null;
      return;
    }
    let down: { x: number; y: number } | null = null;
    const onDown = (event: PointerEvent) => {
      down = { x: event.clientX, y: event.clientY };
    };
    const onUp = (event: PointerEvent) => {
      const start = down;
      down = null;
      // A drag pans the chart; only a click places a point.
      if (!start || Math.hypot(event.clientX - start.x, event.clientY - start.y) > 4 || !candles.current)
        return;
      const rect = element.getBoundingClientRect();
      const x = event.clientX - rect.left;
      const y = event.clientY - rect.top;
      if (x > created.timeScale().width() || y > (created.panes()[0]?.getHeight() ?? rect.height)) return;
      const price = candles.current.coordinateToPrice(y);
      const logical = created.timeScale().coordinateToLogical(x);
      const time = logical === null ? null : logicalToTime(logical);
      if (price === null || time === null) return;
      const current = latest.current;
      const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      if (current.tool === 'horizontal') {
        current.onDrawingsChange([...current.drawings, { kind: 'horizontal', id, price: roundTo(price) }]);
        current.onToolDone();
        return;
      }
      const point = { time: Math.max(0, Math.round(time)), price: roundTo(price) };
      if (!pendingPoint.current) {
        pendingPoint.current = point;
        return;
      }
      current.onDrawingsChange([
        ...current.drawings,
        { kind: 'trend', id, from: pendingPoint.current, to: point },
      ]);
      pendingPoint.current = null;
      current.onToolDone();
    };
    element.addEventListener('pointerdown', onDown);
    element.addEventListener('pointerup', onUp);
    return () => {
      element.removeEventListener('pointerdown', onDown);
      element.removeEventListener('pointerup', onUp);
    };
  }, [tool, logicalToTime]);

  // A live bar: `update` touches one bar instead of handing the whole window over again.
  useEffect(() => {
    const bar = props.liveBar;
    const window = loaded.current;
    if (!bar || !window || !candles.current) return;
    const last = window.times.at(-1);
    if (last !== undefined && bar.time < last) return;
    const time = bar.time as UTCTimestamp;
    candles.current.update({ time, open: bar.open, high: bar.high, low: bar.low, close: bar.close });
    volume.current?.update({ time, value: bar.volume });
    const { times, closes } = series.current;
    if (times.at(-1) === bar.time) closes[closes.length - 1] = bar.close;
    else if (times.length === 0 || bar.time > times.at(-1)!) {
      times.push(bar.time);
      closes.push(bar.close);
    }
    drawIndicators(true);
  }, [props.liveBar, drawIndicators]);

  useImperativeHandle(
    ref,
    () => ({
      goToDate(time: number) {
        const span = (() => {
          const visible = visibleTimes();
          return visible ? visible.to - visible.from : 86_400 * 30;
        })();
        const target = { from: time - span / 2, to: time + span / 2 };
        const widthPx = chart.current?.timeScale().width() ?? 800;
        const request = {
          from: Math.max(0, Math.floor(target.from - span)),
          to: Math.ceil(target.to + span),
          maxBars: latest.current.mode.kind === 'auto' ? Math.round(3 * widthPx) : 20_000,
        };
        void fetchWindow(request).then((answer) => answer && applyWindow(answer, request, target));
      },
      snapshot(fileName: string) {
        const canvas = chart.current?.takeScreenshot();
        if (!canvas) return;
        downloadUrl(fileName, canvas.toDataURL('image/png'));
      },
    }),
    [applyWindow, fetchWindow, visibleTimes],
  );

  const shown = legend ?? lastBar(loaded.current?.columns);
  return (
    <div className="flex flex-col gap-2">
      <ChartLegend bar={shown} decimals={decimals.current} timeframe={status.timeframe} />
      <IndicatorLegend
        values={indicatorValues ?? lastIndicatorValues}
        settings={props.indicators}
        decimals={decimals.current}
      />
      {status.error && <p className="text-sm text-red-400">{status.error}</p>}
      <div
        ref={container}
        data-testid="chart"
        data-symbol={status.symbol}
        data-bars={status.bars}
        data-timeframe={status.timeframe ?? ''}
        data-price-decimals={decimals.current}
        data-drawings={drawings.length}
        data-tool={tool}
        data-indicators={props.indicators ? enabledIndicators(props.indicators).join(',') : ''}
        // Each indicator pane adds its own height rather than squeezing the candles.
        style={{
          height: height + 100 * ((props.indicators?.rsi.on ? 1 : 0) + (props.indicators?.macd.on ? 1 : 0)),
        }}
        className={`w-full overflow-hidden rounded-md border border-slate-800 ${tool === 'none' ? '' : 'cursor-crosshair'}`}
      />
    </div>
  );
});

function lastBar(columns: TypedCandleColumns | undefined): LegendBar | null {
  if (!columns || columns.time.length === 0) return null;
  const i = columns.time.length - 1;
  return {
    time: columns.time[i]!,
    open: columns.open[i]!,
    high: columns.high[i]!,
    low: columns.low[i]!,
    close: columns.close[i]!,
    volume: columns.volume[i]!,
  };
}

/** Drawn prices keep 8 significant digits: enough for any instrument, no float noise saved. */
function roundTo(price: number): number {
  return Number(price.toPrecision(8));
}
