// The IPC main layer: one `ipcMain.handle('autobot:call:<name>')` per declared call. Every message
// first proves it comes from the app's own top-level frame on app://autobot; only then does the raw
// payload go to the dispatcher, which checks the name, runs the licence gate and parses the input.
// No electron import: the event and ipcMain are described structurally, so tests pass fakes.
import { callNames } from '../core/contract/calls.ts';
import type { Dispatch } from '../core/contract/dispatch.ts';
import type { CallResult } from '../core/contract/result.ts';
import { callChannel } from './channels.ts';
import { isTrustedSender, type SenderInfo } from './security.ts';

export { callChannel, callChannelPrefix, eventChannel } from './channels.ts';

/** The part of Electron's `WebFrameMain` the sender check reads. */
export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The part of Electron's `IpcMainInvokeEvent` the sender check reads. */
export interface IpcInvokeEventLike {
  /** null when the frame navigated away or was destroyed before the message was handled. */
  readonly senderFrame: SenderFrameLike | null | undefined;
}

/** The part of Electron's `ipcMain` used to register and drop the call channels. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export type IpcCallHandler = (event: IpcInvokeEventLike, name: string, input: unknown) => Promise<CallResult>;

export function senderInfo(event: IpcInvokeEventLike | null | undefined): SenderInfo | null {
  const frame = event?.senderFrame;
  if (!frame || typeof frame.url !== 'string') return null;
  return { url: frame.url, isTopFrame: frame.parent === null };
}

export interface IpcCallHandlerOptions {
  /** Told about every refused sender (main logs it); never sees the payload. */
  onRejectedSender?: (name: string, sender: SenderInfo | null) => void;
}

/**
 * The function behind every call channel: sender check, then the dispatcher. Always resolves to a
 * CallResult; nothing thrown crosses the IPC boundary.
 */
export function createIpcCallHandler(
  dispatch: Dispatch,
  origin: string,
  options: IpcCallHandlerOptions = {},
): IpcCallHandler {
  return async (event, name, input) => {
    const sender = senderInfo(event);
    if (!isTrustedSender(sender, origin)) {
      options.onRejectedSender?.(name, sender);
      return {
        ok: false,
        error: {
          code: 'forbidden_sender',
          message: `Call ${name} refused: only the AUTOBOT window's top-level page on ${origin} may call the core.`,
        },
      };
    }
    try {
      return await dispatch(name, input);
    } catch {
      // The dispatcher shapes its own errors; this only guards the boundary against a broken one.
      return { ok: false, error: { code: 'internal', message: `${name} failed unexpectedly.` } };
    }
  };
}

/**
 * Registers one channel per call name (default: every declared call) and returns the function that
 * removes them. The channel fixes the name; the renderer sends only the input.
 */
export function registerIpcCalls(
  ipcMain: IpcMainLike,
  handler: IpcCallHandler,
  names: readonly string[] = callNames,
): () => void {
  const channels = names.map((name) => {
    const channel = callChannel(name);
    ipcMain.handle(channel, (event, input) => handler(event, name, input));
    return channel;
  });
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
