// One bar for many bots at once, committed in one transaction. Each write to the order journal is
// a commit of its own by default, and with `synchronous = FULL` each commit waits for the disk
// (~1–10 ms here): a fleet of paper bots would spend its life flushing. Wrapping the bar — every
// bot's intents and every venue event of that bar — in one transaction makes it one flush per bar
// for the whole fleet, and the bar is durable before the next one starts (nothing of it is
// reported as done before COMMIT returns).
//
// Only for simulated venues in this process: intents are written before the simulated venue hears
// of them but committed after it has "executed" them, and a crash in between loses both together.
// A bot on a real venue must commit each intent before sending (OrderRouter's default).
import type { Bar } from '../domain/bar.ts';
import type { Database } from '../storage/database.ts';
import type { StrategyRunner } from './strategy-runner.ts';

export async function stepFleet(
  db: Database,
  steps: readonly (readonly [StrategyRunner, Bar])[],
): Promise<void> {
  const began = !db.inTransaction;
  if (began) db.exec('BEGIN');
  try {
    // A runner catches its strategy's errors itself (status 'failed'): one bot never stops the others.
    for (const [runner, bar] of steps) {
      const settling = runner.step(bar);
      if (settling !== undefined) await settling;
    }
  } finally {
    if (began) db.exec('COMMIT');
  }
}
