// Electron: the preload put one function per declared call on window.autobot (never a generic
// invoke) and an event subscription on window.autobotEvents.
import type { CallResult } from '../../../core/contract/result.ts';
import type { EventListener, Transport } from './transport.ts';

interface PreloadBridge {
  autobot: Record<string, (input?: unknown) => Promise<CallResult>>;
  autobotEvents: { subscribe(listener: EventListener): () => void };
}

export function findPreloadBridge(): PreloadBridge | null {
  const candidate = window as unknown as Partial<PreloadBridge>;
  if (candidate.autobot && candidate.autobotEvents) return candidate as PreloadBridge;
  return null;
}

export function bridgeTransport(bridge: PreloadBridge): Transport {
  return {
    kind: 'electron',
    call(name, input) {
      const fn = bridge.autobot[name];
      if (!fn) {
        return Promise.resolve({
          ok: false,
          error: { code: 'unknown_call', message: `The app does not offer "${name}".` },
        });
      }
      return fn(input);
    },
    subscribe: (listener) => bridge.autobotEvents.subscribe(listener),
  };
}
