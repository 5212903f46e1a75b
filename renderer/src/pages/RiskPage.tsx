// The Risk page (issue #12): the account's state and each breaker's, with a live countdown to each
// trip's expected recovery and a re-arm button; the kill switch behind a confirmation; the journal
// of trips, recoveries and re-arms; and the breakers' settings, checked by the core field by field.
import { useEffect, useState } from 'react';
import type {
  BreakerNameJson,
  BreakerSettingsJson,
  RiskEventJson,
  RiskStateJson,
} from '../../../core/contract/risk-calls.ts';
import { api, CallFailure, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { Countdown } from '../components/Countdown.tsx';
import { Button, Field, Select, TextInput } from '../components/form.tsx';
import { Notice } from '../components/Notice.tsx';
import { useRisk } from '../stores/risk-store.ts';

const stateLabel = { active: 'ACTIVE', reducing: 'REDUCING', halted: 'HALTED' } as const;
const stateTone = {
  active: 'text-emerald-300',
  reducing: 'text-amber-300',
  halted: 'text-red-300',
} as const;

const breakerTitles: Record<string, string> = {
  'daily-loss': 'Daily loss',
  'loss-streak': 'Loss streak (cooldown)',
  volatility: 'Volatility spike',
  'max-drawdown': 'Maximum drawdown',
  'order-rate': 'Order-rate throttle',
  'kill-switch': 'Kill switch',
  reconcile: 'Reconciliation',
};

/** One line per breaker, as docs/risk.md puts it: what trips it and whom it holds. */
const breakerDescriptions: Record<string, string> = {
  'daily-loss':
    'Equity down the limit from the start of the trading day: no new positions until the next day.',
  'loss-streak': 'Losing trades in a row: exits only for the cooldown.',
  volatility: 'A bar moving beyond the limit: entries paused on that symbol until enough calm bars.',
  'max-drawdown': 'Equity down the limit from its peak: halted until you re-arm it.',
  'order-rate': 'Too many orders a second from one bot or on one venue: the excess is refused.',
  'kill-switch': 'You pressed it: everything cancelled and flattened, halted until you re-arm it.',
  reconcile:
    'A venue holds orders or balances the journal cannot explain: exits only until they are acknowledged.',
};

/** Whom a trip holds, and on which clock: a paper bot's trips run on its replay's bars. */
function holds(trip: RiskStateJson['breakers'][number]['trips'][number]): string {
  const whom = trip.scope === 'account' ? 'the account' : `${trip.scope} ${trip.key}`;
  return trip.clock === 'bars' ? `${whom} (on its bars' clock)` : whom;
}

function BreakerName({ name }: { name: string }) {
  return (
    <td className="py-1.5 pr-3" title={breakerDescriptions[name]}>
      {breakerTitles[name] ?? name}
      <span className="block text-xs text-slate-500" data-testid={`breaker-description-${name}`}>
        {breakerDescriptions[name]}
      </span>
    </td>
  );
}

function values(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name} ${Number.isInteger(value) ? value : value.toFixed(2)}`)
    .join(', ');
}

function Breakers({ risk, onRearm }: { risk: RiskStateJson; onRearm(breaker: string, key: string): void }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="risk-breakers">
        <thead className="text-xs text-slate-400">
          <tr>
            <th className="py-1 pr-3">Breaker</th>
            <th className="py-1 pr-3">State</th>
            <th className="py-1 pr-3">Holds</th>
            <th className="py-1 pr-3">Tripped by</th>
            <th className="py-1 pr-3">Recovers</th>
            <th className="py-1" />
          </tr>
        </thead>
        <tbody>
          {risk.breakers.flatMap((breaker) => {
            if (breaker.trips.length === 0) {
              return [
                <tr
                  key={breaker.name}
                  data-testid={`breaker-${breaker.name}`}
                  className="border-t border-slate-800"
                >
                  <BreakerName name={breaker.name} />
                  <td className="py-1.5 pr-3" data-testid={`breaker-state-${breaker.name}`}>
                    {breaker.enabled ? 'ACTIVE' : 'off'}
                  </td>
                  <td className="py-1.5 pr-3 text-slate-500" colSpan={4}>
                    {breaker.enabled ? 'not tripped' : 'disabled in the settings'}
                  </td>
                </tr>,
              ];
            }
            return breaker.trips.map((trip) => (
              <tr
                key={`${breaker.name}:${trip.key}`}
                data-testid={`breaker-${breaker.name}`}
                className="border-t border-slate-800"
              >
                <BreakerName name={breaker.name} />
                <td
                  className={`py-1.5 pr-3 font-semibold ${stateTone[trip.state]}`}
                  data-testid={`breaker-state-${breaker.name}`}
                >
                  {stateLabel[trip.state]}
                </td>
                <td className="py-1.5 pr-3">{holds(trip)}</td>
                <td className="py-1.5 pr-3 text-xs">{values(trip.values)}</td>
                <td className="py-1.5 pr-3">
                  {trip.until !== null ? (
                    <Countdown
                      until={trip.until}
                      barsNow={trip.clock === 'bars' ? trip.now : undefined}
                      testId={`countdown-${breaker.name}`}
                    />
                  ) : (
                    trip.recovery
                  )}
                </td>
                <td className="py-1.5">
                  <Button
                    tone="secondary"
                    data-testid={`rearm-${breaker.name}`}
                    onClick={() => onRearm(breaker.name, trip.key)}
                  >
                    Re-arm
                  </Button>
                </td>
              </tr>
            ));
          })}
        </tbody>
      </table>
    </div>
  );
}

function KillSwitch({ onDone }: { onDone(message: string): void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const press = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.call('risk.killSwitch', {});
      const closed = result.routers.reduce((n, router) => n + router.closed.length, 0);
      const cancelled = result.routers.reduce((n, router) => n + router.cancelled, 0);
      const failures = result.routers.flatMap((router) => router.failures);
      onDone(
        `Kill switch pressed: ${cancelled} open order(s) cancelled, ${closed} position(s) closed across ${result.routers.length} bot(s). Trading is HALTED until you re-arm it.${failures.length > 0 ? ` Could not: ${failures.join('; ')}` : ''}`,
      );
      setConfirming(false);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex flex-col gap-2">
      {!confirming ? (
        <Button tone="danger" data-testid="kill-switch" onClick={() => setConfirming(true)}>
          Kill switch…
        </Button>
      ) : (
        <div
          className="flex flex-col gap-2 rounded-md border border-red-800 bg-red-950 p-3 text-sm"
          data-testid="kill-switch-confirm"
        >
          <span>
            This cancels every open order and closes every position of every bot on every venue now, then
            halts trading until you re-arm the kill switch.
          </span>
          <span className="flex gap-2">
            <Button
              tone="danger"
              disabled={busy}
              data-testid="kill-switch-confirm-button"
              onClick={() => void press()}
            >
              Cancel everything and flatten
            </Button>
            <Button tone="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              Keep trading
            </Button>
          </span>
        </div>
      )}
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}

function History({ events }: { events: RiskEventJson[] }) {
  if (events.length === 0) return <p className="text-sm text-slate-400">No trip yet.</p>;
  return (
    <div className="max-h-96 overflow-auto">
      <table className="w-full text-left text-sm" data-testid="risk-history">
        <thead className="text-xs text-slate-400">
          <tr>
            <th className="py-1 pr-3">Time (UTC)</th>
            <th className="py-1 pr-3">Event</th>
            <th className="py-1 pr-3">Breaker</th>
            <th className="py-1 pr-3">Values</th>
            <th className="py-1">What happened</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event, index) => (
            <tr
              key={index}
              className="border-t border-slate-800 align-top"
              data-testid={`risk-event-${event.kind}`}
            >
              <td className="py-1 pr-3 whitespace-nowrap tabular-nums">
                {new Date(event.time).toISOString().slice(0, 19).replace('T', ' ')}
              </td>
              <td className="py-1 pr-3">
                {event.kind}
                {event.clock === 'bars' && (
                  <span
                    className="block text-xs text-slate-500"
                    title="judged on the bot's replay: the time is the bar's"
                  >
                    bars' clock
                  </span>
                )}
              </td>
              <td className="py-1 pr-3">
                {event.breaker}
                {event.scope !== 'account' && (
                  <span className="block text-xs text-slate-500">
                    {event.scope} {event.key}
                  </span>
                )}
              </td>
              <td className="py-1 pr-3 text-xs">{values(event.values)}</td>
              <td className="py-1 text-xs">{event.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Draft = Record<string, Record<string, string | boolean>>;

const fields: {
  group: string;
  title: string;
  inputs: { name: string; label: string; options?: string[] }[];
}[] = [
  {
    group: 'dailyLoss',
    title: 'Daily loss',
    inputs: [
      { name: 'limitPct', label: 'Limit, % of start-of-day equity' },
      { name: 'dayStart', label: 'Trading day starts (HH:MM UTC)' },
    ],
  },
  {
    group: 'lossStreak',
    title: 'Loss streak',
    inputs: [
      { name: 'losses', label: 'Losing trades in a row' },
      { name: 'cooldownMinutes', label: 'Cooldown, minutes' },
      { name: 'scope', label: 'Holds', options: ['bot', 'symbol', 'account'] },
    ],
  },
  {
    group: 'volatility',
    title: 'Volatility spike',
    inputs: [
      { name: 'movePct', label: 'Move in one bar, %' },
      { name: 'calmBars', label: 'Calm bars to resume' },
      { name: 'measure', label: 'Measured', options: ['close-to-close', 'range'] },
    ],
  },
  {
    group: 'maxDrawdown',
    title: 'Maximum drawdown',
    inputs: [{ name: 'limitPct', label: 'Limit, % below peak' }],
  },
  {
    group: 'orderRate',
    title: 'Order-rate throttle',
    inputs: [
      { name: 'perBot', label: 'Orders per second per bot' },
      { name: 'perVenue', label: 'Orders per second per venue' },
    ],
  },
];

function toDraft(settings: Record<string, Record<string, unknown>>): Draft {
  const draft: Draft = {};
  for (const [group, values] of Object.entries(settings)) {
    draft[group] = {};
    for (const [name, value] of Object.entries(values))
      draft[group]![name] = typeof value === 'boolean' ? value : String(value);
  }
  return draft;
}

const textFields = new Set(['dayStart', 'scope', 'measure']);

function fromDraft(draft: Draft): BreakerSettingsJson {
  const settings: Record<string, Record<string, unknown>> = {};
  for (const [group, values] of Object.entries(draft)) {
    settings[group] = {};
    for (const [name, value] of Object.entries(values)) {
      // An empty or non-numeric box goes to the core as it is, which names the field and why.
      settings[group]![name] =
        typeof value === 'boolean' || textFields.has(name)
          ? value
          : value.trim() === ''
            ? value
            : Number(value);
    }
  }
  return settings as BreakerSettingsJson;
}

function Settings({ onSaved }: { onSaved(): void }) {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('risk.settings.get', {})
      .then(({ settings }) => setDraft(toDraft(settings)))
      .catch((caught: unknown) => setError(describeError(caught)));
  }, []);

  if (draft === null) return error ? <Notice tone="error">{error}</Notice> : null;
  const set = (group: string, name: string, value: string | boolean) =>
    setDraft({ ...draft, [group]: { ...draft[group], [name]: value } });
  const save = async () => {
    setMessage(null);
    setError(null);
    const result = await api.result('risk.settings.set', { settings: fromDraft(draft) });
    if (result.ok) {
      setIssues({});
      setDraft(toDraft(result.value.settings));
      setMessage('Saved: the breakers use these settings from now on.');
      onSaved();
      return;
    }
    const byField: Record<string, string> = {};
    for (const issue of result.error.issues ?? [])
      byField[issue.path.replace(/^settings\./, '')] = issue.message;
    setIssues(byField);
    setError(describeError(new CallFailure(result.error)));
  };

  return (
    <form
      className="flex flex-col gap-4"
      data-testid="risk-settings"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <div className="grid grid-cols-1 gap-4 md:grid-cols-2 xl:grid-cols-3">
        {fields.map(({ group, title, inputs }) => (
          <fieldset key={group} className="flex flex-col gap-2 rounded-md border border-slate-800 p-3">
            <legend className="px-1 text-sm text-slate-300">{title}</legend>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                data-testid={`setting-${group}.enabled`}
                checked={draft[group]?.enabled === true}
                onChange={(event) => set(group, 'enabled', event.target.checked)}
              />
              enabled
            </label>
            {inputs.map((input) => {
              const path = `${group}.${input.name}`;
              const value = String(draft[group]?.[input.name] ?? '');
              return (
                <Field key={path} label={input.label}>
                  {input.options ? (
                    <Select
                      data-testid={`setting-${path}`}
                      value={value}
                      onChange={(event) => set(group, input.name, event.target.value)}
                    >
                      {input.options.map((option) => (
                        <option key={option}>{option}</option>
                      ))}
                    </Select>
                  ) : (
                    <TextInput
                      data-testid={`setting-${path}`}
                      value={value}
                      aria-invalid={issues[path] !== undefined}
                      onChange={(event) => set(group, input.name, event.target.value)}
                    />
                  )}
                  {issues[path] && (
                    <span className="text-red-300" data-testid={`setting-error-${path}`}>
                      {issues[path]}
                    </span>
                  )}
                </Field>
              );
            })}
          </fieldset>
        ))}
      </div>
      <span className="flex items-center gap-3">
        <Button type="submit" data-testid="risk-settings-save">
          Save settings
        </Button>
        {message && <span className="text-sm text-emerald-300">{message}</span>}
      </span>
      {error && <Notice tone="error">{error}</Notice>}
    </form>
  );
}

export function RiskPage() {
  const { risk, error, refresh } = useRisk();
  const [events, setEvents] = useState<RiskEventJson[]>([]);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const loadHistory = () => {
      api
        .call('risk.history', { limit: 200 })
        .then((history) => setEvents(history.events))
        .catch((caught: unknown) => setNotice(describeError(caught)));
    };
    void refresh();
    loadHistory();
    const stopChanged = api.on('risk.changed', loadHistory);
    // A paper bot's countdown runs on its bars' clock: it moves as the bot's replay does.
    const stopBars = api.on('bots.position', () => void refresh());
    return () => {
      stopChanged();
      stopBars();
    };
  }, [refresh]);

  const rearm = async (breaker: string, key: string) => {
    try {
      const result = await api.call('risk.rearm', { breaker: breaker as BreakerNameJson, key });
      setNotice(
        `${breaker} re-armed (${result.rearmed} trip(s) lifted). The account is ${stateLabel[result.state]}.`,
      );
    } catch (caught) {
      setNotice(describeError(caught));
    }
    void refresh();
  };

  return (
    <div className="flex flex-col gap-4">
      {error && <Notice tone="error">{error}</Notice>}
      {notice && (
        <Notice tone="info" testId="risk-notice">
          {notice}
        </Notice>
      )}
      <Card title="Account">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="text-sm">
            Trading state{' '}
            <span
              className={`text-lg font-semibold ${risk ? stateTone[risk.state] : ''}`}
              data-testid="risk-state"
            >
              {risk ? stateLabel[risk.state] : '…'}
            </span>
            <p className="mt-1 text-slate-400">
              ACTIVE: every order passes. REDUCING: only orders that shrink a position. HALTED: no new
              position; exits and cancels always pass.
            </p>
          </div>
          <KillSwitch
            onDone={(message) => {
              setNotice(message);
              void refresh();
            }}
          />
        </div>
      </Card>
      <Card title="Breakers">
        {risk && <Breakers risk={risk} onRearm={(breaker, key) => void rearm(breaker, key)} />}
      </Card>
      <Card title="History">
        <History events={events} />
      </Card>
      <Card title="Settings">
        <Settings onSaved={() => void refresh()} />
      </Card>
    </div>
  );
}
