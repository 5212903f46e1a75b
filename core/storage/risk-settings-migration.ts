// Schema of the account's circuit-breaker settings (issue #12, the Risk page): one row holding the
// validated settings as JSON (core/risk/breaker-settings.ts fills in defaults and checks them on
// the way in and on the way out, so a row written by an older version still loads). One row, not
// history: the trips and re-arms are the history (risk_events). Imports only the Migration type.
import type { Migration } from './migration.ts';

export const riskSettingsMigration: Migration = {
  version: 11,
  name: 'risk settings',
  sql: `
    CREATE TABLE risk_settings (
      id          INTEGER PRIMARY KEY CHECK (id = 1),
      settings    TEXT    NOT NULL,
      updated_at  INTEGER NOT NULL
    );
  `,
};
