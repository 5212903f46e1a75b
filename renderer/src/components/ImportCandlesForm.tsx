// Import a CSV into a symbol and timeframe. The core checks every row and either stores all of it
// or nothing; its refusal (line and field) is shown as it is.
import { useState } from 'react';
import { timeframes, type Timeframe } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Button, Field, Select, TextInput } from './form.tsx';
import { Notice } from './Notice.tsx';

/** "GOOG.csv" → "GOOG": a sensible default the user can change. */
function symbolFromFileName(name: string): string {
  return name
    .replace(/\.[^.]+$/, '')
    .replace(/[^A-Za-z0-9._/:-]/g, '')
    .toUpperCase()
    .slice(0, 40);
}

export function ImportCandlesForm({
  onImported,
}: {
  onImported(symbol: string, timeframe: Timeframe): void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [symbol, setSymbol] = useState('');
  const [timeframe, setTimeframe] = useState<Timeframe>('1d');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setStatus(null);
    setError(null);
    try {
      const csv = await file.text();
      const result = await api.call('candles.import', { symbol, timeframe, csv, fileName: file.name });
      setStatus(
        `Imported ${result.rows.toLocaleString()} candles into ${result.symbol} ${result.timeframe} ` +
          `(${result.inserted.toLocaleString()} new, ${result.existing.toLocaleString()} replaced).`,
      );
      onImported(result.symbol, result.timeframe);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Field label="CSV file" hint="time, open, high, low, close, volume">
          <TextInput
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={(event) => {
              const chosen = event.target.files?.[0] ?? null;
              setFile(chosen);
              if (chosen && !symbol) setSymbol(symbolFromFileName(chosen.name));
            }}
          />
        </Field>
        <Field label="Symbol">
          <TextInput
            value={symbol}
            data-testid="import-symbol"
            placeholder="e.g. GOOG or BTC/USDT"
            onChange={(event) => setSymbol(event.target.value)}
          />
        </Field>
        <Field label="Timeframe">
          <Select
            value={timeframe}
            data-testid="import-timeframe"
            onChange={(event) => setTimeframe(event.target.value as Timeframe)}
          >
            {timeframes.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={!file || !symbol.trim() || busy} data-testid="import-submit">
          {busy ? 'Importing…' : 'Import'}
        </Button>
      </div>
      {status && (
        <Notice tone="success" testId="import-status">
          {status}
        </Notice>
      )}
      {error && (
        <Notice tone="error" testId="import-error">
          {error}
        </Notice>
      )}
    </form>
  );
}
