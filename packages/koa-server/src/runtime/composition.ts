/**
 * The composition root: builds the store, the Odoo source, the reconciler, the scheduler, the
 * notifier and the HTTP app from a {@link ServerConfig}, starts them, and stops them in order.
 * @module
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import {
  type AlertContext,
  type Clock,
  type Notifier,
  Reconciler,
  type ReconcilerOptions,
  type SourceReader,
  type SyncStore,
  SyncScheduler,
  type SyncSchedulerOptions,
  type EntityName,
  getEntitySpec,
  systemClock,
} from '@odoo-sync/core';
import { ActivityLogger, ActivityProjector } from '@odoo-sync/core/activity';
import { type EntityDefinition, MAIL_ENTITIES } from '@odoo-sync/core/entities';
import { ConflictError, summarizeError } from '@odoo-sync/core/errors';
import { OdooClient, type OdooClientOptions, OdooSource } from '@odoo-sync/odoo-adapter';
import type { Ms365TokenRefresher, Ms365TokenRefresherOptions } from '@odoo-sync/ms365-auth';
import { BOOTSTRAP_ADMIN_EMAIL, ensureBootstrapAdminKey } from '../auth/api-keys.js';
import { createApp, type CreateAppOptions, type OdooSyncApp } from '../http/app.js';
import { trackConnections } from './connections.js';
import { answerClientErrors } from '../http/client-errors.js';
import { apiKeyAuthenticator, type Authenticator } from '../auth/authenticate.js';
import type { OdooConfig, ServerConfig, StoreConfig } from './config.js';
import { createLogger, type ServerLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { localProcessProbe, processLeaseOwner } from './lease-probe.js';
import { Secret } from '../secret.js';
import { checkEmployeeNumberField, type EmployeeNumberReader, employeeNumbersFromOdoo } from '../linking/employee-numbers.js';
import { importOptional } from './optional-modules.js';

/** A running Odoo simulator (from `@odoo-sync/odoo-sim`). */
export interface SimulatorHandle {
  /** Base URL. */
  url: string;
  /** Database name. */
  db: string;
  /** Login. */
  username: string;
  /** API key (or password) that the simulator accepts. */
  apiKey: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** How many records of each kind the simulator generates (its `DatasetCounts`). */
export type SimulatorCounts = Partial<Record<'partners' | 'companies' | 'opportunities' | 'invoices' | 'employees' | 'users' | 'stages', number>>;

/** Options of the in-process simulator used when no `ODOO_URL` is configured. */
export interface SimulatorOptions {
  /**
   * Seed of the generated data (same seed, same data).
   * @default 1
   */
  seed?: number;
  /** How many records of each kind to generate (the simulator's defaults when absent). */
  counts?: SimulatorCounts;
}

/** Mode of the data directories the server creates: users, sessions and token caches live there. */
export const PRIVATE_DIR_MODE = 0o700;

/**
 * Opens the store a {@link StoreConfig} names. The SQLite file's directory is created when
 * missing, readable by this account only (0700); the store creates the file itself 0600.
 * Only the driver in use is loaded (the MongoDB driver alone weighs tens of megabytes).
 */
export async function openStore(config: StoreConfig, logger: ServerLogger): Promise<SyncStore> {
  if (config.kind === 'sqlite') {
    mkdirSync(dirname(config.path), { recursive: true, mode: PRIVATE_DIR_MODE });
    const { SqliteStore } = await importOptional('@odoo-sync/sqlite-store', () => import('@odoo-sync/sqlite-store'), {
      variable: 'STORE_URL',
      because: 'STORE_URL names an SQLite file',
      hint: 'Install @odoo-sync/sqlite-store and better-sqlite3 next to the server, or point STORE_URL at MongoDB.',
    });
    return new SqliteStore({ path: config.path, logger: logger.child({ component: 'sqlite-store' }) });
  }
  const url = config.url.reveal();
  const { MongoStore } = await importOptional('@odoo-sync/mongo-store', () => import('@odoo-sync/mongo-store'), {
    variable: 'STORE_URL',
    because: 'STORE_URL names a MongoDB database',
    hint: 'Install @odoo-sync/mongo-store and mongodb next to the server, or point STORE_URL at an SQLite file.',
  });
  const dbName = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url)?.[1];
  return new MongoStore({
    url,
    ...(dbName ? { dbName: decodeURIComponent(dbName) } : {}),
    logger: logger.child({ component: 'mongo-store' }),
  });
}

