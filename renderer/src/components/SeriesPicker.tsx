import type { SeriesMeta } from '../../../core/contract/calls.ts';
import { seriesKey } from '../stores/series-store.ts';
import { Field, Select } from './form.tsx';

export function SeriesPicker({
  series,
  value,
  onChange,
  testId = 'series-select',
}: {
  series: SeriesMeta[];
  value: string;
  onChange(key: string): void;
  testId?: string;
}) {
  return (
    <Field label="Series">
      <Select value={value} data-testid={testId} onChange={(event) => onChange(event.target.value)}>
        {series.length === 0 && <option value="">No candles stored yet</option>}
        {series.map((meta) => (
          <option key={seriesKey(meta)} value={seriesKey(meta)}>
            {meta.symbol} · {meta.timeframe} · {meta.count.toLocaleString()} bars
          </option>
        ))}
      </Select>
    </Field>
  );
}
