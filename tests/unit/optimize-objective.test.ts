// The objective's normalisation edge cases, the minimum trade count, and the ranking order.
import { describe, expect, it } from 'vitest';
import {
  compareScores,
  defaultScore,
  normalisedDrawdown,
  normalisedProfitFactor,
  normalisedWinRate,
  scoreMetrics,
  type ScoredMetrics,
} from '../../core/optimize/objective.ts';

const metrics = (overrides: Partial<ScoredMetrics> = {}): ScoredMetrics => ({
  trades: 20,
  profitFactor: 1.5,
  winRatePct: 55,
  maxDrawdownPct: -10,
  returnPct: 12,
  sharpe: 1.1,
  calmar: 0.8,
  ...overrides,
});

describe('normalisation', () => {
  it('caps the profit factor at 3', () => {
    expect(normalisedProfitFactor(0, 0)).toBe(0);
    expect(normalisedProfitFactor(1.5, 50)).toBe(0.5);
    expect(normalisedProfitFactor(3, 50)).toBe(1);
    expect(normalisedProfitFactor(12, 50)).toBe(1);
  });

  it('scores an undefined profit factor (no losing trade) 1 with wins, 0 without', () => {
    expect(normalisedProfitFactor(null, 100)).toBe(1);
    expect(normalisedProfitFactor(null, 0)).toBe(0);
    expect(normalisedProfitFactor(null, null)).toBe(0);
  });

  it('takes the win rate as a fraction', () => {
    expect(normalisedWinRate(55)).toBeCloseTo(0.55, 15);
    expect(normalisedWinRate(null)).toBe(0);
    expect(normalisedWinRate(100)).toBe(1);
  });

  it('falls linearly from 1 at no drawdown to 0 at 50 % and beyond', () => {
    expect(normalisedDrawdown(0)).toBe(1);
    expect(normalisedDrawdown(-25)).toBe(0.5);
    expect(normalisedDrawdown(-50)).toBe(0);
    expect(normalisedDrawdown(-80)).toBe(0);
    expect(normalisedDrawdown(-100)).toBe(0);
  });

  it('weighs 40 % profit factor, 30 % win rate, 30 % drawdown', () => {
    // 0.4 · 0.5 + 0.3 · 0.55 + 0.3 · 0.8
    expect(defaultScore(metrics())).toBeCloseTo(0.2 + 0.165 + 0.24, 12);
    expect(defaultScore(metrics({ profitFactor: null, winRatePct: 100, maxDrawdownPct: 0 }))).toBe(1);
    expect(defaultScore(metrics({ profitFactor: 0, winRatePct: 0, maxDrawdownPct: -60 }))).toBe(0);
  });
});

describe('objectives and the minimum trade count', () => {
  it('scores 0 and unqualified below the minimum, qualified from it', () => {
    expect(scoreMetrics(metrics({ trades: 9 }), 'default', 10)).toEqual({ score: 0, qualified: false });
    expect(scoreMetrics(metrics({ trades: 10 }), 'default', 10).qualified).toBe(true);
    expect(scoreMetrics(metrics({ trades: 0 }), 'return', 0)).toEqual({ score: 12, qualified: true });
  });

  it('reads return, Sharpe and Calmar as they are, undefined as 0', () => {
    expect(scoreMetrics(metrics(), 'return', 10).score).toBe(12);
    expect(scoreMetrics(metrics(), 'sharpe', 10).score).toBe(1.1);
    expect(scoreMetrics(metrics(), 'calmar', 10).score).toBe(0.8);
    expect(scoreMetrics(metrics({ sharpe: null }), 'sharpe', 10).score).toBe(0);
    expect(scoreMetrics(metrics({ calmar: null }), 'calmar', 10).score).toBe(0);
  });

  it('ranks a set that never traded below every qualified set, even losing ones', () => {
    const idle = scoreMetrics(metrics({ trades: 0, returnPct: 0 }), 'return', 10);
    const losing = scoreMetrics(metrics({ returnPct: -30 }), 'return', 10);
    const winning = scoreMetrics(metrics({ returnPct: 5 }), 'return', 10);
    const ranked = [idle, losing, winning].sort(compareScores);
    expect(ranked).toEqual([winning, losing, idle]);
  });
});
