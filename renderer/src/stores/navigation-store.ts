// The current page lives in the URL hash (#/chart) so reloads and the browser's back button work
// in the headless UI, and Electron needs no router.
import { create } from 'zustand';
import { findPage, type PageId } from '../app/pages.ts';

function pageFromHash(): PageId | null {
  const id = window.location.hash.replace(/^#\/?/, '');
  return (findPage(id)?.id as PageId | undefined) ?? null;
}

interface NavigationState {
  page: PageId;
  go(page: PageId): void;
}

export const useNavigation = create<NavigationState>((set) => ({
  page: pageFromHash() ?? 'dashboard',
  go(page) {
    if (window.location.hash !== `#/${page}`) window.location.hash = `#/${page}`;
    set({ page });
  },
}));

window.addEventListener('hashchange', () => {
  const page = pageFromHash();
  if (page) useNavigation.setState({ page });
});
