// Download candles from a crypto exchange into a stored series (candles.download), with the same
// progress-on-the-button as the CSV import. The core pages through the exchange and a second run
// continues where an interrupted one stopped, so "Download" again is always safe.
import { useState } from 'react';
import { timeframes, type Timeframe } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Button, Field, Select, TextInput } from './form.tsx';
import { Notice } from './Notice.tsx';

/** A yyyy-mm-dd date input as epoch seconds at 00:00 UTC; undefined when empty or unreadable. */
function dayToEpoch(day: string): number | undefined {
  const time = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(time) ? time / 1000 : undefined;
}

export function DownloadCandlesForm({ onDownloaded }: { onDownloaded(series: string): void }) {
  const [exchange, setExchange] = useState('binance');
  const [symbol, setSymbol] = useState('BTC/USDT');
  const [timeframe, setTimeframe] = useState<Timeframe>('1h');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [apiUrl, setApiUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    const sinceEpoch = dayToEpoch(since);
    if (sinceEpoch === undefined) {
      setError('Since: choose the first day to download.');
      return;
    }
    const untilEpoch = dayToEpoch(until);
    setBusy(true);
    setStatus(null);
    setError(null);
    setProgress(null);
    const downloadId = `dl-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const stop = api.on('candles.download.progress', (event) => {
      if (event.downloadId === downloadId) setProgress(event.fraction);
    });
    try {
      const result = await api.call('candles.download', {
        exchange: exchange.trim(),
        symbol: symbol.trim(),
        timeframe,
        since: sinceEpoch,
        ...(untilEpoch !== undefined ? { until: untilEpoch } : {}),
        ...(apiUrl.trim() ? { apiUrl: apiUrl.trim() } : {}),
        downloadId,
      });
      setStatus(
        `Downloaded ${result.series} ${result.timeframe}: ${result.bars.toLocaleString('en-US')} bars ` +
          `(${result.inserted.toLocaleString('en-US')} new, ${result.pages.toLocaleString('en-US')} pages).`,
      );
      onDownloaded(result.series);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      stop();
      setBusy(false);
      setProgress(null);
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
        <Field label="Exchange" hint="a ccxt id: binance, kraken…">
          <TextInput
            value={exchange}
            data-testid="download-exchange"
            onChange={(event) => setExchange(event.target.value)}
          />
        </Field>
        <Field label="Symbol">
          <TextInput
            value={symbol}
            placeholder="e.g. BTC/USDT"
            data-testid="download-symbol"
            onChange={(event) => setSymbol(event.target.value)}
          />
        </Field>
        <Field label="Timeframe">
          <Select
            value={timeframe}
            data-testid="download-timeframe"
            onChange={(event) => setTimeframe(event.target.value as Timeframe)}
          >
            {timeframes.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Since (UTC)">
          <TextInput
            type="date"
            value={since}
            data-testid="download-since"
            onChange={(event) => setSince(event.target.value)}
          />
        </Field>
        <Field label="Until (optional)" hint="empty: up to now">
          <TextInput
            type="date"
            value={until}
            data-testid="download-until"
            onChange={(event) => setUntil(event.target.value)}
          />
        </Field>
        <Field label="API URL (optional)" hint="a self-hosted mirror or a local simulator">
          <TextInput
            value={apiUrl}
            data-testid="download-api-url"
            onChange={(event) => setApiUrl(event.target.value)}
          />
        </Field>
      </div>
      <div>
        <Button
          type="submit"
          disabled={busy || !exchange.trim() || !symbol.trim() || !since}
          data-testid="download-submit"
        >
          {busy
            ? progress === null
              ? 'Downloading…'
              : `Downloading… ${Math.floor(progress * 100)} %`
            : 'Download'}
        </Button>
      </div>
      {status && (
        <Notice tone="success" testId="download-status">
          {status}
        </Notice>
      )}
      {error && (
        <Notice tone="error" testId="download-error">
          {error}
        </Notice>
      )}
    </form>
  );
}
