// What a URL naming no page shows (a typo, an old bookmark): say so, and offer the way home,
// rather than a blank screen or a different page that looks like the wrong answer.
import { Card } from '../components/Card.tsx';
import { atEntryPath, useNavigation } from '../stores/navigation-store.ts';

export function NotFoundPage({ route }: { route: string }) {
  const go = useNavigation((state) => state.go);
  return (
    <Card title="Page not found">
      <div className="flex flex-col gap-3 text-sm text-slate-300" data-testid="not-found">
        <p>
          There is no page called <code className="text-slate-100">{route}</code> in AUTOBOT.
        </p>
        <p>
          <a
            href="./#/dashboard"
            className="text-sky-400 underline hover:text-sky-300"
            data-testid="not-found-home"
            onClick={(event) => {
              // A wrong hash is fixed in place; a wrong path needs the browser to load the entry.
              if (!atEntryPath()) return;
              event.preventDefault();
              go('dashboard');
            }}
          >
            Go to the Dashboard
          </a>
        </p>
      </div>
    </Card>
  );
}
