// The multi-symbol account: positions, average prices, PnL and fees that add up, and a visible
// "ruined" state instead of equity silently below zero.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountPortfolio, type PortfolioFill } from '../../core/portfolio/account-portfolio.ts';
import { Portfolio } from '../../core/portfolio/portfolio.ts';

const fill = (
  symbol: string,
  side: 'buy' | 'sell',
  quantity: number,
  price: number,
  fee = 0,
  time = 0,
): PortfolioFill => ({
  symbol,
  side,
  quantity,
  price,
  fee,
  time,
});

describe('AccountPortfolio', () => {
  it('keeps a position per symbol with its average price, realised and unrealised PnL and fees', () => {
    const account = new AccountPortfolio(10_000);
    account.applyFill(fill('GOOG', 'buy', 10, 100, 1));
    account.applyFill(fill('GOOG', 'buy', 10, 110, 1));
    account.applyFill(fill('EURUSD', 'sell', 1000, 1.1, 0.5));
    account.applyFill(fill('GOOG', 'sell', 5, 120, 1));
    account.mark('EURUSD', 1.05, 0);
    const [goog, eurusd] = account.positions();
    expect(goog).toMatchObject({ quantity: 15, averagePrice: 105, realisedPnl: 75, fees: 2 + 1 });
    expect(eurusd!.quantity).toBe(-1000);
    expect(account.unrealisedPnl).toBeCloseTo(15 * 15 + 50, 9);
    expect(account.equity).toBeCloseTo(10_000 + 75 + 275 - 3.5, 9);
  });

  it('flips a position through zero at the fill price', () => {
    const account = new AccountPortfolio(10_000);
    account.applyFill(fill('GOOG', 'buy', 10, 100));
    account.applyFill(fill('GOOG', 'sell', 15, 90));
    expect(account.positions()[0]).toMatchObject({ quantity: -5, averagePrice: 90, realisedPnl: -100 });
  });

  it('turns ruined, once, when equity reaches zero, and refuses new openings from then on', () => {
    const account = new AccountPortfolio(1_000);
    const ruins: unknown[] = [];
    account.onRuin((ruin) => ruins.push(ruin));
    account.applyFill(fill('BTC', 'sell', 1, 900, 0, 1));
    account.mark('BTC', 1_800, 2);
    expect(account.status).toBe('active');
    account.mark('BTC', 1_900, 3);
    expect(account.status).toBe('ruined');
    expect(account.canOpen).toBe(false);
    expect(account.ruin).toEqual({ at: 3, equity: 1_000 + 900 - 1_900, cause: 'mark' });
    account.mark('BTC', 5_000, 4);
    account.applyFill(fill('BTC', 'buy', 1, 5_000, 0, 5));
    expect(ruins).toHaveLength(1);
    expect(account.equity).toBe(-3_100);
  });

  it('adds up: equity = start + realised + unrealised − fees, on any fills and marks (property)', () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('fill' as const),
        symbol: fc.constantFrom('A', 'B', 'C'),
        side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        quantity: fc.integer({ min: 1, max: 50 }),
        price: fc.integer({ min: 1, max: 10_000 }).map((cents) => cents / 100),
        fee: fc.integer({ min: 0, max: 100 }).map((cents) => cents / 100),
      }),
      fc.record({
        kind: fc.constant('mark' as const),
        symbol: fc.constantFrom('A', 'B', 'C'),
        price: fc.integer({ min: 1, max: 10_000 }).map((cents) => cents / 100),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const account = new AccountPortfolio(1_000_000);
        for (const s of steps) {
          if (s.kind === 'fill') account.applyFill(fill(s.symbol, s.side, s.quantity, s.price, s.fee));
          else account.mark(s.symbol, s.price, 0);
        }
        const expected = account.startingCash + account.realisedPnl + account.unrealisedPnl - account.fees;
        expect(account.equity).toBeCloseTo(expected, 6);
        for (const p of account.positions()) if (p.quantity === 0) expect(p.averagePrice).toBeNaN();
      }),
    );
  });

  it('books cash exactly as the backtest portfolio does, fill for fill (property)', () => {
    const fills = fc.array(
      fc.record({
        side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
        lots: fc.integer({ min: 1, max: 40 }),
        price: fc.integer({ min: 1, max: 10_000 }).map((cents) => cents / 100),
        fee: fc.integer({ min: 0, max: 300 }).map((cents) => cents / 100),
      }),
      { maxLength: 40 },
    );
    fc.assert(
      fc.property(fills, (list) => {
        const account = new AccountPortfolio(100_000);
        const backtest = new Portfolio(100_000, 1);
        for (const f of list) {
          account.applyFill(fill('GOOG', f.side, f.lots, f.price, f.fee));
          backtest.applyFill(f.side === 'buy' ? 1 : -1, f.lots, f.price, f.fee, 0, 'signal');
        }
        expect(account.cash).toBe(backtest.cash);
        expect(account.positions()[0]?.quantity ?? 0).toBe(backtest.quantity);
        if (backtest.lots !== 0)
          expect(account.positions()[0]!.averagePrice).toBeCloseTo(backtest.entryPrice, 9);
        // The backtest's realised PnL is per closed trade, net of its entry and exit fees.
        const entryFeesOpen = backtest.entryFees;
        expect(account.realisedPnl - (account.fees - entryFeesOpen)).toBeCloseTo(backtest.realisedPnl, 6);
      }),
    );
  });
});
