// shopify.recordBudget / shopify.budgetLedger: the Shopify page's reinvestment share of a finished
// month, recorded in the ledger. The amount is shopify.revenue's own answer for that month, so the
// ledger says what the page said.
import type { Handlers } from '../contract/dispatch.ts';
import { AutobotError } from '../domain/autobot-error.ts';
import type { Database } from '../storage/database.ts';
import { BudgetLedger } from '../storage/reinvestment-budget-repository.ts';

type BudgetHandlers = Pick<Handlers, 'shopify.recordBudget' | 'shopify.budgetLedger'>;

function refuse(code: 'invalid_input' | 'conflict', path: string, message: string): never {
  throw new AutobotError(code, message, { issues: [{ path, message }] });
}

/** First and last day of a YYYY-MM month, and the first day after it, as YYYY-MM-DD (UTC). */
function monthDays(month: string): { from: string; to: string; next: string } {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return {
    from: `${month}-01`,
    to: day(new Date(Date.UTC(year, number, 0))),
    next: day(new Date(Date.UTC(year, number, 1))),
  };
}

export function reinvestmentBudgetHandlers(deps: {
  db: Database;
  revenue: Handlers['shopify.revenue'];
  now?: () => number;
}): BudgetHandlers {
  const ledger = new BudgetLedger(deps.db);
  const now = deps.now ?? Date.now;
  return {
    'shopify.recordBudget': async (input) => {
      const { from, to, next } = monthDays(input.month);
      const today = new Date(now()).toISOString().slice(0, 10);
      // A month still under way would record part of its revenue as if it were all of it.
      if (today < next)
        refuse(
          'invalid_input',
          'month',
          `${input.month} has not ended yet: record it from ${next} (UTC), when its revenue is complete.`,
        );
      const recorded = ledger.get(input.month);
      if (recorded !== null && !input.replace)
        refuse(
          'conflict',
          'month',
          `${input.month} is already recorded (${recorded.amount} ${recorded.currency} set aside on ${recorded.recordedAt.slice(0, 10)}): record it again with replace to change it.`,
        );
      const answer = await deps.revenue({ from, to, reinvestPct: input.reinvestPct });
      if (answer.demo)
        refuse(
          'invalid_input',
          '',
          'Shopify runs on demo data (no store token saved), and demo revenue is never recorded: save the store’s domain and Admin API token on the Shopify page first.',
        );
      const entry = {
        month: input.month,
        revenue: answer.total,
        orders: answer.orders,
        currency: answer.currency,
        reinvestPct: input.reinvestPct,
        amount: answer.reinvest,
        recordedAt: new Date(now()).toISOString(),
      };
      ledger.record(entry);
      return { entry };
    },
    'shopify.budgetLedger': () => ({ entries: ledger.list() }),
  };
}
