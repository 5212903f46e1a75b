// The Account page's cTrader section: the user's own Open API application, Connect Demo / Connect
// Live (Live only after an explicit confirmation, and only with the live-trading feature), the
// accounts each connection found, the token's expiry, the "paste the redirected address" fallback
// and Disconnect. Tokens never reach this page: the core answers with expiry and accounts only.
import { useEffect, useState } from 'react';
import type { CTraderStatus } from '../../../core/contract/ctrader-calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from './Card.tsx';
import { Button, Field, TextInput } from './form.tsx';
import { Notice } from './Notice.tsx';
import { formatNumber } from './format.ts';

type EnvironmentStatus = CTraderStatus['environments'][number];

export function CTraderSection() {
  const [status, setStatus] = useState<CTraderStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [application, setApplication] = useState({ clientId: '', clientSecret: '' });

  const load = () =>
    api
      .call('ctrader.status', {})
      .then(setStatus)
      .catch((caught: unknown) => setError(describeError(caught)));

  useEffect(() => {
    void load();
  }, []);

  // While a sign-in waits for the browser or a connection is being made, ask again every 2 s.
  const pending = status?.environments.some(
    (environment) =>
      environment.authorizationUrl !== null ||
      environment.connection === 'connecting' ||
      environment.connection === 'reconnecting',
  );
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [pending]);

  const act = async (action: () => Promise<CTraderStatus | void>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      if (next) setStatus(next);
      else await load();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title="cTrader (Forex and CFDs)">
      <div className="flex flex-col gap-4 text-sm" data-testid="ctrader-section">
        <form
          className="grid grid-cols-1 gap-3 sm:grid-cols-3"
          onSubmit={(event) => {
            event.preventDefault();
            void act(async () => {
              const next = await api.call('ctrader.saveApplication', application);
              setApplication({ clientId: '', clientSecret: '' });
              return next;
            });
          }}
        >
          <Field
            label="Open API client id"
            hint={
              status?.application.configured
                ? `Stored (${status.application.clientIdHint ?? ''})`
                : 'Your own application at openapi.ctrader.com'
            }
          >
            <TextInput
              value={application.clientId}
              autoComplete="off"
              onChange={(event) =>
                setApplication((current) => ({ ...current, clientId: event.target.value }))
              }
              data-testid="ctrader-client-id"
            />
          </Field>
          <Field label="Client secret" hint={`Register the redirect URI ${status?.redirectUri ?? ''}`}>
            <TextInput
              type="password"
              value={application.clientSecret}
              autoComplete="off"
              onChange={(event) =>
                setApplication((current) => ({ ...current, clientSecret: event.target.value }))
              }
              data-testid="ctrader-client-secret"
            />
          </Field>
          <div className="flex items-end">
            <Button type="submit" disabled={busy} data-testid="ctrader-save-application">
              Save application
            </Button>
          </div>
        </form>
        {status?.environments.map((environment) => (
          <EnvironmentPanel
            key={environment.environment}
            environment={environment}
            busy={busy}
            act={act}
            configured={status.application.configured}
          />
        ))}
        {error && (
          <Notice tone="error" testId="ctrader-error">
            {error}
          </Notice>
        )}
      </div>
    </Card>
  );
}

function EnvironmentPanel({
  environment,
  busy,
  act,
  configured,
}: {
  environment: EnvironmentStatus;
  busy: boolean;
  act: (action: () => Promise<CTraderStatus | void>) => Promise<void>;
  configured: boolean;
}) {
  const [confirmLive, setConfirmLive] = useState(false);
  const [address, setAddress] = useState('');
  const live = environment.environment === 'live';
  const name = live ? 'Live' : 'Demo';
  const connect = () =>
    act(async () => {
      if (live) await api.call('ctrader.connectLive', { confirm: true });
      else await api.call('ctrader.connectDemo', {});
    });

  return (
    <section
      className="flex flex-col gap-2 border-t border-slate-800 pt-3"
      data-testid={`ctrader-${environment.environment}`}
    >
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="font-medium">{name}</h3>
        <span className="text-slate-400" data-testid={`ctrader-${environment.environment}-state`}>
          {environment.connection}
        </span>
        {environment.tokenExpiresAt !== null && (
          <span className="text-slate-400">
            token expires {new Date(environment.tokenExpiresAt).toLocaleString()}
          </span>
        )}
        {environment.tokenStored || environment.connection !== 'disconnected' ? (
          <Button
            tone="secondary"
            disabled={busy}
            onClick={() =>
              void act(() => api.call('ctrader.disconnect', { environment: environment.environment }))
            }
          >
            Disconnect {name}
          </Button>
        ) : (
          <>
            {live && (
              <label className="flex items-center gap-1 text-xs text-amber-300">
                <input
                  type="checkbox"
                  checked={confirmLive}
                  onChange={(event) => setConfirmLive(event.target.checked)}
                />
                I understand Live trades real money
              </label>
            )}
            <Button
              tone={live ? 'danger' : 'primary'}
              disabled={busy || !configured || (live && !confirmLive)}
              onClick={() => void connect()}
              data-testid={`ctrader-connect-${environment.environment}`}
            >
              Connect {name}
            </Button>
          </>
        )}
      </div>
      {environment.reason && <Notice tone="error">{environment.reason}</Notice>}
      {environment.authorizationUrl && (
        <div className="flex flex-col gap-2">
          <p className="text-slate-400">
            Approve AUTOBOT in the browser window that opened (or open{' '}
            <a
              className="text-sky-400 underline"
              href={environment.authorizationUrl}
              target="_blank"
              rel="noreferrer"
            >
              cTrader&apos;s sign-in page
            </a>
            ). If the browser cannot reach this computer, paste the address it ended on:
          </p>
          <div className="flex gap-2">
            <TextInput
              value={address}
              onChange={(event) => setAddress(event.target.value)}
              placeholder="http://127.0.0.1:53682/callback?code=…"
              data-testid={`ctrader-paste-${environment.environment}`}
            />
            <Button
              disabled={busy || address.trim() === ''}
              onClick={() =>
                void act(() =>
                  api.call('ctrader.pasteRedirect', { environment: environment.environment, address }),
                )
              }
            >
              Finish
            </Button>
          </div>
        </div>
      )}
      {environment.accounts.length > 0 && (
        <table className="w-full text-left" data-testid={`ctrader-${environment.environment}-accounts`}>
          <thead className="text-xs text-slate-400">
            <tr>
              <th className="py-1 pr-4">Broker</th>
              <th className="py-1 pr-4">Login</th>
              <th className="py-1 pr-4">Type</th>
              <th className="py-1 pr-4">Balance</th>
            </tr>
          </thead>
          <tbody>
            {environment.accounts.map((account) => (
              <tr key={account.ctidTraderAccountId} className="border-t border-slate-800">
                <td className="py-2 pr-4">{account.broker}</td>
                <td className="py-2 pr-4 font-mono">{account.traderLogin}</td>
                <td className="py-2 pr-4">{account.isLive ? 'live' : 'demo'}</td>
                <td className="py-2 pr-4">
                  {account.balance === null ? '—' : formatNumber(account.balance)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
