// What the headless UI shows when the server wants its token: the way in, not a page of errors.
import { useSyncExternalStore, type ReactNode } from 'react';
import { session } from '../api/session.ts';

function LoginRequired() {
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-4 p-6 text-slate-200">
      <h1 className="text-xl font-semibold text-white">Open the login link to use AUTOBOT</h1>
      <div data-testid="login-required" className="flex flex-col gap-3 text-sm leading-relaxed">
        <p>
          This AUTOBOT server answers only browsers that logged in with its link. Open the link{' '}
          <code className="text-sky-300">autobot serve</code> printed when it started (
          <code className="text-sky-300">Open AUTOBOT (this link works once): …</code>).
        </p>
        <p>
          Each link works once. For another browser or device, or if the link was used already, run{' '}
          <code className="text-sky-300">autobot login-link --url {window.location.origin}</code> on the
          machine running the server and open the link it prints.
        </p>
      </div>
    </main>
  );
}

/** The app, or the login explanation once the server has refused us for want of the token. */
export function SessionGate({ children }: { children: ReactNode }) {
  const loggedOut = useSyncExternalStore(session.subscribe, session.isLoggedOut);
  return loggedOut ? <LoginRequired /> : children;
}
