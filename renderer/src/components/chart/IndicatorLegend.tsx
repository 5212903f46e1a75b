// The enabled indicators' values at the bar under the crosshair (the last bar otherwise), beside the
// OHLCV legend. RSI reads in points (2 decimals); the rest are prices, at the instrument's decimals.
import type { IndicatorSettings } from './indicators.ts';
import { indicatorLineLabel, type IndicatorLineId } from './indicator-lines.ts';
import { formatPrice } from './price-format.ts';

export interface IndicatorValue {
  id: IndicatorLineId;
  value: number;
}

export function IndicatorLegend({
  values,
  settings,
  decimals,
}: {
  values: IndicatorValue[];
  settings: IndicatorSettings | null | undefined;
  decimals: number;
}) {
  if (values.length === 0 || !settings) return null;
  return (
    <div
      className="flex min-h-4 flex-wrap gap-x-3 text-xs tabular-nums text-slate-300"
      data-testid="indicator-legend"
    >
      {values.map(({ id, value }) => (
        <span key={id} className="whitespace-nowrap">
          <span className="text-slate-500">{indicatorLineLabel(id, settings)}</span>{' '}
          <span data-testid={`legend-${id}`}>
            {Number.isNaN(value)
              ? '–'
              : id === 'rsi'
                ? value.toFixed(2)
                : formatPrice(value, decimals + (id.startsWith('macd') ? 2 : 0))}
          </span>
        </span>
      ))}
    </div>
  );
}
