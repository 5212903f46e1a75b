// A paper bot with a reinvestment policy: set on the bot before it runs (bots.setReinvestment's
// supervisor side), honoured by the strategy runner's sizing, and its fills are its backtest's
// trades, size for size. Once the bot has run, the policy can no longer change.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBacktest } from '../../core/backtest/run-backtest.ts';
import { AutobotError } from '../../core/domain/autobot-error.ts';
import { openSupervisor, storeWave, waveBot } from '../support/bot-fixtures.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const temps: { cleanup: () => void }[] = [];
afterEach(() => {
  for (const temp of temps.splice(0)) temp.cleanup();
});

const dbFile = () => {
  const temp = makeTempDir('autobot-reinvest-bot-');
  temps.push(temp);
  return path.join(temp.dir, 'autobot.db');
};

const policy = { baseBudget: 2000, reinvestShare: 0.5, cap: 2400, drawdownThreshold: 0.01, derisk: 0.5 };

describe('a paper bot with reinvestment', () => {
  it('makes the fills of its backtest with the same policy, and keeps the policy once it has run', async () => {
    const temp = makeTempDir('autobot-reinvest-bot-');
    temps.push(temp);
    const { db, supervisor } = openSupervisor(path.join(temp.dir, 'autobot.db'));
    const candles = storeWave(db);
    const definition = waveBot({ name: 'reinvesting bot' });
    const bot = supervisor.create(definition);
    expect(supervisor.setReinvestment(bot.id, policy).definition.reinvestment).toEqual(policy);

    await supervisor.start(bot.id);
    await supervisor.settled(bot.id);
    expect(supervisor.get(bot.id).message).toMatch(/reached the last stored bar/);

    const backtest = runBacktest(candles, {
      strategy: definition.strategy,
      params: definition.params!,
      cash: definition.cash!,
      commission: definition.commission!,
      sizing: definition.sizing!,
      reinvestment: policy,
    });
    const without = runBacktest(candles, {
      strategy: definition.strategy,
      params: definition.params!,
      cash: definition.cash!,
      commission: definition.commission!,
      sizing: definition.sizing!,
    });
    // The policy matters here: the sizes differ from the bot's plain sizing (half its equity).
    const sizes = (result: typeof backtest) => result.trades.map((trade) => trade.size);
    expect(backtest.trades.length).toBeGreaterThan(5);
    expect(sizes(backtest)).not.toEqual(sizes(without));
    expect(
      Math.max(...sizes(backtest).map((size, k) => size * backtest.trades[k]!.entryPrice)),
    ).toBeLessThanOrEqual(policy.cap);

    // Each closed trade is an entry fill and an exit fill; the open one has its entry.
    const expected = [
      ...backtest.trades.flatMap((trade) => [
        fill(trade.entryTime, trade.side === 'long' ? 'buy' : 'sell', trade.size, trade.entryPrice),
        fill(trade.exitTime, trade.side === 'long' ? 'sell' : 'buy', trade.size, trade.exitPrice),
      ]),
      ...(backtest.openTrade
        ? [
            fill(
              backtest.openTrade.entryTime,
              backtest.openTrade.side === 'long' ? 'buy' : 'sell',
              backtest.openTrade.size,
              backtest.openTrade.entryPrice,
            ),
          ]
        : []),
    ].sort();
    const fills = supervisor
      .fills(bot.id)
      .map((f) => fill(f.time / 1000, f.side, f.quantity, f.price))
      .sort();
    expect(fills).toEqual(expected);
    expect(supervisor.get(bot.id).equity).toBeCloseTo(backtest.metrics.finalEquity, 6);

    let refusal: unknown;
    try {
      supervisor.setReinvestment(bot.id, null);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(AutobotError);
    expect((refusal as AutobotError).code).toBe('conflict');
    expect((refusal as AutobotError).message).toMatch(/has already run \d+ bars.*Duplicate it/);
    db.close();
  });

  it('resumes after a kill with the same sizes: the policy’s state is re-derived from the journal', async () => {
    const reference = openSupervisor(dbFile());
    storeWave(reference.db);
    const whole = reference.supervisor.create(waveBot({ reinvestment: policy }));
    await reference.supervisor.start(whole.id);
    await reference.supervisor.settled(whole.id);
    const expected = reference.supervisor
      .fills(whole.id)
      .map((f) => fill(f.time, f.side, f.quantity, f.price));
    reference.db.close();

    const file = dbFile();
    const first = openSupervisor(file, { checkpointEvery: 7 });
    storeWave(first.db);
    const bot = first.supervisor.create(waveBot({ barsPerSecond: 400, reinvestment: policy }));
    await first.supervisor.start(bot.id);
    // Killed after a few round trips, once profit or loss has been realised and changed the budget.
    await first.log.waitFor(
      'bots.fill',
      () => first.log.events.filter((e) => e.name === 'bots.fill').length >= 6,
    );
    first.supervisor.closeNow();
    first.db.close();

    const second = openSupervisor(file);
    expect(second.supervisor.get(bot.id).bars).toBeLessThan(400);
    expect(await second.supervisor.resume()).toEqual([bot.id]);
    await second.supervisor.settled(bot.id);
    const got = second.supervisor.fills(bot.id).map((f) => fill(f.time, f.side, f.quantity, f.price));
    expect(got).toEqual(expected);
    second.db.close();
  });
});

function fill(time: number, side: string, quantity: number, price: number): string {
  return `${time} ${side} ${quantity} @ ${price}`;
}
