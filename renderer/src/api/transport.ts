// The renderer talks to the core through one interface. Which host is on the other side — the
// Electron preload bridge or the headless HTTP/WebSocket server — is decided once, here.
import type { EventName } from '../../../core/contract/calls.ts';
import type { CallResult } from '../../../core/contract/result.ts';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface Transport {
  readonly kind: 'electron' | 'headless';
  call(name: string, input: unknown): Promise<CallResult>;
  subscribe(listener: EventListener): () => void;
  /**
   * Streams a file to the host and answers its upload id (headless: POST /api/upload). Absent on
   * the Electron bridge, where a small file travels as its text and a large one through the CLI.
   */
  upload?(file: Blob): Promise<CallResult<{ upload: string; bytes: number }>>;
}
