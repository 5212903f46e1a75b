// Which bars the chart should hold for what the user is looking at. The chart keeps one window of
// bars (about three screens wide around the visible range) at one timeframe; when the user scrolls
// past it, or zooms so that the bars on screen are far denser or sparser than the pixels can show,
// it asks the core for a new window. In auto mode the core picks the timeframe (the finest whose
// bars in the window fit `maxBars`); in exact mode the timeframe stays the one the user chose.
import type { Timeframe } from '../../../../core/contract/calls.ts';

export type ResolutionMode = { kind: 'auto' } | { kind: 'exact'; timeframe: Timeframe };

export interface LoadedWindow {
  timeframe: Timeframe;
  /** The time range that was asked for: every stored bar in it is loaded. */
  from: number;
  to: number;
  times: Float64Array;
}

export interface VisibleRange {
  from: number;
  to: number;
  widthPx: number;
}

export interface WindowRequest {
  from: number;
  to: number;
  maxBars: number;
}

/** The timeframes stored for the symbol, finest first, and the span its bars cover. */
export interface SeriesExtent {
  timeframes: readonly Timeframe[];
  first: number;
  last: number;
}

/** At most this many bars per pixel before auto mode moves to a coarser timeframe. */
const densest = 1.5;
/** At least this many pixels per bar before auto mode moves back to a finer timeframe. */
const sparsest = 10;
const exactMaxBars = 20_000;

export function barsWithin(times: Float64Array, from: number, to: number): number {
  return lowerBound(times, to + 1) - lowerBound(times, from);
}

/**
 * The window a chart `widthPx` wide asks for first: in auto mode the whole history at the finest
 * timeframe that puts at most one bar on each pixel; in exact mode the latest three screens of bars
 * (scrolling back fetches more).
 */
export function initialRequest(mode: ResolutionMode, widthPx: number): Omit<WindowRequest, 'from' | 'to'> {
  return { maxBars: mode.kind === 'auto' ? Math.max(100, Math.round(widthPx)) : maxBarsFor(widthPx) };
}

/** A new window to ask for, or null when the loaded one serves the visible range. */
export function nextRequest(
  mode: ResolutionMode,
  loaded: LoadedWindow,
  visible: VisibleRange,
  extent: SeriesExtent,
): WindowRequest | null {
  const span = Math.max(visible.to - visible.from, 1);
  const request = {
    from: Math.max(0, Math.floor(visible.from - span)),
    to: Math.ceil(visible.to + span),
    maxBars: mode.kind === 'auto' ? maxBarsFor(visible.widthPx) : exactMaxBars,
  };
  const pastStart = visible.from < loaded.from && loaded.from > extent.first;
  const pastEnd = visible.to > loaded.to && loaded.to < extent.last;
  if (pastStart || pastEnd) return request;
  if (mode.kind === 'exact') return null;

  const onScreen = barsWithin(loaded.times, visible.from, visible.to);
  const finest = extent.timeframes[0];
  const coarsest = extent.timeframes.at(-1);
  const tooDense = onScreen > visible.widthPx * densest && loaded.timeframe !== coarsest;
  const tooSparse = onScreen * sparsest < visible.widthPx && loaded.timeframe !== finest;
  return tooDense || tooSparse ? request : null;
}

function maxBarsFor(widthPx: number): number {
  return Math.min(20_000, Math.max(300, Math.round(3 * widthPx)));
}

function lowerBound(times: Float64Array, value: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
