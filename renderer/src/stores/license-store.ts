// The licence decides whether anything but the License and Settings pages may be used. The core
// enforces that on every call; this store only mirrors it so the navigation can show the lock.
import { create } from 'zustand';
import type { LicenseStatusJson } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';

interface LicenseState {
  status: LicenseStatusJson | null;
  loadError: string | null;
  refresh(): Promise<void>;
  set(status: LicenseStatusJson): void;
}

export const useLicense = create<LicenseState>((set) => ({
  status: null,
  loadError: null,
  async refresh() {
    try {
      set({ status: await api.call('license.status', {}), loadError: null });
    } catch (error) {
      set({ loadError: describeError(error) });
    }
  },
  set(status) {
    set({ status, loadError: null });
  },
}));

export function isLicensed(status: LicenseStatusJson | null): boolean {
  return status?.state === 'valid';
}
