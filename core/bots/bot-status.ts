// A bot's lifecycle as one explicit table: status × action → next status. The supervisor asks it
// before doing anything, so a bot can never be, say, paused while stopped or started twice; a
// fast-check model test (tests/unit/bot-status.property.test.ts) drives random actions through it.
//
//   created ──start──▶ running ──pause──▶ paused ──start──▶ running
//                        │  ▲                 │
//                        │  └─────start───────┼──── stopped / failed
//                        ├──stop / finish─────┴──▶ stopped
//                        └──fail (the strategy threw)──▶ failed
import type { BotStatus } from '../contract/bots-calls.ts';

export type BotAction = 'start' | 'pause' | 'stop' | 'finish' | 'fail';

const table: Record<BotStatus, Partial<Record<BotAction, BotStatus>>> = {
  created: { start: 'running', stop: 'stopped' },
  running: { pause: 'paused', stop: 'stopped', finish: 'stopped', fail: 'failed' },
  paused: { start: 'running', stop: 'stopped' },
  stopped: { start: 'running' },
  failed: { start: 'running', stop: 'stopped' },
};

/** The status after `action`, or null when the action does not apply now. */
export function nextStatus(status: BotStatus, action: BotAction): BotStatus | null {
  return table[status][action] ?? null;
}

/** Why `action` does not apply to a bot in `status`, in words for the user. */
export function refusalOf(status: BotStatus, action: BotAction): string {
  return `a ${status} bot cannot ${action === 'finish' || action === 'fail' ? `${action} running` : action}`;
}

/** Only a bot that is not running may be removed (its orders would be orphaned mid-flight). */
export function canRemove(status: BotStatus): boolean {
  return status !== 'running';
}
