// Which clock judged each risk event (issue #12, bots): 'wall' for the account's governor, 'bars'
// for a paper bot's breakers judged on its replay's bar times. A replay's bars carry historical
// times, so a trip made there is scoped to that bot and its times are market times, not now: the
// app must never restore such a trip against the wall clock (it would look long expired).
// Imports only the Migration type (migration.ts): no migration file imports another.
import type { Migration } from './migration.ts';

export const riskClockMigration: Migration = {
  version: 15,
  name: 'risk event clock',
  sql: `
    ALTER TABLE risk_events ADD COLUMN clock TEXT NOT NULL DEFAULT 'wall' CHECK (clock IN ('wall', 'bars'));
  `,
};