/**
 * What alerts say about this deployment: its public URL (or host name) and links to the
 * dashboard and the sync logs when `PUBLIC_URL` is set, in `TIME_ZONE`.
 */
export function alertContextOf(config: Pick<ServerConfig, 'publicUrl' | 'timeZone'>): AlertContext {
  const base = config.publicUrl;
  return {
    deployment: base ?? hostname(),
    resumeHow: `${base ? `POST ${base}/api/sync/resume as an admin` : 'POST /api/sync/resume as an admin'}, or odoo-sync sync resume`,
    ...(base ? { links: { dashboard: `${base}/`, logs: `${base}/api/sync/logs` } } : {}),
    ...(config.timeZone ? { timeZone: config.timeZone } : {}),
  };
}

/**
 * Starts the in-process Odoo simulator with seeded data (loaded only then: a real deployment
 * never loads it). `@odoo-sync/odoo-sim` is an optional peer dependency: without it this throws
 * a `ConfigError` that says to set `ODOO_URL` or install it.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const { startOdooSim } = await importOptional('@odoo-sync/odoo-sim', () => import('@odoo-sync/odoo-sim'), {
    variable: 'ODOO_URL',
    because: 'ODOO_URL is not set, so the server would sync from the built-in Odoo simulator (demo data)',
    hint: 'Set ODOO_URL (and ODOO_DB, ODOO_USERNAME, ODOO_API_KEY) to your Odoo, or install @odoo-sync/odoo-sim for the demo.',
  });
  const sim = await startOdooSim({ seed: options.seed ?? 1, host: '127.0.0.1', port: 0, ...(options.counts ? { counts: options.counts } : {}) });
  return { url: sim.url, db: sim.db, username: sim.credentials.username, apiKey: sim.credentials.apiKey, close: () => sim.close() };
}

/** An Odoo client over the configuration (a real Odoo, or the simulator). */
export function createOdooClient(odoo: OdooConfig, logger: ServerLogger, overrides: Partial<OdooClientOptions> = {}): OdooClient {
  return new OdooClient({
    url: odoo.url,
    db: odoo.db,
    username: odoo.username,
    ...(odoo.credentialKind === 'api_key' ? { apiKey: odoo.credential.reveal() } : { password: odoo.credential.reveal() }),
    protocol: odoo.protocol,
    logger: logger.child({ component: 'odoo' }),
    ...overrides,
  });
}

