// The supervisor as a trader meets it: a bot whose strategy throws stops alone with the error shown,
// the licence's maxInstances refuses one bot too many, ghosts trade their original's signals, and a
// bot killed mid-replay resumes where it was without sending any signal twice.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AutobotError } from '../../core/contract/errors.ts';
import { findStrategy } from '../../core/strategies/registry.ts';
import { makeTempDir } from '../support/temp-dir.ts';
import { openSupervisor, storeWave, throwingAt, waveBot } from '../support/bot-fixtures.ts';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

function dbFile(): string {
  const temp = makeTempDir('autobot-bots-');
  temps.push(temp);
  return path.join(temp.dir, 'autobot.db');
}

describe('bot supervisor', () => {
  it('the watchdog stops a bot whose strategy throws at bar 100, shows why, and the other bot keeps trading', async () => {
    const { db, supervisor } = openSupervisor(dbFile(), {
      strategy: (name) => (name === 'throws' ? throwingAt(100) : findStrategy(name)?.strategy),
    });
    const candles = storeWave(db);
    const failing = supervisor.create(waveBot({ name: 'fails', strategy: 'throws', params: {} }));
    const healthy = supervisor.create(waveBot({ name: 'healthy' }));
    await supervisor.start(failing.id);
    await supervisor.start(healthy.id);
    await Promise.all([supervisor.settled(failing.id), supervisor.settled(healthy.id)]);

    const failed = supervisor.get(failing.id);
    expect(failed.status).toBe('failed');
    expect(failed.message).toMatch(/throws threw on bar 100 .*boom at bar 100/);
    // It finished bar 99 and nothing after: no order of its has a fill past bar 100's open.
    expect(failed.lastBarTime).toBeLessThanOrEqual(candles.time[99]!);
    const bar100 = candles.time[100]! * 1000;
    expect(supervisor.fills(failing.id).every((fill) => fill.time <= bar100)).toBe(true);

    const other = supervisor.get(healthy.id);
    expect(other.status).toBe('stopped');
    expect(other.message).toMatch(/reached the last stored bar/);
    expect(other.lastBarTime).toBe(candles.time[candles.time.length - 1]);
    expect(supervisor.fills(healthy.id).filter((fill) => fill.time > bar100).length).toBeGreaterThan(3);
    db.close();
  });

  it('maxInstances 2 refuses a third running bot with instance_limit naming the limit', async () => {
    const { db, supervisor } = openSupervisor(dbFile(), { maxInstances: async () => 2 });
    storeWave(db);
    // One bar a second: they are still running when the third is asked for.
    const bots = [1, 2, 3].map((n) => supervisor.create(waveBot({ name: `bot ${n}`, barsPerSecond: 1 })));
    await supervisor.start(bots[0]!.id);
    await supervisor.start(bots[1]!.id);
    const refusal = await supervisor.start(bots[2]!.id).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AutobotError);
    expect((refusal as AutobotError).code).toBe('instance_limit');
    expect((refusal as AutobotError).message).toMatch(/allows 2 running bots .*maxInstances 2/);
    expect(supervisor.get(bots[2]!.id).status).toBe('created');

    // A paused bot does not count: the third may start then.
    expect((await supervisor.pause(bots[0]!.id)).status).toBe('paused');
    expect((await supervisor.start(bots[2]!.id)).status).toBe('running');
    for (const bot of bots) await supervisor.stop(bot.id);
    expect(supervisor.list().map((bot) => bot.status)).toEqual(['stopped', 'stopped', 'stopped']);
    db.close();
  });

  it('a ghost receives its original’s bars and signals and trades them on its own account', async () => {
    const { db, supervisor } = openSupervisor(dbFile());
    storeWave(db);
    const original = supervisor.create(waveBot({ name: 'original' }));
    const ghost = await supervisor.ghost(original.id, {
      commission: 0,
      sizing: { mode: 'fixed', quantity: 3 },
    });
    expect(ghost.ghostOf).toBe(original.id);
    await supervisor.start(original.id);
    await supervisor.settled(original.id);

    const mine = supervisor.fills(original.id);
    const shadow = supervisor.fills(ghost.id);
    expect(shadow.length).toBeGreaterThan(5);
    // Same bars, same signals: a fill on every bar the original filled, on the same side.
    expect(shadow.map((f) => [f.time, f.side])).toEqual(mine.map((f) => [f.time, f.side]));
    // Its own account: its own sizing (3 units, then 6 to reverse) and no commission.
    expect(shadow.every((f) => f.fee === 0 && (f.quantity === 3 || f.quantity === 6))).toBe(true);
    expect(supervisor.get(ghost.id).status).toBe('stopped');
    const dup = supervisor.duplicate(original.id, { name: 'copy', cash: 5000 });
    expect(dup.definition).toMatchObject({
      name: 'copy',
      cash: 5000,
      strategy: 'sma-cross',
      params: { fast: 5, slow: 12 },
    });
    expect(dup.status).toBe('created');
    db.close();
  });

  it('a bot killed mid-replay resumes from its checkpoint on reopen: the same orders as an uninterrupted run, none twice', async () => {
    // The reference: the same bot, never interrupted.
    const reference = openSupervisor(dbFile());
    storeWave(reference.db);
    const whole = reference.supervisor.create(waveBot());
    await reference.supervisor.start(whole.id);
    await reference.supervisor.settled(whole.id);
    const expected = reference.supervisor.fills(whole.id).map((f) => [f.time, f.side, f.quantity, f.price]);
    reference.db.close();

    const file = dbFile();
    const first = openSupervisor(file, { checkpointEvery: 7 });
    storeWave(first.db);
    const bot = first.supervisor.create(waveBot({ barsPerSecond: 400 }));
    await first.supervisor.start(bot.id);
    // Killed as the app would be: after its 4th fill, mid-replay, without a goodbye.
    await first.log.waitFor(
      'bots.fill',
      () => first.log.events.filter((e) => e.name === 'bots.fill').length >= 4,
    );
    first.supervisor.closeNow();
    first.db.close();

    const second = openSupervisor(file);
    expect(second.supervisor.get(bot.id).status).toBe('running');
    const partial = second.supervisor.get(bot.id).bars;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(400);
    expect(await second.supervisor.resume()).toEqual([bot.id]);
    await second.supervisor.settled(bot.id);
    expect(second.supervisor.get(bot.id).status).toBe('stopped');
    const got = second.supervisor.fills(bot.id).map((f) => [f.time, f.side, f.quantity, f.price]);
    expect(got).toEqual(expected);
    const keys = second.db
      .prepare('SELECT signal_key FROM order_intents WHERE owner = ?')
      .pluck()
      .all(`bot-${bot.id}`) as string[];
    expect(new Set(keys).size).toBe(keys.length);
    expect(second.db.pragma('integrity_check', { simple: true })).toBe('ok');
    second.db.close();
  });
});
