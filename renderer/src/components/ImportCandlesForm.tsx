// Import a CSV into a symbol and timeframe. Choosing a file proposes both afresh (the symbol from
// its name, the timeframe from its first rows' spacing); the file then streams to the core, which
// checks every row and stores all of it or nothing. When the bars do not look like the series they
// would join, the core asks first and the question is shown here with a button to go ahead.
import { useRef, useState } from 'react';
import { timeframes, type Timeframe } from '../../../core/contract/calls.ts';
import { api, CallFailure, describeError } from '../api/client.ts';
import { Button, Field, Select, TextInput } from './form.tsx';
import { Notice } from './Notice.tsx';

/** Bytes of the file's start the core looks at to propose a timeframe. */
const headBytes = 256 * 1024;

type ImportSource = Awaited<ReturnType<typeof api.upload>>;

export function ImportCandlesForm({
  onImported,
}: {
  onImported(symbol: string, timeframe: Timeframe): void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [symbol, setSymbol] = useState('');
  const [timeframe, setTimeframe] = useState<Timeframe>('1d');
  const [detected, setDetected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [question, setQuestion] = useState<string | null>(null);
  // The uploaded file, kept while the core's question is open so "Import anyway" does not resend it.
  const source = useRef<ImportSource | null>(null);
  const chosen = useRef(0);
  // What the user typed or picked after choosing the file: the proposal, arriving later, keeps it.
  const edited = useRef({ symbol: false, timeframe: false });

  const choose = async (picked: File | null) => {
    const pick = ++chosen.current;
    edited.current = { symbol: false, timeframe: false };
    setFile(picked);
    source.current = null;
    setSymbol('');
    setTimeframe('1d');
    setDetected(null);
    setStatus(null);
    setError(null);
    setQuestion(null);
    if (!picked) return;
    try {
      const head = await picked.slice(0, headBytes).text();
      const proposal = await api.call('candles.inspect', { fileName: picked.name, head });
      if (pick !== chosen.current) return;
      if (!edited.current.symbol) setSymbol(proposal.symbol ?? '');
      if (proposal.timeframe && !edited.current.timeframe) setTimeframe(proposal.timeframe);
      setDetected(
        proposal.timeframe
          ? `Timeframe ${proposal.timeframe} detected from the spacing of the first ${proposal.rows.toLocaleString('en-US')} rows.`
          : 'The timeframe could not be detected from the first rows: choose it.',
      );
    } catch (caught) {
      if (pick === chosen.current) setError(describeError(caught));
    }
  };

  const submit = async (confirm: boolean) => {
    if (!file) return;
    setBusy(true);
    setStatus(null);
    setError(null);
    setQuestion(null);
    setProgress(null);
    const importId = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const stop = api.on('candles.import.progress', (event) => {
      if (event.importId === importId) setProgress(event.fraction);
    });
    try {
      source.current ??= await api.upload(file);
      const result = await api.call('candles.import', {
        ...source.current,
        symbol,
        timeframe,
        fileName: file.name,
        confirm,
        importId,
      });
      source.current = null;
      setStatus(
        `Imported ${result.rows.toLocaleString()} candles into ${result.symbol} ${result.timeframe} ` +
          `(${result.inserted.toLocaleString()} new, ${result.existing.toLocaleString()} replaced).`,
      );
      onImported(result.symbol, result.timeframe);
    } catch (caught) {
      if (caught instanceof CallFailure && caught.error.code === 'needs_confirmation') {
        setQuestion(caught.error.message);
      } else {
        source.current = null;
        setError(describeError(caught));
      }
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
        void submit(false);
      }}
    >
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <Field label="CSV file" hint="time, open, high, low, close, volume">
          <TextInput
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={(event) => void choose(event.target.files?.[0] ?? null)}
          />
        </Field>
        <Field label="Symbol">
          <TextInput
            value={symbol}
            data-testid="import-symbol"
            placeholder="e.g. GOOG or BTC/USDT"
            onChange={(event) => {
              edited.current.symbol = true;
              setSymbol(event.target.value);
              setQuestion(null);
            }}
          />
        </Field>
        <Field label="Timeframe">
          <Select
            value={timeframe}
            data-testid="import-timeframe"
            onChange={(event) => {
              edited.current.timeframe = true;
              setTimeframe(event.target.value as Timeframe);
              setQuestion(null);
            }}
          >
            {timeframes.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {detected && (
        <p className="text-xs text-slate-400" data-testid="import-detected">
          {detected}
        </p>
      )}
      <div>
        <Button type="submit" disabled={!file || !symbol.trim() || busy} data-testid="import-submit">
          {busy
            ? progress === null
              ? 'Importing…'
              : `Importing… ${Math.floor(progress * 100)} %`
            : 'Import'}
        </Button>
      </div>
      {question && (
        <Notice tone="warning" testId="import-question">
          <p>{question}</p>
          <div className="mt-2 flex gap-2">
            <Button
              type="button"
              tone="danger"
              data-testid="import-confirm"
              onClick={() => void submit(true)}
            >
              Import anyway
            </Button>
            <Button
              type="button"
              tone="secondary"
              data-testid="import-cancel"
              onClick={() => {
                setQuestion(null);
                setStatus('Nothing was imported.');
              }}
            >
              Cancel
            </Button>
          </div>
        </Notice>
      )}
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
