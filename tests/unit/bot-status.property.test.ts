// The supervisor's status state machine as a model test: random starts, pauses, stops, replays that
// end and strategies that throw, over three bots with maxInstances 2. After every step each bot's
// status is the one the table (bot-status.ts) allows, a refused action says why and changes nothing,
// and no more than two bots ever run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BotEngine, EngineEnd } from '../../core/bots/bot-engine.ts';
import { nextStatus } from '../../core/bots/bot-status.ts';
import type { BotStatus } from '../../core/contract/bots-calls.ts';
import type { AutobotError } from '../../core/contract/errors.ts';
import { openSupervisor, storeWave, waveBot } from '../support/bot-fixtures.ts';

/** An engine that runs until halted, or until the test ends its replay or makes its strategy throw. */
class ScriptedEngine implements BotEngine {
  private end!: (end: EngineEnd) => void;
  private readonly ended = new Promise<EngineEnd>((resolve) => (this.end = resolve));
  run = () => this.ended;
  halt = () => this.end({ kind: 'halted' });
  finish = () => this.end({ kind: 'finished' });
  fail = () => this.end({ kind: 'failed', error: 'boom' });
  attach = () => undefined;
  detach = () => undefined;
  portfolio = () => undefined;
  lastBarTime = () => null;
  cancelWorking = async () => undefined;
  close = () => undefined;
}

const action = fc.record({
  bot: fc.integer({ min: 0, max: 2 }),
  kind: fc.constantFrom('start', 'pause', 'stop', 'finish', 'fail'),
});

describe('bot status state machine', () => {
  it('property: every step lands where the table says, refusals change nothing, at most maxInstances run', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
        const engines = new Map<number, ScriptedEngine>();
        const { db, supervisor } = openSupervisor(':memory:', {
          maxInstances: async () => 2,
          engine: (options) => {
            const engine = new ScriptedEngine();
            engines.set(options.bot.id, engine);
            return engine;
          },
        });
        storeWave(db, 'WAVE', 30);
        const ids = [0, 1, 2].map((n) => supervisor.create(waveBot({ name: `bot ${n}` })).id);
        const model = new Map<number, BotStatus>(ids.map((id) => [id, 'created']));
        for (const { bot, kind } of actions) {
          const id = ids[bot]!;
          const before = model.get(id)!;
          const running = [...model.values()].filter((s) => s === 'running').length;
          if (kind === 'finish' || kind === 'fail') {
            if (before !== 'running') continue; // only a running replay can end or throw
            engines.get(id)![kind]();
            await supervisor.settled(id);
            model.set(id, nextStatus(before, kind)!);
          } else {
            const expected = nextStatus(before, kind);
            const outcome = await supervisor[kind](id).catch((error: unknown) => error);
            if (expected === null) {
              expect((outcome as AutobotError).code).toBe('conflict');
            } else if (kind === 'start' && running >= 2) {
              expect((outcome as AutobotError).code).toBe('instance_limit');
              expect((outcome as AutobotError).message).toContain('maxInstances 2');
            } else {
              model.set(id, expected);
            }
          }
          for (const other of ids) expect(supervisor.get(other).status).toBe(model.get(other));
          expect(supervisor.list().filter((b) => b.status === 'running').length).toBeLessThanOrEqual(2);
        }
        await supervisor.close();
        db.close();
      }),
      { numRuns: 60 },
    );
  });
});
