// The composition root every host uses: open the journal, the keychain and the engines, and wire
// the contract handlers to them. Electron main, `autobot serve` and the tests all start here.
import path from 'node:path';
import { createDispatcher, type CallGate, type Dispatch, type Handlers } from '../contract/dispatch.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { ownerOnlyDir } from '../storage/owner-only.ts';
import { CandleRepository } from '../storage/candle-repository.ts';
import { DrawingRepository } from '../storage/drawing-repository.ts';
import { UploadStore } from '../data/upload-store.ts';
import { candleHandlers } from './candle-handlers.ts';
import { marketDataHandlers } from './market-data-handlers.ts';
import { ccxtHandlers } from './ccxt-handlers.ts';
import { LiveFeeds } from './live-feeds.ts';
import { BotVenues } from './bot-venues.ts';
import { realMoneyVenues } from './real-money-venues.ts';
import type { LiveVenue } from '../bots/bot-supervisor.ts';
import { tradesRealMoney } from '../contract/bots-calls.ts';
import { KeychainSecretStore, type SecretStore } from '../secrets/secret-store.ts';
import { ApiKeyVault } from '../secrets/api-key-vault.ts';
import { FileDirSecretStore } from '../secrets/secret-dir-store.ts';
import { probeSecrets, SecretsAvailability, type SecretsStatus } from '../secrets/secrets-status.ts';
import {
  LicenseService,
  type LicenseServiceOptions,
  type LicenseStatus,
} from '../license/license-service.ts';
import { machineKeychainService } from '../license/machine-records.ts';
import { defaultResourcesDir, loadTrustedKeys } from '../license/trust.ts';
import { AutobotError } from '../contract/errors.ts';
import { CoreEvents } from './events.ts';
import { licenseGate } from './license-gate.ts';
import { appVersion } from './version.ts';
import { backtestHandlers } from './backtest-handlers.ts';
import { optimizeHandlers } from './optimize-handlers.ts';
import { paperHandlers } from './paper-handlers.ts';
import { rlHandlers } from './rl-handlers.ts';
import { ctraderHandlers } from './ctrader-handlers.ts';
import { ctraderLiveFeed } from './ctrader-live-feed.ts';
import { CTraderAccounts, type CTraderAccountsOptions } from '../venues/ctrader/ctrader-accounts.ts';
import { marketIntelligenceHandlers } from './market-intelligence-handlers.ts';
import { reinvestmentBudgetHandlers } from './reinvestment-budget-handlers.ts';
import type { ProviderHubOptions } from '../providers/provider-hub.ts';
import { anonymousRun, RunQueue } from '../jobs/run-queue.ts';
import { BotSupervisor } from '../bots/bot-supervisor.ts';
import { botOwner } from '../bots/bot-store.ts';
import { botsHandlers } from './bots-handlers.ts';
import { AccountRisk } from './account-risk.ts';
import { riskHandlers } from './risk-handlers.ts';

export type HostKind = 'electron' | 'headless' | 'cli' | 'test';

export interface AppOptions {
  dataDir: string;
  host: HostKind;
  /** Keychain service name; tests pass their own so they never touch a user's entries. */
  keychainService?: string;
  /** Replaces the keychain for the install's secrets and, unless machineKeychainService is given, the machine's records too. */
  secretStore?: SecretStore;
  /**
   * Development and tests only (dev-overrides.ts): another keychain service for the machine-level
   * records (trial, clock high-water mark), which otherwise always live under "AUTOBOT-machine",
   * whatever keychainService says, so reinstalling under another name resets neither.
   */
  machineKeychainService?: string;
  /** Replaces the licence gate; only tests of other layers use it. */
  gate?: CallGate;
  /** Folder holding vendor-public.pem (packaged app: process.resourcesPath). */
  resourcesDir?: string;
  /**
   * An extra trusted licence public key (PEM) for development and tests. The app then says so on
   * every screen and in the log: a build that trusts a test key must never look like a release.
   */
  testPublicKeyPem?: string;
  /** Clock, machine fingerprint and cache settings of the licence service (tests inject them). */
  license?: Partial<
    Omit<LicenseServiceOptions, 'secrets' | 'machineSecrets' | 'trustedKeys' | 'testKeyTrusted'>
  >;
  checkOutputs?: boolean;
  /**
   * Slots of the run queue: how many worker threads heavy runs (backtests on a worker,
   * optimisations, imports) keep busy at once. Default os.availableParallelism().
   */
  maxRuns?: number;
  log?: (message: string, detail?: unknown) => void;
  /** How the host opens cTrader's sign-in page (default: log the link), and tests' loopback fakes. */
  ctrader?: Partial<Pick<CTraderAccountsOptions, 'openBrowser' | 'testHooks'>>;
  /** The risk governor's clock (epoch ms); tests inject one to jump over cooldowns. */
  riskClock?: () => number;
  /** Provider base URLs and HTTP settings: loopback peers in tests (dev-overrides.ts). */
  providers?: Omit<ProviderHubOptions, 'vault'>;
}

