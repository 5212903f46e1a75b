// One import, fed line by line: every row is checked as it arrives, bars go to a hidden staging
// series in batches (short transactions, bounded memory), and finish() moves them into the real
// series in one transaction — all rows or none, whatever the file's size. Before the first bar is
// written, a sample of the file is compared with the series it joins (series-compatibility.ts).
import type { Timeframe } from '../domain/timeframe.ts';
import { allocateCandleColumns, type CandleColumns } from '../storage/candle-columns.ts';
import type { CandleRepository } from '../storage/candle-repository.ts';
import { CsvCandleReader, CsvRejected } from './csv-candles.ts';
import { compareWithSeries, needsConfirmation, sampleBars } from './series-compatibility.ts';

export interface ImportTarget {
  symbol: string;
  timeframe: Timeframe;
  /** The user saw what differs and wants the import anyway. */
  confirm?: boolean | undefined;
  fileName?: string | undefined;
}

export interface CandleImportResult {
  symbol: string;
  timeframe: Timeframe;
  rows: number;
  inserted: number;
  existing: number;
  first: number;
  last: number;
}

/** Rows parsed before they go to the staging series: 64k rows × 48 B ≈ 3 MB of columns. */
const batchRows = 65_536;
/** Rows of the file compared with the stored series before anything is written. */
const sampleRows = 4096;

export class CandleImporter {
  readonly #repository: CandleRepository;
  readonly #target: ImportTarget;
  readonly #batch: CandleColumns = allocateCandleColumns(batchRows);
  #reader: CsvCandleReader | null = null;
  #line = 0;
  #batchLength = 0;
  #rows = 0;
  #first = 0;
  #last = 0;
  #checked = false;
  #stagingId: number | null = null;

  constructor(repository: CandleRepository, target: ImportTarget) {
    this.#repository = repository;
    this.#target = target;
  }

  get rows(): number {
    return this.#rows;
  }

  /** One line of the file, without its line end; the first is the header. */
  addLine(text: string): void {
    this.#line++;
    if (this.#reader === null) {
      this.#reader = new CsvCandleReader(text);
      return;
    }
    if (!this.#reader.readRow(text, this.#line, this.#batch, this.#batchLength)) return;
    const time = this.#batch.time[this.#batchLength]!;
    if (this.#rows === 0) this.#first = time;
    this.#last = time;
    this.#rows++;
    this.#batchLength++;
    if (this.#batchLength === batchRows) this.#flush();
  }

  /** Commits every bar into the series (one transaction) and says what changed. */
  finish(): CandleImportResult {
    if (this.#reader === null)
      throw new CsvRejected('The file is empty: there is no header line.', null, 'file');
    if (this.#rows === 0) throw new CsvRejected('The file has a header but no candles.', null, 'file');
    this.#flush();
    const { symbol, timeframe } = this.#target;
    const inserted = this.#repository.commitStaging(this.#stagingId!, symbol, timeframe);
    this.#stagingId = null;
    return {
      symbol,
      timeframe,
      rows: this.#rows,
      inserted,
      existing: this.#rows - inserted,
      first: this.#first,
      last: this.#last,
    };
  }

  /** Throws away whatever was staged (a refused row, a cancelled import). */
  abort(): void {
    if (this.#stagingId !== null) this.#repository.dropStaging(this.#stagingId);
    this.#stagingId = null;
  }

  #flush(): void {
    if (this.#batchLength === 0) return;
    if (!this.#checked) this.#checkAgainstSeries();
    this.#stagingId ??= this.#repository.createStaging(this.#target.timeframe);
    this.#repository.stage(this.#stagingId, this.#target.timeframe, this.#batch, this.#batchLength);
    this.#batchLength = 0;
  }

  #checkAgainstSeries(): void {
    this.#checked = true;
    if (this.#target.confirm) return;
    const { symbol, timeframe, fileName } = this.#target;
    const length = Math.min(this.#batchLength, sampleRows);
    const file = sampleBars(this.#batch.time, this.#batch.close, length);
    const near = this.#repository.sampleNear(symbol, timeframe, this.#first);
    const stored = near ? sampleBars(near.time, near.close) : null;
    const differences = compareWithSeries(file, timeframe, stored);
    if (differences.length > 0)
      throw needsConfirmation({ symbol, timeframe, exists: near !== null, fileName }, differences);
  }
}

/** Imports a whole CSV held in a string (small files, tests): the same checks as a streamed import. */
export function importCsvText(
  repository: CandleRepository,
  target: ImportTarget,
  csv: string,
): CandleImportResult {
  const importer = new CandleImporter(repository, target);
  try {
    for (const line of csv.split(/\r?\n/)) importer.addLine(line);
    return importer.finish();
  } catch (error) {
    importer.abort();
    throw error;
  }
}
