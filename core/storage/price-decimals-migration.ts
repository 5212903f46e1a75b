// Schema for price decimals per series (issue #11): how many decimals the series' prices carry
// (EURUSD 5, BTCUSD and shares 2), detected from the bars as they are stored, so every list,
// chart and result shows prices at the instrument's precision without rereading the bars. NULL
// for series stored before this version: the repository detects them on first use and fills it in.
// Appended to the migrations list.
import type { Migration } from './migration.ts';

export const priceDecimalsMigration: Migration = {
  version: 9,
  name: 'price decimals per series',
  sql: `ALTER TABLE series ADD COLUMN price_decimals INTEGER CHECK (price_decimals BETWEEN 0 AND 12);`,
};
