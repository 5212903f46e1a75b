// Every order router of the running app, in one list, so an account-wide action (the kill switch)
// reaches every bot on every venue without knowing who made them. Whoever makes a router for the
// app — a paper bot, a live bot, a manual-order panel — registers it here and unregisters it when
// it stops; the app's risk (core/app/account-risk.ts) makes and registers routers in one step.
import type { OrderRouter } from './order-router.ts';

export class RouterRegistry {
  private readonly routers = new Set<OrderRouter>();

  /** Adds a router; returns the function that removes it. */
  register(router: OrderRouter): () => void {
    this.routers.add(router);
    return () => this.routers.delete(router);
  }

  /** Every registered router, in registration order. */
  list(): OrderRouter[] {
    return [...this.routers];
  }
}
