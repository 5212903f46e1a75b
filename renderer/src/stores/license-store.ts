// What the licence, the trial or the free tier allows, mirrored from the core so the navigation
// can show what is locked and the License page what is in effect. The core enforces it on every
// call; nothing here is a check that matters for security.
import { create } from 'zustand';
import type { CallAccess } from '../../../core/contract/access.ts';
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

/** Free is always open; the rest needs a licence or the running trial, and features a licence (or trial) that has them. */
export function canUse(status: LicenseStatusJson | null, access: CallAccess): boolean {
  if (access === 'free') return true;
  if (!status || status.tier === 'free') return false;
  return access === 'licensed' || status.features.includes(access.feature);
}

/** What unlocks a page, in a sentence. */
export function unlockHint(access: CallAccess): string {
  if (access === 'free') return '';
  if (access === 'licensed') return 'Start the 14-day trial or install a licence to unlock this page.';
  return `This page needs a licence that includes "${access.feature}".`;
}

/** "Free", "Trial · 12 days left" or the licence's plan: one line for the navigation. */
export function planLabel(status: LicenseStatusJson | null): string {
  if (!status) return '';
  if (status.tier === 'trial' && status.trial.state === 'active') {
    return `Trial · ${status.trial.daysLeft} ${status.trial.daysLeft === 1 ? 'day' : 'days'} left`;
  }
  return status.tier === 'free' ? 'Free' : status.plan;
}
