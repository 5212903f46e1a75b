// The Bots page's state, shared with the Dashboard and the "Run as paper bot" buttons: the bots and
// the licence's limit, the one opened with its orders, fills and equity, all kept current by the
// core's bots.* events (status, order, fill, position) rather than by polling.
import { create } from 'zustand';
import type { CallInput, CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';

export type BotSummary = CallOutput<'bots.list'>['bots'][number];
export type BotOrder = CallOutput<'bots.orders'>['orders'][number];
export type BotFill = CallOutput<'bots.fills'>['fills'][number];

export interface BotDetail {
  id: number;
  orders: BotOrder[];
  fills: BotFill[];
  equity: CallOutput<'bots.equity'>;
}

interface BotsState {
  bots: BotSummary[];
  maxInstances: number;
  loaded: boolean;
  selected: number | null;
  detail: BotDetail | null;
  error: string | null;
  refresh(): Promise<void>;
  select(id: number | null): Promise<void>;
  create(definition: CallInput<'bots.create'>['definition']): Promise<void>;
  createFromRun(source: CallInput<'bots.createFromRun'>['source']): Promise<BotSummary | null>;
  act(action: 'start' | 'pause' | 'stop' | 'remove', id: number): Promise<void>;
  duplicate(id: number): Promise<void>;
  ghost(id: number): Promise<void>;
}

export const useBots = create<BotsState>((set, get) => {
  const guard = async (work: () => Promise<void>) => {
    try {
      await work();
      set({ error: null });
    } catch (error) {
      set({ error: describeError(error) });
    }
  };
  const loadDetail = async (id: number) => {
    const [{ orders }, { fills }, equity] = await Promise.all([
      api.call('bots.orders', { id }),
      api.call('bots.fills', { id }),
      api.call('bots.equity', { id, points: 2000 }),
    ]);
    if (get().selected === id) set({ detail: { id, orders, fills, equity } });
  };
  return {
    bots: [],
    maxInstances: 0,
    loaded: false,
    selected: null,
    detail: null,
    error: null,
    async refresh() {
      await guard(async () => {
        const { bots, maxInstances } = await api.call('bots.list', {});
        set({ bots, maxInstances, loaded: true });
        const selected = get().selected;
        if (selected !== null) await loadDetail(selected);
      });
    },
    async select(id) {
      set({ selected: id, detail: null });
      if (id !== null) await guard(() => loadDetail(id));
    },
    async create(definition) {
      await guard(async () => {
        const { bot } = await api.call('bots.create', { definition });
        await get().refresh();
        await get().select(bot.id);
      });
    },
    async createFromRun(source) {
      let created: BotSummary | null = null;
      await guard(async () => {
        const { bot } = await api.call('bots.createFromRun', { source });
        created = bot;
        await get().refresh();
        await get().select(bot.id);
      });
      return created;
    },
    async act(action, id) {
      await guard(async () => {
        if (action === 'remove') {
          await api.call('bots.remove', { id });
          if (get().selected === id) set({ selected: null, detail: null });
        } else if (action === 'start') {
          await api.call('bots.start', { id });
        } else if (action === 'pause') {
          await api.call('bots.pause', { id });
        } else {
          await api.call('bots.stop', { id });
        }
        await get().refresh();
      });
    },
    async duplicate(id) {
      await guard(async () => {
        const { bot } = await api.call('bots.duplicate', { id, overrides: {} });
        await get().refresh();
        await get().select(bot.id);
      });
    },
    async ghost(id) {
      await guard(async () => {
        await api.call('bots.ghost', { id, overrides: {} });
        await get().refresh();
      });
    },
  };
});

/**
 * Follows the core's bots.* events while a page shows bots: a status change reloads the list, and
 * orders, fills and positions update the opened bot as they arrive. Returns the unsubscribe.
 */
export function followBotEvents(): () => void {
  let pending: ReturnType<typeof setTimeout> | null = null;
  // Many events arrive per second on a fast replay: one reload per burst is enough.
  const soon = () => {
    if (pending !== null) return;
    pending = setTimeout(() => {
      pending = null;
      void useBots.getState().refresh();
    }, 150);
  };
  const stops = [
    api.on('bots.status', soon),
    api.on('bots.order', soon),
    api.on('bots.fill', soon),
    api.on('bots.position', (event) => {
      useBots.setState((state) => ({
        bots: state.bots.map((bot) =>
          bot.id === event.id
            ? {
                ...bot,
                positions: event.positions,
                equity: event.equity,
                pnl: event.equity - bot.definition.cash,
                bars: event.bars,
                lastBarTime: event.lastBarTime,
              }
            : bot,
        ),
      }));
    }),
  ];
  return () => {
    if (pending !== null) clearTimeout(pending);
    for (const stop of stops) stop();
  };
}
