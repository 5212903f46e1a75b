// What the Backtest form holds, kept outside the form so another page can fill it: "Backtest the
// best set" on the Optimizer page writes the set, the series and the costs it ran here, and the
// form shows exactly what is backtested. Values are the text the user sees; the core validates them.
import { create } from 'zustand';
import { backtestDefaults, reinvestmentDefaults } from '../../../core/contract/defaults.ts';
import type { CallInput } from '../../../core/contract/calls.ts';
import {
  initialReinvestmentText,
  textOfPolicy,
  type ReinvestmentText,
} from '../components/ReinvestmentFields.tsx';

type Spec = CallInput<'backtest.run'>['spec'];
export type SizingMode = 'all-in' | 'fraction' | 'fixed' | 'risk';

export interface BacktestDraft {
  /** `symbol|timeframe` of the chosen stored series; '' = the first one. */
  series: string;
  /** The period to run over, as typed (UTC, YYYY-MM-DD [HH:MM]); '' = from the first / to the last bar. */
  from: string;
  to: string;
  /** '' = the first strategy. */
  strategy: string;
  /** Parameter text by name; a missing name shows the strategy's default. */
  params: Record<string, string>;
  cash: string;
  commission: string;
  fixedFee: string;
  slippage: string;
  lotSize: string;
  sizing: SizingMode;
  /** The fraction, quantity or risk fraction of the chosen sizing mode. */
  sizingAmount: string;
  closeAtEnd: boolean;
  /** Apply the circuit breakers (the Risk page's settings; the defaults without a licence). Off by default. */
  breakers: boolean;
  /** Size entries by a reinvestment policy instead of the sizing above. Off by default. */
  reinvest: boolean;
  reinvestment: ReinvestmentText;
}

export const initialDraft: BacktestDraft = {
  series: '',
  from: '',
  to: '',
  strategy: '',
  params: {},
  cash: String(backtestDefaults.cash),
  commission: String(backtestDefaults.commission),
  fixedFee: String(backtestDefaults.fixedFee),
  slippage: String(backtestDefaults.slippage),
  lotSize: String(backtestDefaults.lotSize),
  sizing: backtestDefaults.sizing.mode,
  sizingAmount: '0.5',
  closeAtEnd: backtestDefaults.closeAtEnd,
  breakers: false,
  reinvest: false,
  reinvestment: initialReinvestmentText,
};

/** The form's values for a spec the core already accepted (an optimisation's best set). */
export function draftOfSpec(
  spec: Required<Omit<Spec, 'params' | 'breakers' | 'reinvestment'>> & {
    params: Record<string, number>;
    breakers?: unknown;
    reinvestment?: Spec['reinvestment'];
  },
) {
  const sizing = spec.sizing;
  const amount =
    sizing.mode === 'fraction'
      ? sizing.fraction
      : sizing.mode === 'fixed'
        ? sizing.quantity
        : sizing.mode === 'risk'
          ? sizing.riskFraction
          : null;
  return {
    strategy: spec.strategy,
    params: Object.fromEntries(Object.entries(spec.params).map(([name, value]) => [name, String(value)])),
    cash: String(spec.cash),
    commission: String(spec.commission),
    fixedFee: String(spec.fixedFee),
    slippage: String(spec.slippage),
    lotSize: String(spec.lotSize),
    sizing: sizing.mode,
    sizingAmount: amount === null ? initialDraft.sizingAmount : String(amount),
    closeAtEnd: spec.closeAtEnd,
    breakers: spec.breakers !== undefined,
    reinvest: spec.reinvestment !== undefined,
    reinvestment:
      spec.reinvestment === undefined
        ? initialReinvestmentText
        : textOfPolicy({ ...reinvestmentDefaults, ...spec.reinvestment }),
  } satisfies Omit<BacktestDraft, 'series' | 'from' | 'to'>;
}

interface DraftState {
  draft: BacktestDraft;
  change(values: Partial<BacktestDraft>): void;
}

export const useBacktestDraft = create<DraftState>((set) => ({
  draft: initialDraft,
  change: (values) => set((state) => ({ draft: { ...state.draft, ...values } })),
}));
