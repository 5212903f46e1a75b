// Client order ids: venue-safe, and never the same twice in one database, across restarts too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clientOrderIdPattern, isClientOrderId } from '../../core/domain/client-order-id.ts';
import { ClientOrderIds, formatClientOrderId, randomTag } from '../../core/orders/client-order-ids.ts';
import { openDatabase } from '../../core/storage/database.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-coid-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('client order ids', () => {
  it('are at most 32 characters of A-Z a-z 0-9 _ - for any session and counter (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000_000 }),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (session, counter) => {
          const id = formatClientOrderId(randomTag(), session, counter);
          expect(id).toMatch(clientOrderIdPattern);
          expect(id.length).toBeLessThanOrEqual(32);
        },
      ),
    );
  });

  it('refuses what a venue would refuse', () => {
    expect(isClientOrderId('abc-1_2')).toBe(true);
    expect(isClientOrderId('')).toBe(false);
    expect(isClientOrderId('a'.repeat(33))).toBe(false);
    expect(isClientOrderId('a b')).toBe(false);
    expect(isClientOrderId('a/b')).toBe(false);
  });

  it('never repeat across simulated restarts of the same database (property)', () => {
    const file = path.join(dir, 'ids.db');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 12 }), (perStart) => {
        rmSync(file, { force: true });
        const seen = new Set<string>();
        let tag: string | undefined;
        for (const count of perStart) {
          // Each start opens the file afresh, as the app does after a restart or a crash.
          const db = openDatabase(file);
          const ids = ClientOrderIds.open(db);
          tag ??= ids.tag;
          expect(ids.tag).toBe(tag);
          for (let k = 0; k < count; k++) {
            const id = ids.next();
            expect(isClientOrderId(id)).toBe(true);
            expect(seen.has(id)).toBe(false);
            seen.add(id);
          }
          db.close();
        }
      }),
      { numRuns: 20 },
    );
  });

  it('differ between two generators on one database (two processes trading at once)', () => {
    const file = path.join(dir, 'two.db');
    const a = openDatabase(file);
    const b = openDatabase(file);
    const first = ClientOrderIds.open(a);
    const second = ClientOrderIds.open(b);
    expect(first.session).not.toBe(second.session);
    expect(first.next()).not.toBe(second.next());
    a.close();
    b.close();
  });
});
