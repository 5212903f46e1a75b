import type { StrategyInfoJson } from '../../../core/contract/calls.ts';
import { Field, Select } from './form.tsx';

/** The built-in strategies by title, with the chosen one's description under the list. */
export function StrategyPicker({
  strategies,
  value,
  onChange,
  testId,
}: {
  strategies: StrategyInfoJson[];
  value: StrategyInfoJson | undefined;
  onChange(name: string): void;
  testId: string;
}) {
  return (
    <Field label="Strategy" hint={value?.description}>
      <Select
        value={value?.name ?? ''}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      >
        {strategies.map((candidate) => (
          <option key={candidate.name} value={candidate.name}>
            {candidate.title}
          </option>
        ))}
      </Select>
    </Field>
  );
}