/** Options of {@link startServer} beyond the configuration. */
export interface StartServerOptions {
  /** Logger. @default pino at `config.logLevel` on stdout */
  logger?: ServerLogger;
  /** Time source. @default systemClock */
  clock?: Clock;
  /** A store to use instead of opening `config.store` (it is closed on shutdown all the same). */
  store?: SyncStore;
  /** A source to use instead of Odoo or the simulator. */
  source?: SourceReader;
  /** Options of the simulator started when `config.odoo` is `null`. */
  simulator?: SimulatorOptions;
  /** Extra options of the Odoo client (tests turn retries off). */
  odooClient?: Partial<Omit<OdooClientOptions, 'url' | 'db' | 'username' | 'apiKey' | 'password'>>;
  /** Extra options of the reconciler (tests shorten retries and leases). */
  reconciler?: Partial<Omit<ReconcilerOptions, 'source' | 'store'>>;
  /** Extra options of the scheduler. */
  scheduler?: Partial<Omit<SyncSchedulerOptions, 'runner' | 'locks' | 'settings'>>;
  /** A notifier to use instead of the SMTP one built from `config.smtp`. */
  notifier?: Notifier;
  /** Authenticators tried after the API key one (e.g. a Microsoft 365 session cookie). */
  authenticators?: readonly Authenticator[];
  /** Collect Node process metrics on `/metrics`. @default true */
  processMetrics?: boolean;
  /** Options of the webhook queue (tests shorten its delays). */
  webhooks?: CreateAppOptions['webhooks'];
  /** Extra options of the Microsoft 365 refresher built from `config.ms365` (tests point it at a `FakeEntraId`). */
  ms365?: Partial<Omit<Ms365TokenRefresherOptions, 'store'>>;
  /**
   * Rewrites the Microsoft 365 login URL the browser is sent to (the demo's loopback stand-in
   * of Microsoft speaks plain HTTP while MSAL names it with https).
   */
  ms365LoginUrlForBrowser?: (url: string) => string;
  /** Options of the server's pages (e.g. the origins its forms may go to). */
  pages?: CreateAppOptions['pages'];
}

/** What {@link startServer} started. */
export interface RunningServer {
  /** `http://host:port` it listens on. */
  url: string;
  /** The Koa app. */
  app: OdooSyncApp;
  /** The HTTP server. */
  server: Server;
  /** The store. */
  store: SyncStore;
  /** The scheduler (started). */
  scheduler: SyncScheduler;
  /** The reconciler. */
  reconciler: Reconciler;
  /** The Odoo simulator, when one was started because no Odoo is configured. */
  simulator: SimulatorHandle | null;
  /** The logger. */
  logger: ServerLogger;
  /** The Microsoft 365 refresher (`getAccessToken(userId)` for Graph calls), or `null` when not configured. */
  ms365: Ms365TokenRefresher | null;
  /**
   * Graceful shutdown: stop taking requests, let a running sync reach a checkpoint, release the
   * leases, close the store. Safe to call twice (the second call waits for the first).
   */
  close(): Promise<void>;
}

/** The source, the reconciler and what must be closed with them. */
export interface SyncEngine {
  /** The Odoo source. */
  source: SourceReader;
  /** The reconciler. */
  reconciler: Reconciler;
  /** The simulator, when started. */
  simulator: SimulatorHandle | null;
  /** The Odoo client the source reads through (the CRM routes write through it), or `null` when a source was given. */
  odoo: OdooClient | null;
  /** Closes the Odoo client and the simulator (not the store). */
  close(): Promise<void>;
}

/**
 * Builds the Odoo source and the reconciler over `store`: a real Odoo from `config.odoo`, or an
 * in-process simulator (with a warning) when it is `null`.
 */
