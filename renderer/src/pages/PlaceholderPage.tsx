import type { PageInfo } from '../app/pages.ts';
import { Card } from '../components/Card.tsx';

/** A page the product will have but this build does not yet: says so plainly. */
export function PlaceholderPage({ page }: { page: PageInfo }) {
  return (
    <Card title={page.title}>
      <p className="text-sm text-slate-300" data-testid="page-not-built">
        This page is not built yet. It will hold: {page.arrives}
      </p>
    </Card>
  );
}
