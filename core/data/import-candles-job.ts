// A CSV import as a worker job: the file is read in 1 MiB pieces and fed line by line to a
// CandleImporter on the job's own SQLite connection (WAL lets the host keep reading and writing),
// so neither the host's event loop nor its memory feels the file's size.
import { createReadStream, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Timeframe } from '../domain/timeframe.ts';
import type { JobContext } from '../jobs/job-protocol.ts';
import { CandleRepository } from '../storage/candle-repository.ts';
import { openDatabase } from '../storage/database.ts';
import { CandleImporter, type CandleImportResult } from './candle-importer.ts';

export interface ImportCandlesJobInput {
  databaseFile: string;
  file: string;
  symbol: string;
  timeframe: Timeframe;
  confirm?: boolean | undefined;
  fileName?: string | undefined;
}

export async function run(input: ImportCandlesJobInput, context: JobContext): Promise<CandleImportResult> {
  const db = openDatabase(input.databaseFile);
  const importer = new CandleImporter(new CandleRepository(db), input);
  try {
    await feedLines(input.file, (line) => importer.addLine(line), context);
    return importer.finish();
  } catch (error) {
    importer.abort();
    throw error;
  } finally {
    db.close();
  }
}

/** Calls `onLine` for every line of the file (line ends stripped), reporting the bytes read. */
export async function feedLines(
  file: string,
  onLine: (line: string) => void,
  context: JobContext,
): Promise<void> {
  const size = statSync(file).size;
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let read = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    if (context.signal.aborted) throw new Error('cancelled');
    read += chunk.length;
    const text = rest + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      onLine(text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end));
      start = end + 1;
    }
    rest = text.slice(start);
    context.progress(size === 0 ? 1 : read / size);
  }
  rest += decoder.end();
  onLine(rest.endsWith('\r') ? rest.slice(0, -1) : rest);
}
