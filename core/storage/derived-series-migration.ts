// Schema for derived timeframes (issue #13): a series either holds bars a user imported or
// downloaded (`derived_from` NULL) or bars resampled from another timeframe of the same symbol
// (`derived_from` names it), rebuilt whenever that source changes. The covering index lets the chart
// count a range's bars from chunk bounds alone: without it SQLite reads every chunk's blob (48 MB
// for a million bars, ~50 ms) to answer a count. Appended to the migrations list.
import type { Migration } from './migration.ts';

export const derivedSeriesMigration: Migration = {
  version: 6,
  name: 'derived timeframes',
  sql: `
    ALTER TABLE series ADD COLUMN derived_from TEXT;
    CREATE INDEX candle_chunk_bounds ON candle_chunks (series_id, bucket, count, first_time, last_time);
  `,
};
