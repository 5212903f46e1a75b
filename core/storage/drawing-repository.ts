// The lines drawn on each symbol's chart, replaced as a whole on every save: a user edits a
// handful of lines, and one row per symbol keeps a save atomic.
import type { Drawing } from '../domain/drawings.ts';
import type { Database } from './database.ts';

export class DrawingRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  get(symbol: string): Drawing[] {
    const row = this.#db
      .prepare('SELECT drawings FROM chart_drawings WHERE symbol = ?')
      .pluck()
      .get(symbol) as string | undefined;
    return row ? (JSON.parse(row) as Drawing[]) : [];
  }

  save(symbol: string, drawings: readonly Drawing[]): void {
    if (drawings.length === 0) {
      this.#db.prepare('DELETE FROM chart_drawings WHERE symbol = ?').run(symbol);
      return;
    }
    this.#db
      .prepare(
        `INSERT INTO chart_drawings (symbol, drawings, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (symbol) DO UPDATE SET drawings = excluded.drawings, updated_at = excluded.updated_at`,
      )
      .run(symbol, JSON.stringify(drawings), new Date().toISOString());
  }
}
