// A bot's reinvestment policy on its page: what it is, and an editor. A bot that has not run yet
// takes the policy itself (bots.setReinvestment); one that has run keeps the sizing its journaled
// orders were sent with (a restart re-derives them), so the editor makes a duplicate with the
// policy instead, which starts from the beginning.
import { useState } from 'react';
import { api, describeError } from '../api/client.ts';
import { useBots, type BotSummary } from '../stores/bots-store.ts';
import { Card } from './Card.tsx';
import { Button } from './form.tsx';
import { Notice } from './Notice.tsx';
import {
  describePolicy,
  initialReinvestmentText,
  policyOfText,
  ReinvestmentFields,
  textOfPolicy,
} from './ReinvestmentFields.tsx';

/** Keyed by the bot and its policy where it is shown (BotsPage), so another bot or a saved policy starts the editor afresh. */
export function BotReinvestmentCard({ bot }: { bot: BotSummary }) {
  const policy = bot.definition.reinvestment;
  const [on, setOn] = useState(policy !== undefined);
  const [text, setText] = useState(policy ? textOfPolicy(policy) : initialReinvestmentText);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const editable = bot.bars === 0 && bot.status !== 'running';
  const work = async (action: () => Promise<void>) => {
    setBusy(true);
    try {
      await action();
      setProblem(null);
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    work(async () => {
      await api.call('bots.setReinvestment', { id: bot.id, reinvestment: on ? policyOfText(text) : null });
      await useBots.getState().refresh();
    });
  const duplicate = () =>
    work(async () => {
      const { bot: copy } = await api.call('bots.duplicate', {
        id: bot.id,
        overrides: { reinvestment: policyOfText(text), name: `${bot.name} (reinvesting)`.slice(0, 80) },
      });
      await useBots.getState().refresh();
      await useBots.getState().select(copy.id);
    });

  return (
    <Card title="Reinvestment">
      <p className="mb-3 text-sm text-slate-300" data-testid="bot-reinvestment-summary">
        {policy ? describePolicy(policy) : 'Off: entries are sized by the bot’s position sizing.'}
      </p>
      <label className="mb-3 flex items-center gap-2 text-xs text-slate-300">
        <input
          type="checkbox"
          checked={on}
          data-testid="bot-reinvest"
          onChange={(e) => setOn(e.target.checked)}
        />
        Reinvest profits
      </label>
      {on && <ReinvestmentFields value={text} onChange={setText} testId="bot-reinvest" />}
      {problem && (
        <Notice tone="error" testId="bot-reinvestment-error">
          {problem}
        </Notice>
      )}
      <div className="mt-3 flex flex-wrap items-center gap-2">
        {editable ? (
          <Button onClick={() => void save()} disabled={busy} data-testid="bot-reinvest-save">
            Save
          </Button>
        ) : (
          <>
            <Button
              onClick={() => void duplicate()}
              disabled={busy || !on}
              data-testid="bot-reinvest-duplicate"
            >
              Duplicate with this policy
            </Button>
            <span className="text-xs text-slate-400">
              This bot has run: its orders were sized as they were; a duplicate starts from the beginning.
            </span>
          </>
        )}
      </div>
    </Card>
  );
}
