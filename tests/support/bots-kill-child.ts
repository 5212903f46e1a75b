// A host with five paper bots replaying at full speed, for the bots kill -9 test
// (tests/integration/bots-kill.test.ts). First start: stores the series and creates and starts the
// bots. Every later start: resume(), as a host does after a crash. Prints "up" once the bots run and
// one line per fill the journal committed, so the parent kills it at a random point mid-replay;
// prints "done" when every bot reached the last bar.
import { writeSync } from 'node:fs';
import { BotSupervisor } from '../../core/bots/bot-supervisor.ts';
import { CandleRepository } from '../../core/storage/candle-repository.ts';
import { openDatabase } from '../../core/storage/database.ts';
import { killBots, waveCandles } from './bot-fixtures.ts';

const file = process.argv[2]!;
const db = openDatabase(file);
const candles = new CandleRepository(db);
const supervisor = new BotSupervisor({
  db,
  candles,
  emit: (name) => {
    if (name === 'bots.fill') writeSync(1, 'fill\n');
  },
  maxInstances: async () => 5,
  checkpointEvery: 16,
});
if (supervisor.list().length === 0) {
  candles.upsert('WAVE', '1d', waveCandles(killBots.bars));
  for (const definition of killBots.definitions) await supervisor.start(supervisor.create(definition).id);
} else {
  await supervisor.resume();
}
writeSync(1, 'up\n');
await Promise.all(supervisor.list().map((bot) => supervisor.settled(bot.id)));
writeSync(1, 'done\n');
db.close();
