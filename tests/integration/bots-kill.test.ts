// kill -9 with five paper bots (issue #11): a child host replays five bots at full speed and is
// killed with SIGKILL at random points of a bounded, seeded loop, then started again (it resumes
// them). After each kill the file passes PRAGMA integrity_check, no order is filled past its size,
// no signal made two orders, and the positions a fresh journal replays equal the sum of the fills
// on disk. When the replays end, every bot's fills equal those of the same bots run without a kill:
// nothing lost, nothing sent twice.
import { spawn } from 'node:child_process';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { killBots, openSupervisor, storeWave } from '../support/bot-fixtures.ts';
import { makeTempDir } from '../support/temp-dir.ts';

// Issue #11 asks for 200 kills. `AUTOBOT_BOT_KILLS=200` runs them: 200 kills in 7 rounds took 273 s
// at load average 4 on the 2-core build machine (a node start, five bots' catch-up and the checks
// per kill), too long for every `npm test`, so the default run does a few (docs/bots.md).
const kills = Number(process.env.AUTOBOT_BOT_KILLS ?? 4);
const child = path.resolve(import.meta.dirname, '..', 'support', 'bots-kill-child.ts');
const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

/** Starts the child; kills it after `fills` fill lines (0: right after "up"); resolves with how it ended. */
function runChild(file: string, fills: number): Promise<'killed' | 'done'> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = 0;
    let up = false;
    let killed = false;
    let errors = '';
    proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    proc.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === 'up') up = true;
        if (line === 'fill') seen++;
        if (!killed && up && seen >= fills) {
          killed = true;
          proc.kill('SIGKILL');
        }
      }
    });
    proc.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve('killed');
      else if (code === 0) resolve('done');
      else reject(new Error(`child exited with ${code}: ${errors}`));
    });
  });
}

function fillsByBot(file: string): Record<string, string[]> {
  const { db, supervisor } = openSupervisor(file);
  const out: Record<string, string[]> = {};
  for (const bot of supervisor.list())
    out[bot.name] = supervisor.fills(bot.id).map((f) => `${f.time} ${f.side} ${f.quantity} ${f.price}`);
  db.close();
  return out;
}

function checkFile(file: string): void {
  const raw = new BetterSqlite3(file);
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  const doubled = raw
    .prepare(
      `SELECT i.client_order_id FROM order_intents i JOIN order_events e USING (client_order_id)
       WHERE e.kind = 'fill' GROUP BY i.client_order_id
       HAVING SUM(json_extract(e.payload, '$.quantity')) > MAX(i.quantity) + 1e-9`,
    )
    .all();
  expect(doubled).toEqual([]);
  raw.close();
  const db = openDatabase(file);
  const journal = new OrderJournal(db, { durability: 'normal' });
  const sums = new Map<string, number>();
  for (const order of journal.all())
    for (const fill of order.fills) {
      const key = order.intent.owner;
      sums.set(key, (sums.get(key) ?? 0) + (order.intent.side === 'buy' ? fill.quantity : -fill.quantity));
    }
  for (const position of journal.positions())
    expect(position.quantity).toBeCloseTo(sums.get(position.owner)!, 9);
  db.close();
}

describe('bots under kill -9', () => {
  it(
    `${kills} kills of a host running five paper bots: nothing lost, doubled or sent twice`,
    async () => {
      // The reference: the same five bots, never interrupted.
      const refDir = makeTempDir('autobot-bots-kill-');
      temps.push(refDir);
      const ref = openSupervisor(path.join(refDir.dir, 'autobot.db'));
      storeWave(ref.db, 'WAVE', killBots.bars);
      for (const definition of killBots.definitions)
        await ref.supervisor.start(ref.supervisor.create(definition).id);
      for (const bot of ref.supervisor.list()) await ref.supervisor.settled(bot.id);
      ref.db.close();
      const expected = fillsByBot(path.join(refDir.dir, 'autobot.db'));

      let seed = 11;
      const random = () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed / 2 ** 32;
      };
      const freshFile = () => {
        const temp = makeTempDir('autobot-bots-kill-');
        temps.push(temp);
        return path.join(temp.dir, 'autobot.db');
      };
      let file = freshFile();
      const started = Date.now();
      let done = 0;
      let rounds = 1;
      // Bounded: a round ends when the replay finishes before its kill point, and every round holds
      // several kills, so `kills` kills need far fewer child runs than this.
      for (let run = 0; done < kills; run++) {
        expect(run, 'child runs').toBeLessThan(3 * kills + 10);
        // Killed after 0 to 11 fills: at start-up, mid catch-up, mid-bar.
        const end = await runChild(file, Math.floor(random() * 12));
        checkFile(file);
        if (end === 'killed') {
          done++;
          continue;
        }
        // The replay ended before this kill point: through every kill of the round, the same fills
        // as never killed. The next kills go to a new round on a fresh data folder.
        expect(fillsByBot(file)).toEqual(expected);
        file = freshFile();
        rounds++;
      }
      // The last round is left to finish: through every kill, the same fills as never killed.
      expect(await runChild(file, Number.POSITIVE_INFINITY)).toBe('done');
      checkFile(file);
      expect(fillsByBot(file)).toEqual(expected);
      console.log(
        `bots kill -9: ${kills} kills in ${rounds} rounds, each replayed to the end, in ${Date.now() - started} ms`,
      );
    },
    60_000 + kills * 30_000,
  );
});
