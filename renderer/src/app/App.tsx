// The shell: navigation for every page (free pages always open; the others locked until a licence
// or the trial allows them), and the warning banner a development host with a trusted test key
// must show on every screen.
import { useEffect, useState } from 'react';
import { api } from '../api/client.ts';
import { Button } from '../components/form.tsx';
import { KeychainNotice } from '../components/KeychainNotice.tsx';
import { Notice } from '../components/Notice.tsx';
import { AccountPage } from '../pages/AccountPage.tsx';
import { BacktestPage } from '../pages/BacktestPage.tsx';
import { BotsPage } from '../pages/BotsPage.tsx';
import { ChartPage } from '../pages/ChartPage.tsx';
import { DashboardPage } from '../pages/DashboardPage.tsx';
import { LicensePage } from '../pages/LicensePage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { OptimizerPage } from '../pages/OptimizerPage.tsx';
import { PlaceholderPage } from '../pages/PlaceholderPage.tsx';
import { RlPage } from '../pages/RlPage.tsx';
import { RiskPage } from '../pages/RiskPage.tsx';
import { RiskBanner } from '../components/RiskBanner.tsx';
import { SettingsPage } from '../pages/SettingsPage.tsx';
import { MacroPage } from '../pages/MacroPage.tsx';
import { SentimentPage } from '../pages/SentimentPage.tsx';
import { ShopifyPage } from '../pages/ShopifyPage.tsx';
import { TechPage } from '../pages/TechPage.tsx';
import { canUse, planLabel, unlockHint, useLicense } from '../stores/license-store.ts';
import { useNavigation } from '../stores/navigation-store.ts';
import { useSeries } from '../stores/series-store.ts';
import { findPage, pages, type PageId, type PageInfo } from './pages.ts';

function PageContent({ page }: { page: PageInfo }) {
  switch (page.id as PageId) {
    case 'dashboard':
      return <DashboardPage />;
    case 'chart':
      return <ChartPage />;
    case 'backtest':
      return <BacktestPage />;
    case 'optimizer':
      return <OptimizerPage />;
    case 'bots':
      return <BotsPage />;
    case 'account':
      return <AccountPage />;
    case 'risk':
      return <RiskPage />;
    case 'settings':
      return <SettingsPage />;
    case 'license':
      return <LicensePage />;
    case 'rl':
      return <RlPage />;
    case 'sentiment':
      return <SentimentPage />;
    case 'macro':
      return <MacroPage />;
    case 'tech':
      return <TechPage />;
    case 'shopify':
      return <ShopifyPage />;
    default:
      return <PlaceholderPage page={page} />;
  }
}

function Navigation({ onNavigate }: { onNavigate(): void }) {
  const { page: shown, missing, go } = useNavigation();
  // On "page not found" no page is the current one.
  const current = missing === null ? shown : null;
  const status = useLicense((state) => state.status);
  return (
    <nav aria-label="Pages" className="flex flex-col gap-0.5 p-2">
      {pages.map((page) => {
        const disabled = !canUse(status, page.access);
        return (
          <button
            key={page.id}
            type="button"
            data-testid={`nav-${page.id}`}
            aria-current={current === page.id ? 'page' : undefined}
            aria-disabled={disabled}
            disabled={disabled}
            title={disabled ? unlockHint(page.access) : undefined}
            onClick={() => {
              go(page.id);
              onNavigate();
            }}
            className={`flex items-center justify-between rounded-md px-3 py-1.5 text-left text-sm ${
              current === page.id ? 'bg-sky-900 text-white' : 'text-slate-300 hover:bg-slate-800'
            } disabled:cursor-not-allowed disabled:text-slate-600 disabled:hover:bg-transparent`}
          >
            <span>{page.title}</span>
            {disabled && (
              <span aria-label="locked" className="text-xs">
                🔒
              </span>
            )}
          </button>
        );
      })}
    </nav>
  );
}

export function App() {
  const { status, loadError, refresh } = useLicense();
  const { page: pageId, missing, go } = useNavigation();
  const refreshSeries = useSeries((state) => state.refresh);
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => api.on('candles.changed', () => void refreshSeries()), [refreshSeries]);

  const page = findPage(pageId) ?? pages[0];
  // Free pages need no licence status at all, so they show even while it loads or if it fails.
  const usable = canUse(status, page.access);
  const locked = status !== null && !usable;

  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <aside className="border-b border-slate-800 bg-slate-900 md:w-52 md:shrink-0 md:border-r md:border-b-0">
        <div className="flex items-center justify-between px-4 py-3">
          <span className="flex flex-col">
            <span className="font-bold tracking-widest text-sky-400">AUTOBOT</span>
            <span className="text-xs text-slate-400" data-testid="plan-badge">
              {planLabel(status)}
            </span>
          </span>
          <button
            type="button"
            className="rounded-md border border-slate-700 px-2 py-1 text-sm md:hidden"
            aria-expanded={menuOpen}
            aria-controls="page-navigation"
            data-testid="menu-toggle"
            onClick={() => setMenuOpen((open) => !open)}
          >
            {menuOpen ? 'Close' : 'Menu'}
          </button>
        </div>
        <div id="page-navigation" className={`${menuOpen ? 'block' : 'hidden'} md:block`}>
          <Navigation onNavigate={() => setMenuOpen(false)} />
        </div>
      </aside>
      <main className="flex min-w-0 flex-1 flex-col gap-4 p-3 sm:p-4 lg:p-6">
        {status?.testKeyTrusted && (
          <Notice tone="warning" testId="test-key-banner">
            Development host: a test licence key is trusted. Licences signed with it are not genuine.
          </Notice>
        )}
        {loadError && <Notice tone="error">The core did not answer: {loadError}</Notice>}
        <RiskBanner />
        <h1 className="text-xl font-semibold" data-testid="page-title">
          {missing === null ? page.title : 'Page not found'}
        </h1>
        {missing !== null ? <NotFoundPage route={missing} /> : usable && <PageContent page={page} />}
        {/* Without a keychain no trial or licence can be kept: say why before offering them. */}
        {missing === null && locked && <KeychainNotice />}
        {missing === null && locked && (
          <Notice tone="info" testId="page-locked">
            <span className="flex flex-wrap items-center gap-3">
              {unlockHint(page.access)}
              <Button tone="secondary" onClick={() => go('license')}>
                Open the License page
              </Button>
            </span>
          </Notice>
        )}
      </main>
    </div>
  );
}
