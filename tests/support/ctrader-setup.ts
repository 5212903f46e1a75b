// A CTraderVenue on a loopback CTraderPeer, with a real journal file and order router: what a bot's
// order goes through on cTrader, with the peer's faults at hand. Timings are short so a reconnect
// happens in well under a second; nothing waits on them — tests wait for events.
import path from 'node:path';
import { ClientOrderIds } from '../../core/orders/client-order-ids.ts';
import { OrderJournal } from '../../core/orders/order-journal.ts';
import { OrderRouter } from '../../core/orders/order-router.ts';
import { reconcile } from '../../core/orders/reconcile.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { CTraderVenue } from '../../core/venues/ctrader/ctrader-venue.ts';
import type { TokenSource } from '../../core/venues/ctrader/token-source.ts';
import type { VenueEvent } from '../../core/venues/venue.ts';
import { CTraderPeer } from './ctrader-peer.ts';
import type { TestCertificates } from './test-certificates.ts';
import { makeTempDir } from './temp-dir.ts';

export interface CTraderSetup {
  peer: CTraderPeer;
  venue: CTraderVenue;
  journal: OrderJournal;
  router: OrderRouter;
  events: VenueEvent[];
  /** The tokens the app holds (a refresh replaces both). */
  held: { access: string; refresh: string };
  /** Resolves when `condition` holds, checked now and after every venue event. */
  until(condition: () => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startCTraderSetup(
  certs: TestCertificates,
  options: {
    partialFills?: boolean;
    /** Silence that declares the connection dead; long by default so a loaded machine's pauses do not. */
    silenceMs?: number;
    tokens?: (held: CTraderSetup['held'], peer: CTraderPeer) => TokenSource;
  } = {},
): Promise<CTraderSetup> {
  const held = { access: 'access-0', refresh: 'refresh-0' };
  const peer = await CTraderPeer.start({
    pair: certs.valid,
    clientId: 'my-app',
    clientSecret: 'my-secret',
    accessToken: held.access,
    refreshToken: held.refresh,
    heartbeatMs: 100,
    partialFills: options.partialFills ?? false,
  });
  const tokens: TokenSource = options.tokens?.(held, peer) ?? {
    accessToken: async () => held.access,
    refresh: async () => {
      const pair = peer.refresh(held.refresh);
      held.access = pair.accessToken;
      held.refresh = pair.refreshToken;
      return pair.accessToken;
    },
  };
  const { dir, cleanup } = makeTempDir('autobot-ctrader-');
  const db: Database = openDatabase(path.join(dir, 'journal.db'));
  const journal = new OrderJournal(db);
  let router: OrderRouter | null = null;
  const venue: CTraderVenue = new CTraderVenue({
    environment: 'demo',
    application: { clientId: 'my-app', clientSecret: 'my-secret' },
    tokens,
    endpoint: peer.endpoint,
    ca: certs.ca,
    connection: { heartbeatMs: 100, silenceMs: options.silenceMs ?? 10_000, requestTimeoutMs: 5_000 },
    backoff: { initialMs: 20, maxMs: 200 },
    afterSession: async () => {
      const current = router;
      if (current)
        await reconcile(journal, venue, {
          record: (id, event, eventId) => current.record(id, event, eventId),
        });
    },
  });
  const events: VenueEvent[] = [];
  const waiters = new Set<() => void>();
  venue.onEvent((event) => {
    events.push(event);
    // After every listener (the router records the event in its own): then the journal shows it.
    queueMicrotask(() => {
      for (const check of waiters) check();
    });
  });
  await venue.connect();
  router = new OrderRouter({
    journal,
    venue,
    ids: ClientOrderIds.open(db),
    instruments: await venue.instruments(),
    owner: 'bot-ctrader',
  });
  const reached = router;
  return {
    peer,
    venue,
    journal,
    router: reached,
    events,
    held,
    until: (condition) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!condition()) return;
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      }),
    close: async () => {
      reached.close();
      await venue.disconnect();
      await peer.close();
      db.close();
      cleanup();
    },
  };
}
