// Schema for derived timeframes (issue #13): a series either holds bars a user imported or
// downloaded (`derived_from` NULL) or bars resampled from another timeframe of the same symbol
// (`derived_from` names it), rebuilt whenever that source changes. Appended to the migrations list.
import type { Migration } from './migration.ts';

export const derivedSeriesMigration: Migration = {
  version: 4,
  name: 'derived timeframes',
  sql: `ALTER TABLE series ADD COLUMN derived_from TEXT;`,
};