export interface App {
  readonly dispatch: Dispatch;
  readonly events: CoreEvents;
  readonly db: Database;
  readonly secrets: SecretStore;
  /** Whether secrets can be kept now; probed at start, asked again while the answer is no. */
  secretsStatus(): Promise<SecretsStatus>;
  readonly license: LicenseService;
  readonly dataDir: string;
  /** Files streamed to the headless host (POST /api/upload) before candles.import uses them. */
  readonly uploads: UploadStore;
  /** The paper bots of this host (core/bots/bot-supervisor.ts); resumed at start. */
  readonly bots: BotSupervisor;
  /** The account's one risk governor; every order router the app makes comes from risk.router(). */
  readonly risk: AccountRisk;
  close(): void;
}

export const databaseFileName = 'autobot.db';

export function createApp(options: AppOptions): App {
  const events = new CoreEvents();
  // Every heavy run of this host waits here for a free slot (docs/architecture.md, "Heavy runs");
  // a new kind joins with queue.run({ id: runId, kind, signal }, () => runWorkerJob(...)). Made
  // first, so a bad maxRuns is refused before anything is opened.
  const queue = new RunQueue({
    capacity: options.maxRuns,
    listener: {
      queued: ({ id, kind, position }) => {
        if (!anonymousRun(id)) events.emit('runs.queued', { runId: id, kind, position });
      },
      started: ({ id, kind }) => {
        if (!anonymousRun(id)) events.emit('runs.started', { runId: id, kind });
      },
    },
  });
  const privateDir = ownerOnlyDir(options.dataDir);
  const databaseFile = path.join(options.dataDir, databaseFileName);
  const db = openDatabase(databaseFile);
  // Rebuilt from the journal before anything can order (docs/risk.md, "Restarts").
  const risk = new AccountRisk({
    db,
    ...(options.riskClock ? { clock: options.riskClock } : {}),
    onChange: (change) =>
      events.emit('risk.changed', {
        state: risk.governor.state,
        kind: change.kind,
        ...(change.breaker ? { breaker: change.breaker } : {}),
      }),
  });
  const candles = new CandleRepository(db);
  const drawings = new DrawingRepository(db);
  candles.sweep();
  const uploads = new UploadStore(options.dataDir);
  uploads.sweep();
  const secrets = options.secretStore ?? new KeychainSecretStore(options.keychainService ?? 'AUTOBOT');
  const machineSecrets =
    options.machineKeychainService !== undefined
      ? new KeychainSecretStore(options.machineKeychainService)
      : (options.secretStore ?? new KeychainSecretStore(machineKeychainService));
  const vault = new ApiKeyVault(secrets);
  const log = options.log ?? ((message, detail) => console.error(`[autobot] ${message}`, detail ?? ''));
  const secretsAvailability = new SecretsAvailability(() =>
    probeSecrets(
      secrets,
      secrets instanceof FileDirSecretStore
        ? { backend: 'directory', directory: secrets.directory }
        : { backend: 'keychain' },
    ),
  );
  // Probed once at start, without waiting: a host must come up (and say why) without a keychain.
  void secretsAvailability.current().then((status) => {
    if (!status.available) log(`${status.message} ${status.fix ?? ''}`.trim());
  });
  const trusted = loadTrustedKeys({
    resourcesDir: options.resourcesDir ?? defaultResourcesDir,
    ...(options.testPublicKeyPem ? { extraTestKeyPem: options.testPublicKeyPem } : {}),
  });
  if (!privateDir)
    log(`WARNING: could not make ${options.dataDir} readable by its owner only (chmod 700 refused).`);
  if (trusted.testKeyTrusted)
    log('WARNING: a test licence key is trusted; this is not a release configuration.');
  const license = new LicenseService({
    ...options.license,
    secrets,
    machineSecrets,
    trustedKeys: trusted.keys,
    testKeyTrusted: trusted.testKeyTrusted,
  });
  const licenseOutcome = (
    result: { ok: true; value: LicenseStatus } | { ok: false; refusal: { code: string; message: string } },
  ) => {
    if (result.ok) return result.value;
    throw new AutobotError('license_invalid', result.refusal.message, { reason: result.refusal });
  };

  const maxInstances = () => license.maxInstances();
  const liveFeeds = new LiveFeeds({ candles, emit: (name, payload) => events.emit(name, payload) });
  const ctrader = new CTraderAccounts({
    secrets,
    vault,
    openBrowser:
      options.ctrader?.openBrowser ?? ((url) => log(`Open this address to connect cTrader: ${url}`)),
    testHooks: options.ctrader?.testHooks,
  });
  const bots = new BotSupervisor({
    db,
    candles,
    emit: (name, payload) => events.emit(name, payload),
    maxInstances,
    venueFeed: (bot) =>
      ctraderLiveFeed(ctrader, bot, { candles, emit: (name, payload) => events.emit(name, payload) }),
    log,
    liveFeed: (bot, after) => liveFeeds.forBot(bot, after),
    // Declared below: it needs the supervisor's journal, and is first called when a live bot starts.
    liveVenue: (bot): Promise<LiveVenue> => botVenues.forBot(bot),
    liveAccess: async (bot) => {
      if (!tradesRealMoney(bot.definition)) return null;
      const refusal = await license.check({ feature: 'live-trading' });
      return refusal === null
        ? null
        : new AutobotError(refusal.code, refusal.reason.message, { reason: refusal.reason });
    },
    risk,
  });
  const botVenues: BotVenues = new BotVenues({
    ctrader,
    vault,
    db,
    journal: bots.journal,
    record: (id, event, eventId) => bots.record(id, event, eventId),
    governor: {
      trip: (request) => risk.governor.trip(request),
      rearm: (breaker, key) => risk.governor.rearm(breaker, key),
    },
    log,
  });
  // A bot's trip on its bars' clock counts down from where its replay stopped (docs/risk.md).
  for (const bot of bots.list())
    if (bot.lastBarTime !== null) risk.botReached(botOwner(bot.id), bot.lastBarTime * 1000);
  // Bots that were running when the host went away carry on from their checkpoints — in the hosts
  // that stay up, not in a one-shot CLI command.
  // cTrader sessions whose tokens are stored come back first, so bots on their prices resume too.
  let closed = false;
  if (options.host !== 'cli')
    void ctrader
      .resumeStored(
        async (environment) =>
          (await license.check(environment === 'live' ? { feature: 'live-trading' } : 'licensed')) === null,
      )
      .finally(() => {
        // The host may have closed while the sessions came back (a short-lived app in a test, a
        // quit during start): then there is nothing to resume into.
        if (!closed) void bots.resume().catch((error: unknown) => log('bots could not resume', error));
      });

  const intelligence = marketIntelligenceHandlers({
    db,
    vault,
    candles,
    events,
    ...(options.providers ? { hub: options.providers } : {}),
  });
  const handlers: Handlers = {
    'app.info': () => ({
      name: 'AUTOBOT' as const,
      version: appVersion,
      host: options.host,
      dataDir: options.dataDir,
      node: process.versions.node,
    }),
    ...candleHandlers({
      candles,
      uploads,
      events,
      databaseFile,
      queue,
      allowPaths: options.host === 'electron' || options.host === 'cli',
    }),
    'candles.list': () => ({ series: candles.listSeries() }),
    'candles.get': (input) => {
      const columns = candles.read(input.symbol, input.timeframe, input.from, input.to);
      return {
        symbol: input.symbol,
        timeframe: input.timeframe,
        candles: {
          time: Array.from(columns.time),
          open: Array.from(columns.open),
          high: Array.from(columns.high),
          low: Array.from(columns.low),
          close: Array.from(columns.close),
          volume: Array.from(columns.volume),
        },
      };
    },
    'secrets.status': () => secretsAvailability.current(),
    'candles.window': (input) => {
      const window = candles.readWindow(input.symbol, {
        maxBars: input.maxBars,
        ...(input.from !== undefined ? { from: input.from } : {}),
        ...(input.to !== undefined ? { to: input.to } : {}),
        ...(input.timeframe ? { exact: input.timeframe } : {}),
        ...(input.finest ? { finest: input.finest } : {}),
      });
      if (!window) {
        throw new AutobotError('not_found', `No candles are stored for ${input.symbol}.`, {
          issues: [{ path: 'symbol', message: `no stored series for ${input.symbol}` }],
        });
      }
      return { symbol: input.symbol, ...window };
    },
    'chart.drawings': (input) => ({ symbol: input.symbol, drawings: drawings.get(input.symbol) }),
    'chart.saveDrawings': (input) => {
      drawings.save(input.symbol, input.drawings);
      return { symbol: input.symbol, drawings: drawings.get(input.symbol) };
    },
    'license.status': () => license.status(),
    'license.install': async (input) => licenseOutcome(await license.install(input.key)),
    'license.installActivation': async (input) =>
      licenseOutcome(await license.installActivation(input.activation)),
    'license.startTrial': async () => licenseOutcome(await license.startTrial()),
    'license.remove': async () => ({ removed: await license.remove() }),
    'live.venues': async () => ({ venues: await realMoneyVenues(ctrader, vault) }),
    'vault.list': async () => ({ credentials: await vault.list() }),
    'vault.save': (input) => {
      const credential = {
        key: input.key,
        secret: input.secret,
        ...(input.passphrase ? { passphrase: input.passphrase } : {}),
      };
      return vault.save(input.provider, credential);
    },
    'vault.remove': async (input) => ({ removed: await vault.remove(input.provider) }),
    ...backtestHandlers({ db, databaseFile, candles, events, queue }),
    ...optimizeHandlers({ db, candles, events, queue }),
    ...botsHandlers(bots, maxInstances),
    ...paperHandlers({ db, candles }),
    ...rlHandlers({ db, events, queue, candles, databaseFile }),
    ...ctraderHandlers(ctrader),
    ...riskHandlers(risk),
    ...marketDataHandlers({ candles, events }),
    ...ccxtHandlers({
      vault,
      db,
      journal: bots.journal,
      // The governor in force when a run trips or an acknowledgement re-arms: settings replace it.
      governor: {
        trip: (request) => risk.governor.trip(request),
        rearm: (breaker, key) => risk.governor.rearm(breaker, key),
      },
      symbolsOf: (exchange) => [
        ...new Set(
          bots
            .list()
            .map((bot) => bot.definition.feed)
            .flatMap((feed) => (feed.kind === 'exchange' && feed.exchange === exchange ? [feed.symbol] : [])),
        ),
      ],
    }),
    ...intelligence,
    ...reinvestmentBudgetHandlers({ db, revenue: intelligence['shopify.revenue'] }),
  };

  const dispatch = createDispatcher(handlers, {
    gate: options.gate ?? licenseGate(license),
    checkOutputs: options.checkOutputs ?? false,
    onInternalError: (name, error) => log(`call ${name} failed`, error),
  });

  return {
    dispatch,
    events,
    db,
    secrets,
    secretsStatus: () => secretsAvailability.current(),
    license,
    dataDir: options.dataDir,
    uploads,
    bots,
    risk,
    close: () => {
      closed = true;
      bots.closeNow();
      void liveFeeds.close();
      void botVenues.close();
      ctrader.close();
      risk.close();
      db.close();
    },
  };
}
