// candles.* calls. An import of more than a small inline CSV runs as a worker job that streams the
// file (an upload, a local path, or the inline text written to an upload first), so the host keeps
// answering every other call while it runs; its progress goes out as candles.import.progress.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CallInput } from '../contract/calls.ts';
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../contract/errors.ts';
import { importCsvText, type CandleImportResult, type ImportTarget } from '../data/candle-importer.ts';
import { CsvCandleReader } from '../data/csv-candles.ts';
import { detectTimeframe, medianSpacing } from '../data/detect-timeframe.ts';
import type { ImportCandlesJobInput } from '../data/import-candles-job.ts';
import { symbolFromFileName } from '../data/symbol-from-file-name.ts';
import type { UploadStore } from '../data/upload-store.ts';
import type { RunQueue } from '../jobs/run-queue.ts';
import { runWorkerJob } from '../jobs/worker-job.ts';
import { allocateCandleColumns } from '../storage/candle-columns.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import type { CoreEvents } from './events.ts';

type CandleHandlers = Pick<Handlers, 'candles.import' | 'candles.inspect' | 'candles.remove'>;

/** Inline CSVs up to this size are imported on the host's thread (a few ms); larger ones in a worker. */
export const inlineImportBytes = 1_000_000;

export function candleHandlers(deps: {
  candles: CandleRepository;
  uploads: UploadStore;
  events: CoreEvents;
  databaseFile: string;
  /** The host's one queue of heavy runs: an import in a worker waits for a slot like a backtest. */
  queue: RunQueue;
  /** Only the desktop app and the CLI take `path`: a remote client must not name files on the server. */
  allowPaths: boolean;
}): CandleHandlers {
  const { candles, uploads, events } = deps;

  const importInWorker = async (file: string, target: ImportTarget, importId: string | null) => {
    const input: ImportCandlesJobInput = { databaseFile: deps.databaseFile, file, ...target };
    return deps.queue.run({ id: importId ?? undefined, kind: 'import' }, () =>
      runWorkerJob<CandleImportResult>('import-candles', input, {
        onProgress: (fraction) =>
          events.emit('candles.import.progress', {
            importId,
            symbol: target.symbol,
            timeframe: target.timeframe,
            fraction: Math.min(1, Math.max(0, fraction)),
          }),
      }),
    );
  };

  const importFile = async (
    input: CallInput<'candles.import'> & { confirm: boolean },
    target: ImportTarget,
  ) => {
    const importId = input.importId ?? null;
    if (input.path !== undefined) {
      if (!deps.allowPaths) {
        throw new AutobotError(
          'invalid_input',
          'path: this host takes files as uploads (POST /api/upload), not paths',
          {
            issues: [{ path: 'path', message: 'this host takes files as uploads, not paths' }],
          },
        );
      }
      const file = path.resolve(input.path);
      if (!existsSync(file))
        throw new AutobotError('not_found', `path: there is no file ${file}`, {
          issues: [{ path: 'path', message: `there is no file ${file}` }],
        });
      return importInWorker(file, { ...target, fileName: target.fileName ?? path.basename(file) }, importId);
    }
    // An upload is kept after needs_confirmation, so the confirmed call reuses it; else it goes.
    const upload = input.upload ?? (await uploads.fromText(input.csv!)).upload;
    const keepOnConfirmation = input.upload !== undefined;
    let keep = false;
    try {
      return await importInWorker(uploads.pathOf(upload), target, importId);
    } catch (error) {
      keep = keepOnConfirmation && error instanceof AutobotError && error.code === 'needs_confirmation';
      throw error;
    } finally {
      if (!keep) await uploads.remove(upload);
    }
  };

  return {
    'candles.import': async (input) => {
      const target: ImportTarget = {
        symbol: input.symbol,
        timeframe: input.timeframe,
        confirm: input.confirm,
        fileName: input.fileName,
      };
      const result =
        input.csv !== undefined && input.csv.length <= inlineImportBytes
          ? importCsvText(candles, target, input.csv)
          : await importFile(input, target);
      events.emit('candles.changed', { symbol: result.symbol, timeframe: result.timeframe });
      return result;
    },
    'candles.inspect': (input) => inspectHead(input.fileName, input.head),
    'candles.remove': (input) => {
      const bars = candles.remove(input.symbol, input.timeframe);
      if (bars > 0) events.emit('candles.changed', { symbol: input.symbol, timeframe: input.timeframe });
      return { removed: bars > 0, bars };
    },
  };
}

/** The symbol from the file's name and the timeframe from its first rows; a bad row ends the sample. */
export function inspectHead(fileName: string, head: string) {
  const lines = head.split(/\r?\n/);
  // The head is the file's first bytes: its last line may be cut in the middle.
  if (lines.length > 2 && !head.endsWith('\n')) lines.pop();
  const sample = allocateCandleColumns(Math.max(0, lines.length - 1));
  let rows = 0;
  try {
    const reader = new CsvCandleReader(lines[0] ?? '');
    for (let i = 1; i < lines.length; i++) if (reader.readRow(lines[i]!, i + 1, sample, rows)) rows++;
  } catch {
    // The import itself names the bad line; a proposal uses the rows before it.
  }
  return {
    symbol: symbolFromFileName(fileName),
    timeframe: detectTimeframe(sample.time, rows),
    spacingSeconds: medianSpacing(sample.time, rows),
    rows,
  };
}
