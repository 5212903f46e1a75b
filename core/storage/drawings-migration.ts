// Schema for the lines a user draws on a chart (issue #13): one JSON list per symbol, so a trend
// line drawn on the 1-minute view is there on the daily view too. Appended to the migrations list.
import type { Migration } from './migration.ts';

export const drawingsMigration: Migration = {
  version: 7,
  name: 'chart drawings',
  sql: `
    CREATE TABLE chart_drawings (
      symbol     TEXT PRIMARY KEY,
      drawings   TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
  `,
};
