// What the paper engines (runner-engine.ts on a replay, feed-engine.ts on a live feed) do the same
// way with their seats (paper-seat.ts): the bot and its ghosts by id, the ghosts that wait for the
// next bar, stop's cancels, close, and the watchdog's words when the bot's own runner fails or
// ruins. Each engine brings its bars and decides when to checkpoint.
import type { Bar } from '../domain/bar.ts';
import type { ClientOrderId } from '../domain/client-order-id.ts';
import type { OrderEvent } from '../orders/order-events.ts';
import type { AppendResult } from '../orders/order-journal.ts';
import type { AccountPortfolio } from '../portfolio/account-portfolio.ts';
import type { BotEngine, EngineEnd, EngineOptions } from './bot-engine.ts';
import type { BotRecord } from './bot-store.ts';
import { cancelWorkingOrders, leaveSeat, type PaperSeat } from './paper-seat.ts';

/** What a seat made of a bar: the run ends, the strategy threw (a ghost's), or the bar is done. */
export type BarTaken = { kind: 'end'; end: string } | { kind: 'threw' } | { kind: 'done'; traded: boolean };

export abstract class PaperBotEngine<
  Options extends Pick<EngineOptions, 'bot' | 'journal' | 'strategy' | 'listener'>,
  Seat extends PaperSeat,
> implements BotEngine {
  protected readonly options: Options;
  protected readonly seats = new Map<number, Seat>();
  /** Ghosts attached mid-run: seated before the next bar, so all seats take the same bars. */
  protected readonly pendingGhosts: BotRecord[] = [];
  protected halted = false;

  constructor(options: Options) {
    this.options = options;
  }

  abstract run(): Promise<EngineEnd>;
  abstract halt(): void;

  attach(ghost: BotRecord): void {
    if (!this.seats.has(ghost.id)) this.pendingGhosts.push(ghost);
  }

  detach(ghostId: number): void {
    if (ghostId === this.options.bot.id) return;
    leaveSeat(this.seats.get(ghostId), 'detached');
    this.seats.delete(ghostId);
  }

  portfolio(botId: number): AccountPortfolio | undefined {
    return this.seats.get(botId)?.runner.portfolio;
  }

  lastBarTime(botId: number): number | null {
    return this.seats.get(botId)?.lastBarTime ?? null;
  }

  record(
    botId: number,
    clientOrderId: ClientOrderId,
    event: OrderEvent,
    eventId?: string,
  ): AppendResult | null {
    return this.seats.get(botId)?.runner.record(clientOrderId, event, eventId) ?? null;
  }

  async cancelWorking(): Promise<void> {
    await cancelWorkingOrders(this.options.journal, this.seats.values());
  }

  close(): void {
    for (const seat of this.seats.values()) leaveSeat(seat, 'closed');
  }

  /**
   * One bar to one seat. A bar the strategy threw on is not done (a resume would run it again), so
   * it is not counted; `end` is why the whole run ends (ownEnd).
   */
  protected async takeBar(seat: Seat, bar: Bar, index: number): Promise<BarTaken> {
    const fills = seat.fills;
    await seat.runner.step(bar);
    const end = this.ownEnd(seat, bar, index);
    if (end !== null) return { kind: 'end', end };
    if (seat.runner.status === 'failed') return { kind: 'threw' };
    seat.bars++;
    seat.lastBarTime = bar.time;
    return { kind: 'done', traded: seat.fills !== fills };
  }

  /** The bar's progress to the supervisor (the Bots page's count, equity and trades). */
  protected announceBar(seat: Seat, bar: Bar, traded: boolean): void {
    this.options.listener.bar(seat.bot.id, {
      bars: seat.bars,
      lastBarTime: bar.time,
      portfolio: seat.runner.portfolio,
      traded,
    });
  }

  /**
   * Why the run ends after `seat` took `bar`: the bot's own strategy threw (naming the bar, the
   * watchdog's case) or its account was ruined. A ghost's failure or ruin is its own: null.
   */
  protected ownEnd(seat: Seat, bar: Bar, index: number): string | null {
    if (seat.bot.id !== this.options.bot.id) return null;
    const at = new Date(bar.time * 1000).toISOString();
    if (seat.runner.status === 'failed') {
      const why = seat.runner.error?.message ?? 'unknown error';
      return `${this.options.strategy.name} threw on bar ${index} (${at}): ${why}`;
    }
    if (seat.runner.status === 'ruined') {
      const ruin = seat.runner.ruin;
      return `account ruined: equity reached ${ruin?.equity.toFixed(2) ?? '0'} at the close of ${at}; the position was closed and the bot stopped trading`;
    }
    return null;
  }
}
