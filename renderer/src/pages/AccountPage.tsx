// Exchange and data-provider credentials, kept in the OS keychain (or the operator's secrets
// directory) by the core. The page only ever sees them masked: the contract has no call that
// returns a secret. Without a keychain it says so and how to fix it, instead of a failing form.
import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { CTraderSection } from '../components/CTraderSection.tsx';
import { ExchangeConnectionTest } from '../components/ExchangeConnectionTest.tsx';
import { ExchangeReconcile } from '../components/ExchangeReconcile.tsx';
import { ExchangeSandboxSwitch } from '../components/ExchangeSandboxSwitch.tsx';
import { Button, Field, TextInput } from '../components/form.tsx';
import { KeychainNotice } from '../components/KeychainNotice.tsx';
import { Notice } from '../components/Notice.tsx';
import { formatIsoMinute } from '../components/format.ts';
import { useExchangeSandbox } from '../stores/exchange-sandbox-store.ts';
import { useSecrets } from '../stores/secrets-store.ts';

type Credential = CallOutput<'vault.list'>['credentials'][number];

const emptyForm = { provider: '', key: '', secret: '', passphrase: '' };

export function AccountPage() {
  const { status: secrets, loadError } = useSecrets();
  // The notice asks the core where secrets are kept; the keys appear once it says they can be.
  if (!secrets?.available) {
    return (
      <div className="flex flex-col gap-4">
        {loadError && <Notice tone="error">{loadError}</Notice>}
        <KeychainNotice />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <ApiKeys storeName={secrets.backend === 'directory' ? 'the secrets directory' : 'the OS keychain'} />
      <CTraderSection />
    </div>
  );
}

function ApiKeys({ storeName }: { storeName: string }) {
  const [credentials, setCredentials] = useState<Credential[]>([]);
  const [form, setForm] = useState(emptyForm);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Where "Test connection" sends its calls instead of the exchange's own API (a mirror, a simulator).
  const [apiUrl, setApiUrl] = useState('');
  // Each exchange's "Sandbox / testnet" box, kept in a store so it outlives the page.
  const sandboxOf = useExchangeSandbox((state) => state.chosen);

  // Bumped after every change so the list is read again from the keychain.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let stale = false;
    api
      .call('vault.list', {})
      .then((result) => !stale && setCredentials(result.credentials))
      .catch((caught: unknown) => !stale && setError(describeError(caught)));
    return () => {
      stale = true;
    };
  }, [version]);

  const act = async (action: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await action());
      setVersion((current) => current + 1);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    act(async () => {
      const saved = await api.call('vault.save', {
        provider: form.provider,
        key: form.key,
        secret: form.secret,
        ...(form.passphrase ? { passphrase: form.passphrase } : {}),
      });
      setForm(emptyForm);
      return `Saved the credentials of ${saved.provider} in ${storeName} (key ${saved.keyHint}).`;
    });

  const update = (field: keyof typeof emptyForm) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));

  return (
    <div className="flex flex-col gap-4">
      <Card title="API keys">
        {credentials.length === 0 ? (
          <p className="text-sm text-slate-400" data-testid="vault-empty">
            No exchange or data-provider keys are stored yet. Providers without a key run in a labelled demo
            mode.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm" data-testid="vault-table">
              <thead className="text-xs text-slate-400">
                <tr>
                  <th className="py-1 pr-4">Provider</th>
                  <th className="py-1 pr-4">Key</th>
                  <th className="py-1 pr-4">Passphrase</th>
                  <th className="py-1 pr-4">Updated</th>
                  <th className="py-1 pr-4">Connection</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {credentials.map((credential) => (
                  <tr key={credential.provider} className="border-t border-slate-800">
                    <td className="py-2 pr-4 font-medium">{credential.provider}</td>
                    <td className="py-2 pr-4 font-mono">{credential.keyHint}</td>
                    <td className="py-2 pr-4">{credential.hasPassphrase ? 'yes' : 'no'}</td>
                    <td className="py-2 pr-4">{formatIsoMinute(credential.updatedAt)}</td>
                    <td className="py-2 pr-4">
                      <ExchangeSandboxSwitch exchange={credential.provider} />
                      <ExchangeConnectionTest
                        exchange={credential.provider}
                        apiUrl={apiUrl}
                        sandbox={sandboxOf[credential.provider] === true}
                      />
                      <ExchangeReconcile
                        exchange={credential.provider}
                        apiUrl={apiUrl}
                        sandbox={sandboxOf[credential.provider] === true}
                      />
                    </td>
                    <td className="py-2 text-right">
                      <Button
                        tone="secondary"
                        disabled={busy}
                        onClick={() =>
                          void act(async () => {
                            await api.call('vault.remove', { provider: credential.provider });
                            return `Removed the credentials of ${credential.provider}.`;
                          })
                        }
                      >
                        Remove
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="mt-3 max-w-md">
              <Field label="API URL (optional)" hint="a self-hosted mirror or a local simulator">
                <TextInput
                  value={apiUrl}
                  placeholder="https://api.binance.com"
                  onChange={(event) => setApiUrl(event.target.value)}
                  data-testid="connection-api-url"
                />
              </Field>
            </div>
          </div>
        )}
      </Card>
      <Card title="Add or replace a key">
        <form
          className="grid grid-cols-1 gap-3 sm:grid-cols-2"
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <Field label="Provider" hint="binance, kraken, alphavantage…">
            <TextInput value={form.provider} onChange={update('provider')} data-testid="vault-provider" />
          </Field>
          <Field label="API key">
            <TextInput value={form.key} onChange={update('key')} autoComplete="off" data-testid="vault-key" />
          </Field>
          <Field label="API secret">
            <TextInput
              type="password"
              value={form.secret}
              onChange={update('secret')}
              autoComplete="off"
              data-testid="vault-secret"
            />
          </Field>
          <Field label="Passphrase (optional)">
            <TextInput
              type="password"
              value={form.passphrase}
              onChange={update('passphrase')}
              autoComplete="off"
            />
          </Field>
          <div className="sm:col-span-2">
            <Button type="submit" disabled={busy} data-testid="vault-save">
              Save in {storeName === 'the OS keychain' ? 'keychain' : 'secrets directory'}
            </Button>
          </div>
        </form>
      </Card>
      {message && <Notice tone="success">{message}</Notice>}
      {error && (
        <Notice tone="error" testId="vault-error">
          {error}
        </Notice>
      )}
    </div>
  );
}
