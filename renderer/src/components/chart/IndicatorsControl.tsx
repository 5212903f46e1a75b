// The Chart page's "Indicators" panel: switch SMA, EMA and Bollinger overlays and the RSI and MACD
// panes on and off and set their periods. The choice lives for the session (module state), so going
// to another page and back keeps it, while a restart starts clean.
import { useState } from 'react';
import { TextInput } from '../form.tsx';
import { defaultIndicators, type IndicatorSettings } from './indicators.ts';

let sessionChoice: IndicatorSettings = defaultIndicators;

/** The session's indicator choice, remembered across visits to the Chart page. */
export function useSessionIndicators(): [IndicatorSettings, (next: IndicatorSettings) => void] {
  const [settings, setSettings] = useState(sessionChoice);
  return [
    settings,
    (next) => {
      sessionChoice = next;
      setSettings(next);
    },
  ];
}

type Name = keyof IndicatorSettings;

const titles: Record<Name, string> = {
  sma: 'SMA',
  ema: 'EMA',
  bollinger: 'Bollinger',
  rsi: 'RSI',
  macd: 'MACD',
};

/** Each indicator's numeric parameters with their bounds (RSI needs 2 changes at least). */
const parameters: { [N in Name]: { key: string; label: string; min: number; max: number; step?: number }[] } =
  {
    sma: [{ key: 'period', label: 'period', min: 1, max: 500 }],
    ema: [{ key: 'period', label: 'period', min: 1, max: 500 }],
    bollinger: [
      { key: 'period', label: 'period', min: 1, max: 500 },
      { key: 'k', label: 'k σ', min: 0, max: 10, step: 0.5 },
    ],
    rsi: [{ key: 'period', label: 'period', min: 2, max: 500 }],
    macd: [
      { key: 'fast', label: 'fast', min: 1, max: 500 },
      { key: 'slow', label: 'slow', min: 1, max: 500 },
      { key: 'signal', label: 'signal', min: 1, max: 500 },
    ],
  };

export function IndicatorsControl({
  settings,
  onChange,
}: {
  settings: IndicatorSettings;
  onChange(next: IndicatorSettings): void;
}) {
  const set = (name: Name, patch: Record<string, number | boolean>) =>
    onChange({ ...settings, [name]: { ...settings[name], ...patch } });
  return (
    <div className="flex flex-wrap gap-x-5 gap-y-2 text-sm text-slate-300" data-testid="indicators-panel">
      {(Object.keys(titles) as Name[]).map((name) => (
        <div key={name} className="flex items-center gap-2">
          <label className="flex items-center gap-1.5">
            <input
              type="checkbox"
              checked={settings[name].on}
              data-testid={`indicator-${name}`}
              onChange={(event) => set(name, { on: event.target.checked })}
            />
            {titles[name]}
          </label>
          {parameters[name].map((parameter) => (
            <label key={parameter.key} className="flex items-center gap-1 text-xs text-slate-500">
              {parameter.label}
              <TextInput
                type="number"
                className="!w-16 !py-0.5"
                min={parameter.min}
                max={parameter.max}
                step={parameter.step ?? 1}
                value={(settings[name] as unknown as Record<string, number>)[parameter.key]}
                data-testid={`indicator-${name}-${parameter.key}`}
                onChange={(event) => {
                  // Only a value inside the bounds is taken: an emptied field while typing keeps the
                  // last good value drawn rather than throwing the chart into an invalid state.
                  const value = Number(event.target.value);
                  const whole = parameter.step === undefined ? Number.isInteger(value) : true;
                  if (event.target.value !== '' && whole && value >= parameter.min && value <= parameter.max)
                    set(name, { [parameter.key]: value });
                }}
              />
            </label>
          ))}
        </div>
      ))}
    </div>
  );
}
