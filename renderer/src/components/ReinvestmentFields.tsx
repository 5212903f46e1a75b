// The five numbers of a reinvestment policy, as the Backtest form's "Reinvest profits" section and
// the Bots page's Reinvestment card both edit them. Shares are typed as percentages and sent as
// fractions; the core checks the values and names the field it refuses (reinvestment.cap, …).
import type { CallInput } from '../../../core/contract/calls.ts';
import { Field, TextInput } from './form.tsx';

export type ReinvestmentPolicyInput = NonNullable<CallInput<'bots.setReinvestment'>['reinvestment']>;

/** The policy as the user types it: money as is, shares in percent. */
export interface ReinvestmentText {
  baseBudget: string;
  reinvestShare: string;
  cap: string;
  drawdownThreshold: string;
  derisk: string;
}

export const initialReinvestmentText: ReinvestmentText = {
  baseBudget: '2000',
  reinvestShare: '50',
  cap: '5000',
  drawdownThreshold: '20',
  derisk: '50',
};

/** A number as typed; empty or not a number becomes NaN, which the core refuses by field name. */
const typed = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));
/** Percent to fraction without float noise: 7 % is 0.07, not 0.07000000000000001. */
const fraction = (text: string) => Number((typed(text) / 100).toPrecision(12));
const percent = (value: number) => String(Number((value * 100).toPrecision(12)));

export function policyOfText(text: ReinvestmentText): ReinvestmentPolicyInput {
  return {
    baseBudget: typed(text.baseBudget),
    reinvestShare: fraction(text.reinvestShare),
    cap: typed(text.cap),
    drawdownThreshold: fraction(text.drawdownThreshold),
    derisk: fraction(text.derisk),
  };
}

export function textOfPolicy(policy: {
  baseBudget: number;
  reinvestShare: number;
  cap: number;
  drawdownThreshold: number;
  derisk: number;
}): ReinvestmentText {
  return {
    baseBudget: String(policy.baseBudget),
    reinvestShare: percent(policy.reinvestShare),
    cap: String(policy.cap),
    drawdownThreshold: percent(policy.drawdownThreshold),
    derisk: percent(policy.derisk),
  };
}

/** One sentence for people: what the policy does to the next entry. */
export function describePolicy(policy: ReinvestmentPolicyInput): string {
  const p = (value: number | undefined) => `${percent(value ?? 0)} %`;
  return (
    `Each entry spends ${policy.baseBudget} plus ${p(policy.reinvestShare)} of realised profit, at most ${policy.cap}; ` +
    `cut by ${p(policy.derisk)} while closed-trade drawdown is over ${p(policy.drawdownThreshold)}.`
  );
}

const fields: { key: keyof ReinvestmentText; label: string; hint: string }[] = [
  { key: 'baseBudget', label: 'Base budget', hint: 'money per entry before any profit' },
  { key: 'reinvestShare', label: 'Profit reinvested (%)', hint: 'losses take the same share off' },
  { key: 'cap', label: 'Cap', hint: 'the budget never exceeds it' },
  { key: 'drawdownThreshold', label: 'Drawdown threshold (%)', hint: 'of closed-trade equity from its peak' },
  { key: 'derisk', label: 'Cut in drawdown (%)', hint: 'while drawdown is over the threshold' },
];

export function ReinvestmentFields({
  value,
  onChange,
  testId,
  disabled = false,
}: {
  value: ReinvestmentText;
  onChange(value: ReinvestmentText): void;
  /** Prefix of each input's test id: `${testId}-baseBudget`, … */
  testId: string;
  disabled?: boolean;
}) {
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {fields.map(({ key, label, hint }) => (
        <Field key={key} label={label} hint={hint}>
          <TextInput
            inputMode="decimal"
            value={value[key]}
            disabled={disabled}
            data-testid={`${testId}-${key}`}
            onChange={(event) => onChange({ ...value, [key]: event.target.value })}
          />
        </Field>
      ))}
    </div>
  );
}
