// "Run as paper bot": a saved backtest (or an optimisation's best set) becomes a paper bot with the
// same strategy, params, costs and sizing on the same stored series, opened on the Bots page.
import { useState } from 'react';
import type { CallInput } from '../../../core/contract/calls.ts';
import { canUse, unlockHint, useLicense } from '../stores/license-store.ts';
import { useBots } from '../stores/bots-store.ts';
import { useNavigation } from '../stores/navigation-store.ts';
import { Button } from './form.tsx';
import { Notice } from './Notice.tsx';

export function RunAsBotButton({
  source,
  testId = 'run-as-bot',
}: {
  source: CallInput<'bots.createFromRun'>['source'];
  testId?: string;
}) {
  const status = useLicense((state) => state.status);
  const createFromRun = useBots((state) => state.createFromRun);
  const go = useNavigation((state) => state.go);
  const [problem, setProblem] = useState<string | null>(null);
  const allowed = canUse(status, 'licensed');
  return (
    <span className="flex flex-col gap-1">
      <Button
        tone="secondary"
        disabled={!allowed}
        title={allowed ? undefined : unlockHint('licensed')}
        data-testid={testId}
        onClick={() =>
          void createFromRun(source).then((bot) => {
            if (bot) go('bots');
            else setProblem(useBots.getState().error);
          })
        }
      >
        Run as paper bot
      </Button>
      {problem && <Notice tone="error">{problem}</Notice>}
    </span>
  );
}
