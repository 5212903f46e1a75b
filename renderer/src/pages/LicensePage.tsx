// What is in effect (the free tier, the 14-day trial or a licence) and everything that changes it:
// start the trial, paste a key (or open a .license file), activate a machine-bound licence, remove
// it. The result of every action shows at the top of the page and is scrolled into view, so it is
// seen wherever the button was, on a phone as on a desktop.
import { useEffect, useRef, useState } from 'react';
import { describeFeature } from '../../../core/contract/access.ts';
import type { LicenseStatusJson } from '../../../core/contract/calls.ts';
import { licenseKeyPrefix } from '../../../core/contract/license-key.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { Button, Field } from '../components/form.tsx';
import { KeychainNotice } from '../components/KeychainNotice.tsx';
import { Notice } from '../components/Notice.tsx';
import { planLabel, useLicense } from '../stores/license-store.ts';

const textArea =
  'min-h-24 w-full rounded-md border border-slate-700 bg-slate-950 p-2 font-mono text-xs text-slate-100 focus:border-sky-500 focus:outline-none';

const day = (iso: string) => iso.slice(0, 10);

function readFile(input: HTMLInputElement): Promise<string | null> {
  const file = input.files?.[0];
  return file ? file.text() : Promise.resolve(null);
}

function Rows({ rows }: { rows: [label: string, value: string, testId: string][] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
      {rows.map(([label, value, testId]) => (
        <div key={label} className="contents">
          <dt className="text-slate-400">{label}</dt>
          <dd className="break-all" data-testid={testId}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The result of the last action; brought into view when it appears. */
function ActionResult({ message, error }: { message: string | null; error: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (message || error) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [message, error]);
  if (!message && !error) return null;
  return (
    <div ref={ref} className="scroll-mt-4">
      {message && (
        <Notice tone="success" testId="license-message">
          {message}
        </Notice>
      )}
      {error && (
        <Notice tone="error" testId="license-error">
          {error}
        </Notice>
      )}
    </div>
  );
}

function StateNotice({ status }: { status: LicenseStatusJson }) {
  if (status.state === 'valid') {
    return (
      <Notice tone="success" testId="license-state">
        Licence active.
      </Notice>
    );
  }
  if (status.state === 'invalid' && status.reason?.code === 'no_activation') {
    // Not a refusal: the normal second step for a machine-bound licence.
    return (
      <Notice tone="info" testId="license-state">
        Licence installed; it runs once this computer is activated. {status.reason.message}
      </Notice>
    );
  }
  if (status.state === 'invalid') {
    return (
      <Notice tone="error" testId="license-state">
        This licence is refused: {status.reason?.message}
      </Notice>
    );
  }
  if (status.reason?.code === 'keychain_unavailable') {
    return (
      <Notice tone="warning" testId="license-state">
        {status.reason.message}
      </Notice>
    );
  }
  return (
    <Notice tone="info" testId="license-state">
      No licence is installed.{' '}
      {status.tier === 'trial'
        ? 'The 14-day trial is running.'
        : 'Charts, data import, backtests and the optimiser are free; start the 14-day trial or install a licence key for the rest.'}
    </Notice>
  );
}

function Trial({ status, busy, onStart }: { status: LicenseStatusJson; busy: boolean; onStart(): void }) {
  const trial = status.trial;
  switch (trial.state) {
    case 'available':
      // Nothing to offer to someone whose licence already works.
      if (status.tier === 'licensed') return null;
      return (
        <div className="flex flex-col gap-2 text-sm sm:flex-row sm:items-center sm:justify-between">
          <p className="text-slate-300">
            Try every feature but live trading for {trial.days} days. The trial can be started once per
            computer.
          </p>
          <Button onClick={onStart} disabled={busy} data-testid="trial-start" className="shrink-0">
            Start {trial.days}-day trial
          </Button>
        </div>
      );
    case 'active':
      return (
        <p className="text-sm text-slate-300" data-testid="trial-days-left">
          Trial: {trial.daysLeft} {trial.daysLeft === 1 ? 'day' : 'days'} left (until {day(trial.endsAt)}).
          Everything but live trading is unlocked.
        </p>
      );
    case 'ended':
      return (
        <p className="text-sm text-slate-400" data-testid="trial-used">
          The 14-day trial on this computer {trial.endsAt ? `ended on ${day(trial.endsAt)}` : 'was used'}. It
          can be started once per computer.
        </p>
      );
    case 'suspended':
    case 'unavailable':
      return (
        <p className="text-sm text-amber-200" data-testid="trial-used">
          The trial cannot be used now: {trial.message}
        </p>
      );
  }
}

function PlanCard({
  status,
  busy,
  onStartTrial,
}: {
  status: LicenseStatusJson;
  busy: boolean;
  onStartTrial(): void;
}) {
  return (
    <Card title="Plan">
      <div className="flex flex-col gap-3">
        <StateNotice status={status} />
        <Rows
          rows={[
            ['Plan', planLabel(status), 'plan-name'],
            [
              'Features',
              status.features.length ? status.features.map(describeFeature).join(', ') : 'none',
              'plan-features',
            ],
            ['Bot instances', String(status.maxInstances), 'plan-instances'],
          ]}
        />
        <Trial status={status} busy={busy} onStart={onStartTrial} />
      </div>
    </Card>
  );
}

function LicenseDetails({ status }: { status: LicenseStatusJson }) {
  const license = status.license;
  if (!license) return null;
  const rows: [string, string, string][] = [
    ['Licensee', `${license.licensee} <${license.email}>`, 'license-licensee'],
    ['Plan', license.plan, 'license-plan'],
    ['Features', license.features.length ? license.features.join(', ') : 'none', 'license-features'],
    ['Bot instances', String(license.maxInstances), 'license-instances'],
    ['Issued', day(license.issuedAt), 'license-issued'],
    ['Expires', license.expiresAt ? day(license.expiresAt) : 'never', 'license-expires'],
  ];
  if (license.maxMachines !== null) {
    rows.push(
      ['Machines', String(license.maxMachines), 'license-machines'],
      [
        'Machine binding',
        status.activation
          ? `activated on this machine (${day(status.activation.activatedAt)})`
          : 'not activated on this machine',
        'license-activation',
      ],
    );
  }
  rows.push(['Licence id', license.id, 'license-id']);
  return (
    <Card title="Licence">
      <Rows rows={rows} />
    </Card>
  );
}

/** Clipboard API where the page is a secure context; else the selection and the old copy command. */
async function copyText(text: string, fallback: HTMLTextAreaElement | null): Promise<void> {
  if (navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  fallback?.select();
  if (!fallback || !document.execCommand('copy')) {
    throw new Error('This browser does not allow copying here: select the request and copy it by hand.');
  }
}

export function LicensePage() {
  const { status, set, refresh } = useLicense();
  const [key, setKey] = useState('');
  const [activation, setActivation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const requestRef = useRef<HTMLTextAreaElement>(null);

  const run = async (action: () => Promise<string | null>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await action());
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const startTrial = () =>
    run(async () => {
      try {
        const next = await api.call('license.startTrial', {});
        set(next);
        return next.trial.state === 'active'
          ? `Trial started: ${next.trial.daysLeft} days of every feature but live trading.`
          : null;
      } finally {
        // Refused or not, show where the trial stands now.
        await refresh();
      }
    });

  const install = () =>
    run(async () => {
      const next = await api.call('license.install', { key });
      set(next);
      if (next.state !== 'valid') return null;
      setKey('');
      return 'Licence installed.';
    });

  const installActivation = () =>
    run(async () => {
      const next = await api.call('license.installActivation', { activation });
      set(next);
      setActivation('');
      return next.state === 'valid' ? 'Activation installed for this machine.' : null;
    });

  const copyRequest = (request: string) =>
    run(async () => {
      await copyText(request, requestRef.current);
      return 'Activation request copied. Send it to the vendor.';
    });

  const remove = () =>
    run(async () => {
      await api.call('license.remove', {});
      await refresh();
      return 'Licence removed from this machine.';
    });

  const machineBound = status?.license !== undefined && status.license.maxMachines !== null;
  // Only machine-bound licences have anything to activate; one waiting for it shows this first.
  const needsActivation = Boolean(status?.activationRequest);
  const activationCard = status && machineBound && (
    <Card title="Machine activation">
      <div className="flex flex-col gap-3 text-sm">
        <p className="text-slate-400">
          This licence runs on activated computers only. Send the activation request to the vendor; it holds
          the licence id and a hashed fingerprint of this machine, no personal data. Paste the activation you
          get back below.
        </p>
        {status.activationRequest && (
          <>
            <textarea
              ref={requestRef}
              readOnly
              className={textArea}
              value={status.activationRequest}
              data-testid="activation-request"
            />
            <div>
              <Button
                tone="secondary"
                onClick={() => void copyRequest(status.activationRequest!)}
                disabled={busy}
                data-testid="activation-copy"
              >
                Copy the request
              </Button>
            </div>
          </>
        )}
        <Field label="Activation from the vendor">
          <textarea
            className={textArea}
            value={activation}
            data-testid="activation-input"
            spellCheck={false}
            onChange={(event) => setActivation(event.target.value)}
          />
        </Field>
        <div className="flex flex-wrap items-center gap-3">
          <Button
            onClick={() => void installActivation()}
            disabled={busy || !activation.trim()}
            data-testid="activation-install"
          >
            Install activation
          </Button>
          <label className="cursor-pointer text-sky-400 hover:underline">
            or open an activation file
            <input
              type="file"
              className="sr-only"
              data-testid="activation-file"
              onChange={(event) => {
                void readFile(event.target).then((text) => text !== null && setActivation(text.trim()));
              }}
            />
          </label>
        </div>
      </div>
    </Card>
  );

  return (
    <div className="flex flex-col gap-4">
      <KeychainNotice />
      <ActionResult message={message} error={error} />

      {status === null ? (
        <Card title="Plan">
          <p className="text-sm text-slate-400">Reading the licence…</p>
        </Card>
      ) : (
        <PlanCard status={status} busy={busy} onStartTrial={() => void startTrial()} />
      )}

      {needsActivation && activationCard}

      <Card title={status?.state === 'valid' ? 'Replace the licence' : 'Install a licence'}>
        <div className="flex flex-col gap-3">
          <Field label="Licence key">
            <textarea
              className={textArea}
              value={key}
              data-testid="license-key"
              spellCheck={false}
              placeholder={`${licenseKeyPrefix}.…`}
              onChange={(event) => setKey(event.target.value)}
            />
          </Field>
          <div className="flex flex-wrap items-center gap-3">
            <Button
              onClick={() => void install()}
              disabled={busy || !key.trim()}
              data-testid="license-install"
            >
              Install licence
            </Button>
            <label className="cursor-pointer text-sm text-sky-400 hover:underline">
              or open a .license file
              <input
                type="file"
                accept=".license,text/plain"
                className="sr-only"
                data-testid="license-file"
                onChange={(event) => {
                  void readFile(event.target).then((text) => text !== null && setKey(text.trim()));
                }}
              />
            </label>
          </div>
        </div>
      </Card>

      {status && <LicenseDetails status={status} />}

      {!needsActivation && activationCard}

      {status && status.state !== 'none' && (
        <Card title="Remove">
          <div className="flex flex-col gap-2 text-sm sm:flex-row sm:items-center sm:justify-between">
            <p className="text-slate-400">
              Removing the licence returns this computer to the trial, if it still runs, or to the free tier.
            </p>
            <Button tone="danger" onClick={() => void remove()} disabled={busy} data-testid="license-remove">
              Remove licence
            </Button>
          </div>
        </Card>
      )}
    </div>
  );
}
