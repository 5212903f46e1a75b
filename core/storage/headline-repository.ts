// Stored headlines per symbol, with their scores: what sentiment series and the Sentiment page read.
import type { Database } from './database.ts';

export interface StoredHeadline {
  symbol: string;
  /** Epoch seconds. */
  publishedAt: number;
  title: string;
  source: string;
  url: string | null;
  origin: 'newsapi' | 'import';
  score: number;
}

export class HeadlineRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /** Adds headlines (one transaction); one already stored (same symbol, time and title) is kept. Returns how many were new. */
  add(headlines: readonly StoredHeadline[]): number {
    const insert = this.#db.prepare(
      `INSERT INTO headlines (symbol, published_at, title, source, url, origin, score)
       VALUES (@symbol, @publishedAt, @title, @source, @url, @origin, @score)
       ON CONFLICT (symbol, published_at, title) DO NOTHING`,
    );
    return this.#db.transaction(() => {
      let added = 0;
      for (const headline of headlines) added += insert.run(headline).changes;
      return added;
    })();
  }

  /** Oldest first, optionally within [from, to] epoch seconds. */
  list(symbol: string, range: { from?: number; to?: number } = {}): StoredHeadline[] {
    return this.#db
      .prepare(
        `SELECT symbol, published_at AS publishedAt, title, source, url, origin, score FROM headlines
         WHERE symbol = ? AND published_at >= ? AND published_at <= ? ORDER BY published_at, id`,
      )
      .all(symbol, range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER) as StoredHeadline[];
  }

  /** Symbols with stored headlines and how many each. */
  symbols(): { symbol: string; count: number }[] {
    return this.#db
      .prepare('SELECT symbol, count(*) AS count FROM headlines GROUP BY symbol ORDER BY symbol')
      .all() as { symbol: string; count: number }[];
  }

  remove(symbol: string): number {
    return this.#db.prepare('DELETE FROM headlines WHERE symbol = ?').run(symbol).changes;
  }
}
