import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../core/contract/calls.ts';
import { api, describeError } from '../api/client.ts';
import { Card } from '../components/Card.tsx';
import { Notice } from '../components/Notice.tsx';

export function SettingsPage() {
  const [info, setInfo] = useState<CallOutput<'app.info'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('app.info', {})
      .then(setInfo)
      .catch((caught: unknown) => setError(describeError(caught)));
  }, []);

  return (
    <Card title="About this installation">
      {error && <Notice tone="error">{error}</Notice>}
      {info && (
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="text-slate-400">Version</dt>
          <dd data-testid="app-version">{info.version}</dd>
          <dt className="text-slate-400">Host</dt>
          <dd>{info.host === 'electron' ? 'desktop app' : 'headless server'}</dd>
          <dt className="text-slate-400">Data directory</dt>
          <dd className="font-mono break-all">{info.dataDir}</dd>
          <dt className="text-slate-400">Node</dt>
          <dd>{info.node}</dd>
        </dl>
      )}
    </Card>
  );
}
