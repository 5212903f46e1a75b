// Every order router of the running app, in one list, so an account-wide action (the kill switch)
// reaches every bot on every venue without knowing who made them. Whoever makes a router for the
// app — a paper bot, a live bot, a manual-order panel — registers it here and unregisters it when
// it stops; the app's risk (core/app/account-risk.ts) makes and registers routers in one step.
import type { OrderRouter } from './order-router.ts';

/**
 * What the kill switch needs of a router. A paper bot registers its router wrapped, so the closing
 * orders fill on its simulated venue at once (core/bots/runner-engine.ts).
 */
export type Flattener = Pick<OrderRouter, 'flattenAll'>;

export class RouterRegistry {
  private readonly routers = new Set<Flattener>();

  /** Adds a router; returns the function that removes it. */
  register(router: Flattener): () => void {
    this.routers.add(router);
    return () => this.routers.delete(router);
  }

  /** Every registered router, in registration order. */
  list(): Flattener[] {
    return [...this.routers];
  }
}
