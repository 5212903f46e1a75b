// Where the core keeps secrets and whether it can right now. Pages that need a secret (API keys,
// the licence) read it to show "the system keychain is not available" and the fix, instead of
// failing; every other page ignores it and keeps working.
import { create } from 'zustand';
import type { SecretsStatusJson } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';

interface SecretsState {
  status: SecretsStatusJson | null;
  loadError: string | null;
  refresh(): Promise<void>;
}

export const useSecrets = create<SecretsState>((set) => ({
  status: null,
  loadError: null,
  async refresh() {
    try {
      set({ status: await api.call('secrets.status', {}), loadError: null });
    } catch (error) {
      set({ loadError: describeError(error) });
    }
  },
}));
