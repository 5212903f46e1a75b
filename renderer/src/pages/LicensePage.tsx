// First run lands here. Paste a key (or open a .license file), see in plain words why a key is
// refused, see what an active licence allows, bind it to this machine, or remove it.
import { useState } from 'react';
import type { LicenseStatusJson } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { Button, Field } from '../components/form.tsx';
import { KeychainNotice } from '../components/KeychainNotice.tsx';
import { Notice } from '../components/Notice.tsx';
import { useLicense } from '../stores/license-store.ts';

const textArea =
  'min-h-24 w-full rounded-md border border-slate-700 bg-slate-950 p-2 font-mono text-xs text-slate-100 focus:border-sky-500 focus:outline-none';

function readFile(input: HTMLInputElement): Promise<string | null> {
  const file = input.files?.[0];
  return file ? file.text() : Promise.resolve(null);
}

function LicenseDetails({ status }: { status: LicenseStatusJson }) {
  const license = status.license;
  if (!license) return null;
  const rows: [string, string, string][] = [
    ['Licensee', `${license.licensee} <${license.email}>`, 'license-licensee'],
    ['Plan', license.plan, 'license-plan'],
    ['Features', license.features.length ? license.features.join(', ') : 'none', 'license-features'],
    ['Bot instances', String(license.maxInstances), 'license-instances'],
    [
      'Machines',
      license.maxMachines === null ? 'unlimited' : String(license.maxMachines),
      'license-machines',
    ],
    ['Issued', license.issuedAt.slice(0, 10), 'license-issued'],
    ['Expires', license.expiresAt ? license.expiresAt.slice(0, 10) : 'never', 'license-expires'],
    [
      'Machine binding',
      status.activation
        ? `activated on this machine (${status.activation.activatedAt.slice(0, 10)})`
        : 'not activated on this machine',
      'license-activation',
    ],
    ['Licence id', license.id, 'license-id'],
  ];
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

export function LicensePage() {
  const { status, set, refresh } = useLicense();
  const [key, setKey] = useState('');
  const [activation, setActivation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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

  const install = () =>
    run(async () => {
      const next = await api.call('license.install', { key });
      set(next);
      if (next.state !== 'valid') return null;
      setKey('');
      return 'Licence installed. Every page is unlocked.';
    });

  const installActivation = () =>
    run(async () => {
      const next = await api.call('license.installActivation', { activation });
      set(next);
      setActivation('');
      return next.state === 'valid' ? 'Activation installed for this machine.' : null;
    });

  const remove = () =>
    run(async () => {
      await api.call('license.remove', {});
      await refresh();
      return 'Licence removed from this machine. The app is locked until a licence is installed.';
    });

  const refused = status?.state === 'invalid' && status.reason;

  return (
    <div className="flex flex-col gap-4">
      <KeychainNotice />
      <Card title="Licence">
        {status === null ? (
          <p className="text-sm text-slate-400">Reading the licence…</p>
        ) : status.state === 'valid' ? (
          <div className="flex flex-col gap-3">
            <Notice tone="success" testId="license-state">
              Licence active.
            </Notice>
            <LicenseDetails status={status} />
          </div>
        ) : (
          <div className="flex flex-col gap-3">
            <Notice tone={refused ? 'error' : 'info'} testId="license-state">
              {refused
                ? `This licence is refused: ${status.reason?.message}`
                : 'No licence is installed. Paste your licence key or open your .license file to unlock AUTOBOT.'}
            </Notice>
            {refused && <LicenseDetails status={status} />}
          </div>
        )}
      </Card>

      <Card title={status?.state === 'valid' ? 'Replace the licence' : 'Install a licence'}>
        <div className="flex flex-col gap-3">
          <Field label="Licence key">
            <textarea
              className={textArea}
              value={key}
              data-testid="license-key"
              spellCheck={false}
              placeholder="AUTOBOT-1.…"
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

      {status?.license && (
        <Card title="Machine activation">
          <div className="flex flex-col gap-3 text-sm">
            <p className="text-slate-400">
              Send this activation request to the vendor; it holds the licence id and a hashed fingerprint of
              this machine, no personal data. Paste the activation you get back below.
            </p>
            {status.activationRequest && (
              <textarea
                readOnly
                className={textArea}
                value={status.activationRequest}
                data-testid="activation-request"
              />
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
      )}

      {status && status.state !== 'none' && (
        <Card title="Remove">
          <div className="flex flex-col gap-2 text-sm sm:flex-row sm:items-center sm:justify-between">
            <p className="text-slate-400">Removing the licence locks every page but this one and Settings.</p>
            <Button tone="danger" onClick={() => void remove()} disabled={busy} data-testid="license-remove">
              Remove licence
            </Button>
          </div>
        </Card>
      )}

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
