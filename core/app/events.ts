import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../contract/calls.ts';

/** Typed fan-out of core events to every connected UI (Electron windows, WebSocket clients). */
export class CoreEvents {
  readonly #emitter = new EventEmitter();

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    this.#emitter.emit('event', name, payload);
  }

  /** Listen to every event; returns the function that stops listening. */
  subscribe(listener: (name: EventName, payload: unknown) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }
}
