// The current page lives in the URL hash (#/chart) so reloads and the browser's back button work
// in the headless UI, and Electron needs no router. A hash naming no page is kept as `missing`, so
// the shell shows "page not found" instead of quietly showing some other page.
import { create } from 'zustand';
import { findPage, type PageId } from '../app/pages.ts';

type Route = { page: PageId; missing: null } | { page: null; missing: string };

/** The document is the app's entry ("/", "/index.html", or a folder a proxy serves it under). */
export function atEntryPath(): boolean {
  const pathname = window.location.pathname;
  return pathname.endsWith('/') || pathname.endsWith('/index.html');
}

function routeOfHash(): Route | null {
  // The headless host answers any path with the app; a path is no route (pages live in the hash).
  if (!atEntryPath()) return { page: null, missing: decodeURIComponent(window.location.pathname) };
  const id = decodeURIComponent(window.location.hash.replace(/^#\/?/, ''));
  if (id === '') return null;
  const page = findPage(id)?.id as PageId | undefined;
  return page ? { page, missing: null } : { page: null, missing: id };
}

interface NavigationState {
  page: PageId;
  /** The route the URL names when it is no page (shown as "page not found"); null otherwise. */
  missing: string | null;
  go(page: PageId): void;
}

function initialState(): Pick<NavigationState, 'page' | 'missing'> {
  const route = routeOfHash();
  return { page: route?.page ?? 'dashboard', missing: route?.missing ?? null };
}

export const useNavigation = create<NavigationState>((set) => ({
  ...initialState(),
  go(page) {
    if (window.location.hash !== `#/${page}`) window.location.hash = `#/${page}`;
    set({ page, missing: null });
  },
}));

window.addEventListener('hashchange', () => {
  const route = routeOfHash();
  if (route === null) useNavigation.setState({ page: 'dashboard', missing: null });
  else if (route.page) useNavigation.setState({ page: route.page, missing: null });
  else useNavigation.setState({ missing: route.missing });
});
