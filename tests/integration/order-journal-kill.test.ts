// kill -9 at random points: a child process journals orders and fills flat out and is killed with
// SIGKILL, 50 times in a bounded loop. After each kill the file must pass PRAGMA integrity_check,
// every write the child acknowledged must be there exactly once, the replayed positions must equal
// the fills on disk, and no signal may have made two orders. (Issue #11's 200-kill test with five
// paper bots on a replay belongs to the bots stage; this one holds the journal to the same rule.)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientOrderId } from '../../core/domain/client-order-id.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { openDatabase } from '../../core/storage/database.ts';

const child = path.resolve(import.meta.dirname, '..', 'support', 'journal-child.ts');
const kills = 50;
/**
 * A child start costs one to three seconds on a loaded machine (Node, type stripping, SQLite,
 * replay): 2 min 17 s for the loop at a load average of 23 on two cores. Room for all of them.
 */
const loopTimeout = 600_000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'autobot-kill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ack {
  ready?: boolean;
  id?: ClientOrderId;
  kind?: string;
  key?: string;
}

/** Runs the child until it has acknowledged `after` writes, then kills it with SIGKILL. */
function runAndKill(file: string, after: number): Promise<Ack[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buffered = '';
    let stderr = '';
    let killed = false;
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        acks.push(JSON.parse(buffered.slice(0, newline)) as Ack);
        buffered = buffered.slice(newline + 1);
      }
      if (!killed && acks.length > after) {
        killed = true;
        proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`the journal child stopped by itself (${String(signal)}): ${stderr}`));
    });
  });
}

/** A small deterministic generator, so a failing kill point can be reproduced from the seed. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('order journal under kill -9', () => {
  it(
    `loses and doubles nothing over ${kills} random kills`,
    async () => {
      const file = path.join(dir, 'journal.db');
      const random = lcg(20_261_201);
      const acknowledged = new Set<string>();
      for (let round = 0; round < kills; round++) {
        // From right after the start (replay and redelivery only) to well into the order flow.
        const after = Math.floor(random() * 120);
        const acks = await runAndKill(file, after);
        for (const ack of acks) {
          if (ack.id === undefined) continue;
          acknowledged.add(ack.kind === 'intent' ? `intent:${ack.id}` : `${ack.id}|${ack.key}`);
        }

        const db = openDatabase(file);
        expect(db.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
        const intents = new Set(
          (db.prepare('SELECT client_order_id FROM order_intents').pluck().all() as string[]).map(
            (id) => `intent:${id}`,
          ),
        );
        const events = db.prepare('SELECT client_order_id, event_key FROM order_events').raw().all() as [
          string,
          string,
        ][];
        const onDisk = new Set(events.map(([id, key]) => `${id}|${key}`));
        // None lost: every acknowledged write is on disk.
        for (const key of acknowledged)
          expect(intents.has(key) || onDisk.has(key), `round ${round}: ${key}`).toBe(true);
        // None doubled: each event key once (the UNIQUE constraint), each trade counted once on replay.
        expect(onDisk.size, `round ${round}`).toBe(events.length);
        const journal = new OrderJournal(db);
        const fills = db
          .prepare(
            `SELECT i.owner, i.venue, i.symbol, i.side, json_extract(e.payload, '$.quantity') AS quantity
           FROM order_events e JOIN order_intents i USING (client_order_id) WHERE e.kind = 'fill'`,
          )
          .all() as { owner: string; venue: string; symbol: string; side: string; quantity: number }[];
        const expected = new Map<string, number>();
        for (const f of fills) {
          const key = JSON.stringify([f.owner, f.venue, f.symbol]);
          expected.set(key, (expected.get(key) ?? 0) + (f.side === 'buy' ? f.quantity : -f.quantity));
        }
        const replayed = new Map(
          journal.positions().map((p) => [JSON.stringify([p.owner, p.venue, p.symbol]), p.quantity]),
        );
        for (const [key, quantity] of expected)
          expect(replayed.get(key) ?? 0, `round ${round}: ${key}`).toBe(quantity);
        for (const order of journal.all()) {
          expect(order.fills.length).toBe(new Set(order.fills.map((f) => f.tradeId)).size);
          expect(order.overfill, `round ${round}: ${order.intent.clientOrderId}`).toBe(0);
        }
        // No signal sent twice: one order per signal key.
        const signals = db
          .prepare('SELECT count(*) AS n, count(DISTINCT signal_key) AS d FROM order_intents')
          .get() as {
          n: number;
          d: number;
        };
        expect(signals.d).toBe(signals.n);
        db.close();
      }
      expect(acknowledged.size).toBeGreaterThan(kills);
    },
    loopTimeout,
  );
});
