// The keys of the providers a page uses: each one's mode (demo data or live), and a form to save
// or remove its key. Keys go to the vault through the core and come back masked only.
import { useCallback, useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import type { MarketProviderId } from '../../../core/contract/market-intelligence-calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from './Card.tsx';
import { Button, Field, TextInput } from './form.tsx';
import { Notice } from './Notice.tsx';

type ProviderInfo = CallOutput<'market.providers'>['providers'][number];

export function ProviderKeys({
  ids,
  onChange,
}: {
  ids: readonly MarketProviderId[];
  /** Called after a key is saved or removed, so the page reloads its data. */
  onChange(): void;
}) {
  const [providers, setProviders] = useState<ProviderInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  // Pages pass a fresh array each render: depend on its contents, or the list reloads forever.
  const wanted = ids.join(',');
  const load = useCallback(() => {
    api
      .call('market.providers', {})
      .then((result) =>
        setProviders(result.providers.filter((provider) => wanted.split(',').includes(provider.id))),
      )
      .catch((caught: unknown) => setError(describeError(caught)));
  }, [wanted]);
  useEffect(load, [load]);

  return (
    <Card title="Data providers">
      {error && <Notice tone="error">{error}</Notice>}
      <div className="flex flex-col gap-3">
        {providers.map((provider) => (
          <ProviderKeyRow
            key={provider.id}
            provider={provider}
            onChange={() => {
              load();
              onChange();
            }}
          />
        ))}
      </div>
    </Card>
  );
}

function ProviderKeyRow({ provider, onChange }: { provider: ProviderInfo; onChange(): void }) {
  const [key, setKey] = useState('');
  const [domain, setDomain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setKey('');
      onChange();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className="flex flex-col gap-2 border-t border-slate-800 pt-2"
      data-testid={`provider-${provider.id}`}
    >
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{provider.title}</span>
        <span className="text-slate-400">{provider.supplies}</span>
        <span
          data-testid={`provider-${provider.id}-mode`}
          className={provider.mode === 'live' ? 'text-emerald-300' : 'text-amber-300'}
        >
          {provider.mode === 'live' ? `key ${provider.keyHint ?? ''}` : 'no key: demo data'}
        </span>
      </div>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void act(() =>
            api.call('market.saveKey', {
              provider: provider.id,
              key,
              ...(provider.needsDomain ? { domain } : {}),
            }),
          );
        }}
      >
        {provider.needsDomain && (
          <Field label="Store domain" hint="your-store.myshopify.com">
            <TextInput
              value={domain}
              onChange={(e) => setDomain(e.target.value)}
              data-testid={`key-${provider.id}-domain`}
            />
          </Field>
        )}
        <Field label={provider.needsDomain ? 'Admin API access token' : 'API key'}>
          <TextInput
            type="password"
            autoComplete="off"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid={`key-${provider.id}`}
          />
        </Field>
        <Button type="submit" disabled={busy || key.trim() === ''} data-testid={`key-${provider.id}-save`}>
          Save key
        </Button>
        {provider.mode === 'live' && (
          <Button
            tone="secondary"
            disabled={busy}
            onClick={() => void act(() => api.call('market.removeKey', { provider: provider.id }))}
          >
            Remove key
          </Button>
        )}
        <a className="text-xs text-sky-400 underline" href={provider.keyUrl} target="_blank" rel="noreferrer">
          Get a key
        </a>
      </form>
      {error && <Notice tone="error">{error}</Notice>}
    </div>
  );
}
