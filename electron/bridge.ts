// What the preload exposes to the page, built as plain objects so a unit test can check the surface
// without Electron: one function per declared call name, each bound to its own channel, and an
// event subscription that never hands the page Electron's event object. There is deliberately no
// generic invoke(channel, …): the page cannot reach a channel that is not a declared call.
import type { CallInput, CallName, CallOutput, EventName } from '../core/contract/calls.ts';
import type { CallResult } from '../core/contract/result.ts';
import { callChannel, eventChannel } from './channels.ts';

/** `window.autobot`: `window.autobot['candles.get']({symbol, timeframe})` → CallResult. */
export type AutobotBridge = {
  readonly [N in CallName]: (input?: CallInput<N>) => Promise<CallResult<CallOutput<N>>>;
};

export type EventListener = (name: EventName, payload: unknown) => void;

/** `window.autobotEvents`. */
export interface AutobotEventsBridge {
  /** Calls `listener(name, payload)` for every core event; returns the function that stops it. */
  subscribe(listener: EventListener): () => void;
}

export type Invoke = (channel: string, input: unknown) => Promise<unknown>;

export function buildBridge(names: readonly string[], invoke: Invoke): AutobotBridge {
  const bridge: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const name of names) {
    const channel = callChannel(name);
    bridge[name] = (input?: unknown) => invoke(channel, input);
  }
  return Object.freeze(bridge) as unknown as AutobotBridge;
}

/** The slice of `ipcRenderer` the event bridge needs. */
export interface EventSource {
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function buildEventBridge(source: EventSource): AutobotEventsBridge {
  return Object.freeze({
    subscribe(listener: EventListener): () => void {
      if (typeof listener !== 'function') throw new TypeError('subscribe needs a listener function');
      // Strip Electron's IpcRendererEvent (it carries `sender`, i.e. ipcRenderer itself).
      const forward = (_event: unknown, name: unknown, payload: unknown) => {
        if (typeof name === 'string') listener(name as EventName, payload);
      };
      source.on(eventChannel, forward);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        source.removeListener(eventChannel, forward);
      };
    },
  });
}
