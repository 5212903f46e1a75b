// IPC channel names shared by main and the preload. Imports nothing: the sandboxed preload may only
// bundle code that needs no Node built-ins.

export const callChannelPrefix = 'autobot:call:';

/** Core events go to every window on this channel as (name, payload). */
export const eventChannel = 'autobot:event';

/** Each declared call has its own channel; the channel fixes the name, the renderer sends only the input. */
export function callChannel(name: string): string {
  return `${callChannelPrefix}${name}`;
}
