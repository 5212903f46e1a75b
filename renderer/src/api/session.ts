// Whether the headless server has refused us for want of its token (401): the UI then shows how to
// log in instead of pages full of errors. Electron never sets it: the preload bridge needs no token.
type Listener = () => void;

let loggedOut = false;
const listeners = new Set<Listener>();

export const session = {
  isLoggedOut: () => loggedOut,
  markLoggedOut(): void {
    if (loggedOut) return;
    loggedOut = true;
    for (const listener of listeners) listener();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
