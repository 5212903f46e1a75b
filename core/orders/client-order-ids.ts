// Client order ids unique across restarts, across databases, and safe for every venue (≤ 32 of
// [A-Za-z0-9_-], core/domain/client-order-id.ts). An id is <tag>-<session>-<counter>:
//  - tag: 6 random characters made once per database (runtime_meta), so two installations trading
//    the same venue account do not collide (62^6 ≈ 5.7e10 tags);
//  - session: a number SQLite hands out at each start (AUTOINCREMENT never reuses one), committed
//    before the first id of the session, so a restart — or a crash — can never repeat an id;
//  - counter: in memory, from 1 within the session: making an id costs no write (the intent row that
//    carries it is the write).
// Session and counter are base 36, so the longest id (a billion sessions, 2^53 orders in one) is
// 6 + 1 + 6 + 1 + 11 = 25 characters. Time-ordered random ids would also do, but these read back
// in order in a venue's UI and say which start of the app sent them.
import { randomInt } from 'node:crypto';
import { toClientOrderId, type ClientOrderId } from '../domain/client-order-id.ts';
import type { Database } from '../storage/database.ts';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const tagKey = 'client_order_id_tag';

export function formatClientOrderId(tag: string, session: number, counter: number): ClientOrderId {
  return toClientOrderId(`${tag}-${session.toString(36)}-${counter.toString(36)}`);
}

export function randomTag(length = 6): string {
  let tag = '';
  for (let i = 0; i < length; i++) tag += alphabet[randomInt(alphabet.length)];
  return tag;
}

export class ClientOrderIds {
  readonly tag: string;
  readonly session: number;
  private counter = 0;

  private constructor(tag: string, session: number) {
    this.tag = tag;
    this.session = session;
  }

  /** Starts a session on `db` (one committed write); every id it makes is new to this database. */
  static open(db: Database, now: number = Date.now()): ClientOrderIds {
    return db
      .transaction(() => {
        db.prepare('INSERT OR IGNORE INTO runtime_meta (key, value) VALUES (?, ?)').run(tagKey, randomTag());
        const { value: tag } = db.prepare('SELECT value FROM runtime_meta WHERE key = ?').get(tagKey) as {
          value: string;
        };
        const { lastInsertRowid } = db
          .prepare('INSERT INTO order_id_sessions (started_at) VALUES (?)')
          .run(now);
        return new ClientOrderIds(tag, Number(lastInsertRowid));
      })
      .immediate();
  }

  next(): ClientOrderId {
    this.counter++;
    return formatClientOrderId(this.tag, this.session, this.counter);
  }
}
