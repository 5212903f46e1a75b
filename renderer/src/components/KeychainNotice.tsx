// Shown by the pages that need a secret when the core cannot keep one: the system keychain is not
// available (or the operator's secrets directory is refused), why, and the fix for the core's OS.
// It asks the core again each time a page shows it, so a keyring started meanwhile is seen.
import { useEffect } from 'react';
import { useSecrets } from '../stores/secrets-store.ts';
import { Notice } from './Notice.tsx';

/** The core writes commands between backticks; show them as code the user can copy. */
function WithCommands({ text }: { text: string }) {
  return text.split('`').map((part, index) =>
    index % 2 === 1 ? (
      <code key={index} className="rounded bg-black/30 px-1 font-mono">
        {part}
      </code>
    ) : (
      part
    ),
  );
}

export function KeychainNotice() {
  const { status, refresh } = useSecrets();

  useEffect(() => {
    void refresh();
  }, [refresh]);

  if (!status || status.available) return null;
  return (
    <Notice tone="warning" testId="keychain-notice">
      <p className="font-medium">{status.message}</p>
      {status.fix && (
        <p className="mt-1">
          <WithCommands text={status.fix} />
        </p>
      )}
      <p className="mt-1 text-amber-300/80">
        Everything that needs no secret (charts, data, backtests, the optimiser) keeps working.
      </p>
    </Notice>
  );
}