export async function createSyncEngine(
  config: ServerConfig,
  store: SyncStore,
  options: Pick<StartServerOptions, 'source' | 'simulator' | 'reconciler' | 'odooClient' | 'clock' | 'notifier'> & { logger: ServerLogger },
): Promise<SyncEngine> {
  const { logger } = options;
  let simulator: SimulatorHandle | null = null;
  let client: OdooClient | null = null;
  let source = options.source;
  if (!source) {
    let odoo = config.odoo;
    if (odoo === null) {
      simulator = await startSimulator(options.simulator);
      logger.warn(
        { odooUrl: simulator.url },
        'ODOO_URL is not set: syncing from the built-in Odoo SIMULATOR with generated demo data, not from a real Odoo',
      );
      odoo = {
        url: simulator.url,
        db: simulator.db,
        username: simulator.username,
        credential: new Secret(simulator.apiKey),
        credentialKind: 'api_key',
        protocol: config.odoo === null ? 'auto' : config.odoo.protocol,
      };
    }
    client = createOdooClient(odoo, logger, options.odooClient);
    source = new OdooSource(client);
  }
  // Names of the server's entities become definitions; entities that define activities (Odoo's
  // chatter) feed the timeline through the projector.
  const entities = (options.reconciler?.entities ?? config.syncEntities).map((entity): EntityName | EntityDefinition =>
    typeof entity !== 'string' ? entity : (MAIL_ENTITIES.find((spec) => spec.name === entity) ?? entity),
  );
  const replaced = options.reconciler?.specs as Record<string, EntityDefinition | undefined> | undefined;
  const definitions = entities.map((entity) => (typeof entity !== 'string' ? entity : (replaced?.[entity] ?? getEntitySpec(entity))));
  const projector = new ActivityProjector({
    activities: store,
    records: store,
    users: store,
    entities: definitions,
    logger: logger.child({ component: 'activities' }),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const reconciler = new Reconciler({
    source,
    store,
    projector,
    concurrency: config.syncConcurrency,
    deletionSweepEveryMs: config.syncDeletionSweepEveryHours * 3_600_000,
    owner: processLeaseOwner(),
    leaseOwnerProbe: localProcessProbe,
    entities,
    logger: logger.child({ component: 'reconciler' }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.notifier ? { notifier: options.notifier } : {}),
    ...options.reconciler,
  });
  return {
    source,
    reconciler,
    simulator,
    odoo: client,
    async close() {
      await client?.close();
      await simulator?.close();
    },
  };
}

/**
 * Starts the whole service from its configuration and resolves once it listens.
 *
 * @example
 * ```ts
 * const running = await startServer(loadConfig(process.env));
 * process.once('SIGTERM', () => void running.close());
 * ```
 */
export async function startServer(config: ServerConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  const store = options.store ?? (await openStore(config.store, logger));
  const cleanups: Array<() => Promise<void> | void> = [() => store.close()];
  const cleanup = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        logger.warn({ err: summarizeError(err) }, 'error while closing');
      }
    }
  };
  try {
    await store.ping();
    if (config.bootstrapAdminKey) {
      try {
        const created = await ensureBootstrapAdminKey(store, config.bootstrapAdminKey.reveal(), clock, config.bootstrapAdminEmail);
        if (created) logger.info({}, 'bootstrap admin API key created (ODOO_SYNC_BOOTSTRAP_ADMIN_KEY)');
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        logger.warn({}, 'ODOO_SYNC_BOOTSTRAP_ADMIN_KEY was revoked; it stays revoked (remove the variable)');
      }
    }

    let notifier = options.notifier;
    if (!notifier && config.smtp) {
      // Loaded only when SMTP is configured (nodemailer weighs), like the sign-in below (MSAL).
      const { SmtpNotifier } = await import('./notifier.js');
      const smtp = new SmtpNotifier({ users: store, from: config.smtp.from, smtpUrl: config.smtp.url, logger: logger.child({ component: 'alerts' }) });
      cleanups.push(() => smtp.close());
      notifier = smtp;
      const placeholder = await store.getUserByEmail(BOOTSTRAP_ADMIN_EMAIL);
      if (placeholder !== null && placeholder.role === 'admin' && placeholder.status === 'approved') {
        logger.warn(
          { email: BOOTSTRAP_ADMIN_EMAIL },
          `the bootstrap admin ${BOOTSTRAP_ADMIN_EMAIL} gets no alert e-mails: set ODOO_SYNC_BOOTSTRAP_ADMIN_EMAIL to a real address`,
        );
      }
    }
    if (!notifier) {
      logger.warn({}, 'SMTP_URL is not set: alerts are only logged, not e-mailed');
      const log = logger.child({ component: 'alerts' });
      notifier = { notify: async (alert) => log.error({ kind: alert.kind, details: alert.details }, alert.subject) };
    }

    const engine = await createSyncEngine(config, store, { ...options, logger, notifier });
    cleanups.push(() => engine.close());
    const scheduler = new SyncScheduler({
      runner: engine.reconciler,
      locks: store,
      settings: store,
      notifier,
      intervalMinutes: config.syncIntervalMinutes,
      failureThreshold: config.alertAfterFailures,
      owner: processLeaseOwner(),
      leaseOwnerProbe: localProcessProbe,
      fullRuns: {
        everyHours: config.syncFullEveryHours,
        atHour: config.syncFullAtHour,
        ...(config.timeZone ? { timeZone: config.timeZone } : {}),
      },
      alertContext: alertContextOf(config),
      pauseAfterHours: config.syncPauseAfterHours,
      retention: { activities: store, activityDays: config.activityRetentionDays, syncLogs: store, syncLogDays: config.syncLogRetentionDays },
      logger: logger.child({ component: 'scheduler' }),
      clock,
      ...options.scheduler,
    });
    let employeeNumbers: EmployeeNumberReader | undefined;
    if (config.linkEmployeeIdField !== null) {
      await checkEmployeeNumberField(engine.source, config.linkEmployeeIdField, logger);
      employeeNumbers = employeeNumbersFromOdoo(engine.source, config.linkEmployeeIdField);
    }
    const signIn =
      config.sessionSecret === null
        ? null
        : (await import('../auth/sign-in.js')).createSignIn(config, store, {
            clock,
            logger,
            ...(options.ms365 ? { ms365: options.ms365 } : {}),
            ...(options.ms365LoginUrlForBrowser ? { loginUrlForBrowser: options.ms365LoginUrlForBrowser } : {}),
          });
    if (signIn) cleanups.push(() => signIn.stop());
    const metrics = new ServerMetrics({ processMetrics: options.processMetrics ?? true });
    signIn?.refresher?.on('profile:read', ({ outcome, reason }) => metrics.recordGraphProfile(outcome, reason));
    let shuttingDown = false;
    const activities = new ActivityLogger({ store, clock, logger: logger.child({ component: 'activities' }) });
    // Closed after the HTTP server has stopped (cleanups run last-in first-out): queued activities are written.
    cleanups.push(() => activities.close());
    const app = createApp({
      activities,
      odoo: engine.odoo,
      store,
      scheduler,
      reconciler: engine.reconciler,
      config,
      logger,
      clock,
      metrics,
      isShuttingDown: () => shuttingDown,
      ...(employeeNumbers ? { employeeNumbers } : {}),
      ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      ...(signIn ? { signIn: signIn.options } : {}),
      ...(options.pages ? { pages: options.pages } : {}),
      ...(options.authenticators
        ? {
            authenticators: [
              apiKeyAuthenticator(store, { clock, logger }),
              ...options.authenticators,
            ],
          }
        : {}),
    });
    const server = app.listen(config.port, config.host);
    const connections = trackConnections(server);
    answerClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}`;
    await scheduler.start();
    app.webhooks.start();
    cleanups.push(() => app.webhooks.stop());
    logger.info({ url, store: config.store.kind, odoo: engine.simulator ? 'simulator' : 'odoo' }, 'odoo-sync listening');

    let closing: Promise<void> | null = null;
    const close = () =>
      (closing ??= (async () => {
        shuttingDown = true;
        logger.info({}, 'shutting down: no new requests, waiting for the running sync to reach a checkpoint');
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        connections.drain();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), config.shutdownTimeoutMs);
          timer.unref();
        });
        const stopped = await Promise.race([scheduler.stop().then(() => 'stopped' as const), timeout]);
        if (stopped === 'timeout') logger.warn({}, 'the running sync did not stop in time; its leases will expire');
        const drained = await Promise.race([serverClosed.then(() => 'closed' as const), timeout]);
        if (drained === 'timeout') server.closeAllConnections();
        clearTimeout(timer);
        await cleanup();
        logger.info({}, 'stopped');
      })());
    return { url, app, server, store, scheduler, reconciler: engine.reconciler, simulator: engine.simulator, ms365: signIn?.refresher ?? null, logger, close };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
