// bots.* calls: thin over the supervisor (core/bots/bot-supervisor.ts), which the app makes once
// per host and resumes at start.
import type { Handlers } from '../contract/dispatch.ts';
import type { BotSupervisor } from '../bots/bot-supervisor.ts';

type BotsHandlers = Pick<
  Handlers,
  | 'bots.list'
  | 'bots.get'
  | 'bots.create'
  | 'bots.createFromRun'
  | 'bots.start'
  | 'bots.pause'
  | 'bots.stop'
  | 'bots.duplicate'
  | 'bots.ghost'
  | 'bots.setReinvestment'
  | 'bots.remove'
  | 'bots.orders'
  | 'bots.fills'
  | 'bots.positions'
  | 'bots.equity'
>;

export function botsHandlers(bots: BotSupervisor, maxInstances: () => Promise<number>): BotsHandlers {
  const one = async (bot: Promise<ReturnType<BotSupervisor['get']>>) => ({ bot: await bot });
  return {
    'bots.list': async () => ({ bots: bots.list(), maxInstances: await maxInstances() }),
    'bots.get': (input) => ({ bot: bots.get(input.id) }),
    'bots.create': (input) => ({ bot: bots.create(input.definition) }),
    'bots.createFromRun': (input) => ({
      bot: bots.createFromRun(input.source, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.barsPerSecond !== undefined ? { barsPerSecond: input.barsPerSecond } : {}),
      }),
    }),
    'bots.start': (input) => one(bots.start(input.id)),
    'bots.pause': (input) => one(bots.pause(input.id)),
    'bots.stop': (input) => one(bots.stop(input.id)),
    'bots.duplicate': (input) => ({ bot: bots.duplicate(input.id, input.overrides) }),
    'bots.ghost': (input) => one(bots.ghost(input.id, input.overrides)),
    'bots.setReinvestment': (input) => ({ bot: bots.setReinvestment(input.id, input.reinvestment) }),
    'bots.remove': async (input) => ({ removed: await bots.remove(input.id) }),
    'bots.orders': (input) => ({ orders: bots.orders(input.id) }),
    'bots.fills': (input) => ({ fills: bots.fills(input.id) }),
    'bots.positions': (input) => ({ positions: bots.positions(input.id) }),
    'bots.equity': (input) => bots.equity(input.id, input.points),
  };
}
