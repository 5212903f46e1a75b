// The Account page's "Sandbox / testnet" choice, per exchange. Kept in a store rather than in the
// page so it survives leaving the page and coming back, and Test connection, Reconcile and
// Acknowledge all send the one value the box shows.
import { create } from 'zustand';

interface ExchangeSandboxState {
  /** Exchange id → the box is ticked; a missing id is off (the live network). */
  chosen: Record<string, boolean>;
  choose(exchange: string, sandbox: boolean): void;
}

export const useExchangeSandbox = create<ExchangeSandboxState>((set) => ({
  chosen: {},
  choose(exchange, sandbox) {
    set((state) => ({ chosen: { ...state.chosen, [exchange]: sandbox } }));
  },
}));
