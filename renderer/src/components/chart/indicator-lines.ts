// Which lines each chart indicator draws, their colours and labels, and their values for a series of
// closes. MarketChart turns each line into a lightweight-charts series; the legend reads the labels.
import { bollinger, ema, macd, rsi, sma, type IndicatorSettings } from './indicators.ts';

export type IndicatorLineId =
  'sma' | 'ema' | 'bb-upper' | 'bb-middle' | 'bb-lower' | 'rsi' | 'macd' | 'macd-signal' | 'macd-histogram';

export interface IndicatorLineStyle {
  id: IndicatorLineId;
  color: string;
  dashed?: boolean;
}

export const indicatorLineStyles: Record<keyof IndicatorSettings, IndicatorLineStyle[]> = {
  sma: [{ id: 'sma', color: '#f59e0b' }],
  ema: [{ id: 'ema', color: '#a855f7' }],
  bollinger: [
    { id: 'bb-upper', color: '#38bdf8' },
    { id: 'bb-middle', color: '#38bdf8', dashed: true },
    { id: 'bb-lower', color: '#38bdf8' },
  ],
  rsi: [{ id: 'rsi', color: '#eab308' }],
  macd: [
    { id: 'macd-histogram', color: '#64748b' },
    { id: 'macd', color: '#38bdf8' },
    { id: 'macd-signal', color: '#f97316' },
  ],
};

export function indicatorLineLabel(id: IndicatorLineId, settings: IndicatorSettings): string {
  switch (id) {
    case 'sma':
      return `SMA ${settings.sma.period}`;
    case 'ema':
      return `EMA ${settings.ema.period}`;
    case 'bb-upper':
      return `BB ${settings.bollinger.period},${settings.bollinger.k} up`;
    case 'bb-middle':
      return 'mid';
    case 'bb-lower':
      return 'low';
    case 'rsi':
      return `RSI ${settings.rsi.period}`;
    case 'macd':
      return `MACD ${settings.macd.fast},${settings.macd.slow},${settings.macd.signal}`;
    case 'macd-signal':
      return 'signal';
    case 'macd-histogram':
      return 'hist';
  }
}

/** Every enabled indicator's lines over the closes, in drawing order. */
export function computeIndicatorLines(
  closes: ArrayLike<number>,
  settings: IndicatorSettings,
): Map<IndicatorLineId, Float64Array> {
  const lines = new Map<IndicatorLineId, Float64Array>();
  if (settings.sma.on) lines.set('sma', sma(closes, settings.sma.period));
  if (settings.ema.on) lines.set('ema', ema(closes, settings.ema.period));
  if (settings.bollinger.on) {
    const bands = bollinger(closes, settings.bollinger.period, settings.bollinger.k);
    lines.set('bb-upper', bands.upper).set('bb-middle', bands.middle).set('bb-lower', bands.lower);
  }
  if (settings.rsi.on) lines.set('rsi', rsi(closes, settings.rsi.period));
  if (settings.macd.on) {
    const m = macd(closes, settings.macd.fast, settings.macd.slow, settings.macd.signal);
    lines.set('macd-histogram', m.histogram).set('macd', m.macd).set('macd-signal', m.signal);
  }
  return lines;
}
