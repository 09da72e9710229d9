/**
 * The Koa app: routes, authentication, validation, errors, logs and metrics. Depends only on
 * core's ports and the narrow {@link SyncControl} / {@link RecordReconciler} shapes, so it runs
 * the same over MemoryStore in a test and over SQLite or MongoDB in production.
 * @module
 */
import { randomUUID } from 'node:crypto';
import { type Clock, ENTITY_NAMES, type EntityName, type Logger, type SyncStore, systemClock } from '@odoo-sync/core';
import { ActivityLogger } from '@odoo-sync/core/activity';
import { BUILT_IN_ENTITIES, type EntityDefinition, entityRegistry } from '@odoo-sync/core/entities';
import { ConfigError, InputError, summarizeError } from '@odoo-sync/core/errors';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { apiKeyAuthenticator, authenticate, requireRole, type Authenticator } from '../auth/authenticate.js';
import { isSuccessStatus, writeNotedActivities } from './activity-middleware.js';
import { errorMiddleware, HttpProblem } from './errors.js';
import { toServerLogger, type ServerLogger } from '../runtime/logger.js';
import { ServerMetrics } from '../runtime/metrics.js';
import { buildOpenApiDocument } from './openapi.js';
import type { OdooWriter, RecordReconciler, SyncControl } from './ports.js';
import { parseInput, parseQueryString, readJsonBody } from './request.js';
import { defineRoute, type AnyRoute, type AppState, type RouteDeps } from './route.js';
import type { EmployeeNumberReader } from '../linking/employee-numbers.js';
import { OdooDirectoryCache } from '../linking/odoo-directory.js';
import { WebhookQueue, type WebhookQueueOptions } from '../runtime/webhook-queue.js';
import { activityRoutes } from './routes/activities.js';
import { adminApiKeyRoutes } from './routes/admin-api-keys.js';
import { adminUserRoutes } from './routes/admin-users.js';
import { authRoutes, type SignInOptions } from './routes/auth.js';
import { apiKeySignInRoutes } from '../pages/api-key-signin.js';
import { assetRoutes } from '../pages/asset-routes.js';
import { installedElementsBundle } from '../pages/bundle.js';
import { pageRoutes } from '../pages/page-routes.js';
import { MICROSOFT_LOGIN_ORIGIN } from '../pages/viewer.js';
import { RECORD_PAGES } from '../pages/app-pages.js';
import { linkingRoutes } from './routes/linking.js';
import type { ProfileReader } from '../linking/link.js';
import { healthRoutes } from './routes/health.js';
import { recordRoutes } from './routes/records.js';
import { crmRoutes } from './routes/crm.js';
import { IdempotencyGuard } from './idempotency.js';
import { linkedOdooUserId } from '../crm/write-through.js';
import { callerOf } from './state.js';
import { syncRoutes } from './routes/sync.js';
import { checkWebhookSecret, webhookRoutes } from './routes/webhook.js';
import type { Secret } from '../secret.js';
import { sessionAuthenticator } from '../auth/session.js';
import { VERSION } from '../version.js';
import type { RequestState } from './state.js';

/** The part of the configuration the app reads (a full `ServerConfig` fits). */
export interface AppConfig {
  /** Secret part of the webhook URL; `null` disables the webhook (every call answers 404). */
  webhookSecret?: Secret | null;
  /**
   * Largest accepted request body in bytes.
   * @default 1048576
   */
  bodyLimitBytes?: number;
  /**
   * Trust `X-Forwarded-Proto`/`-Host`/`-For` from a reverse proxy (Koa `app.proxy`): session
   * cookies are then `Secure` when the proxy says the request came over TLS.
   * @default false
   */
  trustProxy?: boolean;
  /**
   * Alias e-mail domain → canonical domain for linking people to Odoo (`LINK_DOMAIN_ALIASES`;
   * see `OdooDirectoryCacheOptions.domainAliases`): the self-service link and the admin
   * candidate search take `ana@acme.eu` for `ana@acme.com`.
   * @default {}
   */
  linkDomainAliases?: Readonly<Record<string, string>>;
  /**
   * Link people to their Odoo user and employee on their own (`LINK_AUTOMATICALLY`): at
   * sign-in, and when an admin approves them, an approved person without a link is matched
   * and linked when exactly one person fits. `false`: only `POST /api/auth/relink-odoo` and
   * admins link.
   * @default true
   */
  linkAutomatically?: boolean;
}

/** The definitions whose read routes the app serves, checked; the last definition of a name wins. */
function servedEntities(options: Pick<CreateAppOptions, 'entities' | 'reconciler'>): readonly EntityDefinition[] {
  const byName = new Map<string, EntityDefinition>();
  for (const spec of options.entities ?? [...BUILT_IN_ENTITIES, ...(options.reconciler.definitions ?? [])]) byName.set(spec.name, spec);
  return entityRegistry([...byName.values()]).definitions;
}

/**
 * Refuses a record route whose `/api/<segment>` another route of the app already uses (the
 * CRM routes of an entity share its segment).
 */
function assertRecordPathsFree(recordRoutes: readonly AnyRoute[], routes: readonly AnyRoute[], sharing: readonly AnyRoute[] = []): void {
  const segment = (path: string) => path.split('/')[2] ?? '';
  const own = new Set([...recordRoutes, ...sharing]);
  const taken = new Set(routes.filter((route) => !own.has(route)).map((route) => segment(route.path)));
  taken.add('openapi.json');
  for (const route of recordRoutes) {
    if (taken.has(segment(route.path))) {
      throw new ConfigError(`The read route ${route.path} of an entity uses /api/${segment(route.path)}, which the server already serves; choose another route path.`, [
        { path: 'entities.route.path', message: `/api/${segment(route.path)} is taken` },
      ]);
    }
  }
}

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** The store (users and API keys, records, logs, settings). */
  store: SyncStore;
  /** The scheduler (core's `SyncScheduler`). */
  scheduler: SyncControl;
  /** The reconciler (core's `Reconciler`), for webhooks. */
  reconciler: RecordReconciler & { readonly entities?: readonly EntityName[]; readonly definitions?: readonly EntityDefinition[] };
  /**
   * Entity definitions whose read routes the app serves: each one with a `route: { path }`
   * gets `GET /api/<path>` and `GET /api/<path>/:odooId` (with its filters) and its place in
   * the OpenAPI document. A path taken by another route is refused (`ConfigError`).
   * @default the built-in entities and the reconciler's definitions
   */
  entities?: readonly EntityDefinition[];
  /** Configuration. */
  config?: AppConfig;
  /**
   * Structured logger (pino via `createLogger`, or any core `Logger`).
   * @default a silent logger
   */
  logger?: Logger;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Metrics registry of this app; `GET /metrics` renders it.
   * @default a new ServerMetrics
   */
  metrics?: ServerMetrics;
  /**
   * How callers are recognised, tried in order: the authentication hook point. A Microsoft 365
   * session-cookie authenticator goes here beside the API key one.
   * @default [apiKeyAuthenticator(store)]
   */
  authenticators?: readonly Authenticator[];
  /** True while the server shuts down (`/readyz` answers 503). */
  isShuttingDown?: () => boolean;
  /**
   * Sessions and Microsoft 365 sign-in (`/api/auth/login`, `/callback`, `/logout`). When set,
   * the session-cookie authenticator is tried after `authenticators`.
   */
  signIn?: SignInOptions | null;
  /**
   * Reads the employee numbers Odoo holds in the `LINK_EMPLOYEE_ID_FIELD` field, for linking by
   * Microsoft 365 employee id (`employeeNumbersFromOdoo`). Absent: not used.
   */
  employeeNumbers?: EmployeeNumberReader;
  /** The server's pages (sign-in, dashboard, profile, records, timeline, admin). */
  pages?: {
    /**
     * Reads the components' browser bundle served at `/ui/odoo-sync-elements.js`; `null`: not
     * installed (that path answers 404).
     * @default reads the bundle of the installed `@odoo-sync/elements`
     */
    bundle?: () => Promise<string | Uint8Array | null>;
    /**
     * Origins the pages' forms may go to besides this one (the Content-Security-Policy's
     * `form-action`): Microsoft's sign-in.
     * @default ['https://login.microsoftonline.com']
     */
    formActionOrigins?: readonly string[];
  };
  /** Options of the webhook queue (how long to wait before reading, retries). */
  webhooks?: Partial<Omit<WebhookQueueOptions, 'reconciler' | 'store' | 'clock' | 'logger' | 'onRead'>>;
  /**
   * Records the activity timeline: what routes note is written through it once they succeed.
   * Whoever makes it closes it (`activities.close()`) after the HTTP server has stopped;
   * `startServer` does.
   * @default a new ActivityLogger over `store` (the app's `activities`; close it on shutdown)
   */
  activities?: ActivityLogger;
  /**
   * Odoo, to write through: the CRM routes (`POST /api/opportunities` …) create and change
   * records with it, as the integration user. `startServer` passes its `OdooClient`.
   * @default null (the CRM write routes answer 503 `odoo_writes_unavailable`)
   */
  odoo?: OdooWriter | null;
}

/** A Koa app made by {@link createApp}, with the route list it serves. */
export interface OdooSyncApp extends Koa {
  /** Every route, as documented in `GET /api/openapi.json`. */
  readonly routes: readonly AnyRoute[];
  /** Its metrics. */
  readonly metrics: ServerMetrics;
  /**
   * Where webhooks wait to be read. Its timers start with the first webhook; call
   * `webhooks.start()` to also carry out retries left in the store (by this or another replica,
   * before a restart) and `webhooks.stop()` on shutdown. `startServer` does both.
   */
  readonly webhooks: WebhookQueue;
  /** The activity logger routes write through; close it after the HTTP server has stopped. */
  readonly activities: ActivityLogger;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

function requestContext(logger: ServerLogger, metrics: ServerMetrics): Middleware<RequestState> {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const given = ctx.get('X-Request-Id');
    const requestId = REQUEST_ID.test(given) ? given : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // The route pattern, never the raw path: the webhook path holds a secret.
      const route = ctx.state.route ?? 'unmatched';
      metrics.recordHttp(ctx.method, route, ctx.status, seconds);
      const userId = ctx.state.principal?.user.id ?? ctx.state.signedOutUserId;
      logger.info(
        {
          requestId,
          method: ctx.method,
          route,
          status: ctx.status,
          durationMs: Math.round(seconds * 1000),
          ...(userId !== undefined ? { userId } : {}),
        },
        'request',
      );
    }
  };
}

const securityHeaders: Middleware<RequestState> = async (ctx, next) => {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'DENY');
  await next();
  if (ctx.path.startsWith('/api/') && !ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'no-store');
};

const notFound: Middleware<RequestState> = async (ctx, next) => {
  await next();
  if (ctx.status === 404 && ctx.body == null) throw new HttpProblem('route_not_found', 'No such route.');
};

function routeHandler(
  route: AnyRoute,
  deps: Pick<RouteDeps, 'authenticators' | 'bodyLimitBytes' | 'webhookSecret' | 'metrics' | 'activities' | 'logger'>,
): Middleware<RequestState> {
  const gate: Middleware<RequestState> | null =
    route.access === 'user' || route.access === 'admin'
      ? (() => {
          const auth = authenticate(deps.authenticators);
          const role = requireRole(route.access);
          return async (ctx, next) => {
            await auth(ctx, async () => {
              await role(ctx, async () => {
                // Refused before the body is read: writing to Odoo needs an Odoo user to act as.
                if (route.needsOdooLink === true) linkedOdooUserId(callerOf(ctx));
                await next();
              });
            });
          };
        })()
      : null;
  const run: Middleware<RequestState> = async (ctx) => {
    const params: unknown = route.params ? parseInput(route.params, { ...ctx.params }, 'params') : undefined;
    const rawQuery = parseQueryString(ctx.querystring);
    let query: unknown;
    if (route.query) query = parseInput(route.query, rawQuery, 'query');
    else if (route.path.startsWith('/api/') && Object.keys(rawQuery).length > 0) {
      const names = Object.keys(rawQuery);
      throw new InputError(`This route takes no query parameters (received ${names.join(', ')}).`, [
        { path: 'query', message: `unknown field${names.length > 1 ? 's' : ''}: ${names.join(', ')}` },
      ]);
    }
    let body: unknown;
    if (route.body) {
      let raw = await readJsonBody(ctx, deps.bodyLimitBytes);
      if (raw === undefined) {
        if (route.bodyRequired === false) raw = {};
        else throw new InputError('The request needs a JSON body.', [{ path: 'body', message: 'required' }]);
      }
      body = parseInput(route.body, raw, 'body');
    }
    ctx.state.activities = [];
    await route.handle(ctx, { query, params, body });
    // The activity middleware: what the handler noted, once it has succeeded.
    if (isSuccessStatus(ctx.status)) await writeNotedActivities(route, ctx.state, deps);
    else ctx.state.activities = [];
  };
  return async (ctx, next) => {
    ctx.state.route = route.path;
    if (route.access === 'webhook') checkWebhookSecret(deps, (ctx.params as Record<string, string | undefined>)['secret']);
    if (gate) {
      await gate(ctx, async () => {
        await run(ctx, next);
      });
    }
    else await run(ctx, next);
  };
}

/** Reads a person's Microsoft 365 profile again at relink, when the sign-in provider can. */
function profileReaderOf(ms365: SignInOptions['ms365']): ProfileReader | null {
  const read = ms365?.readProfile;
  return read ? (userId) => read.call(ms365, userId) : null;
}

/**
 * Builds the HTTP app. Start it with `app.listen(port, host)` or `http.createServer(app.callback())`.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const reconciler = new Reconciler({ source, store });
 * const scheduler = new SyncScheduler({ runner: reconciler, locks: store, settings: store });
 * const app = createApp({ store, scheduler, reconciler, config: { webhookSecret: new Secret('…') } });
 * app.listen(3000, '127.0.0.1');
 * ```
 */
export function createApp(options: CreateAppOptions): OdooSyncApp {
  const logger = toServerLogger(options.logger ?? { debug() {}, info() {}, warn() {}, error() {} });
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? new ServerMetrics();
  const state: AppState = { lastWebhookAt: null };
  const directory = new OdooDirectoryCache({
    store: options.store,
    clock,
    domainAliases: options.config?.linkDomainAliases ?? {},
    logger,
    ...(options.employeeNumbers ? { employeeNumbers: options.employeeNumbers } : {}),
  });
  const webhooks = new WebhookQueue({
    reconciler: options.reconciler,
    store: options.store,
    clock,
    logger,
    ...options.webhooks,
    onRead(notice, outcome, results) {
      metrics.recordWebhook(outcome === 'done' ? 'reconciled' : outcome === 'retry' ? 'retried' : 'failed');
      if (results.length > 0) state.lastWebhookAt = clock.now().toISOString();
      const changed = results.filter((r) => r.outcome !== 'unchanged' && r.outcome !== 'absent').map((r) => r.entity);
      directory.recordsChanged(changed).catch((err: unknown) => logger.warn({ err: summarizeError(err), model: notice.model }, 'could not mark the Odoo directory changed'));
    },
  });
  const activities = options.activities ?? new ActivityLogger({ store: options.store, clock, logger: logger.child({ component: 'activities' }) });
  metrics.observeActivities(activities);
  const deps: RouteDeps = {
    store: options.store,
    scheduler: options.scheduler,
    reconciler: options.reconciler,
    logger,
    clock,
    metrics,
    webhookSecret: options.config?.webhookSecret ?? null,
    bodyLimitBytes: options.config?.bodyLimitBytes ?? 1024 * 1024,
    authenticators: [
      ...(options.authenticators ?? [apiKeyAuthenticator(options.store, { clock, logger })]),
      ...(options.signIn
        ? [sessionAuthenticator(options.signIn.sessions, options.store, { trustedOrigins: options.signIn.trustedOrigins ?? [], csrfKeys: options.signIn.cookieKeys })]
        : []),
    ],
    isShuttingDown: options.isShuttingDown ?? (() => false),
    state,
    webhooks,
    activities,
    odoo: options.odoo ?? null,
  };
  metrics.observeScheduler(() => options.scheduler.status());
  options.scheduler.on('run:finished', (result) => metrics.recordRun(result));
  options.scheduler.on('tick:skipped', ({ reason }) => metrics.recordSkippedRun(reason));

  const definitions = servedEntities(options);
  const labels = new Map<EntityName, string>(definitions.map((d) => [d.name, d.label]));
  const entities = (options.reconciler.entities ?? ENTITY_NAMES).map((name) => ({ name, label: labels.get(name) ?? name }));
  const autoLink = options.config?.linkAutomatically === false ? null : directory;
  const served = recordRoutes(deps, definitions);
  const crm = crmRoutes(deps, definitions, new IdempotencyGuard({ store: options.store, clock, logger }));
  const routes: AnyRoute[] = [
    ...healthRoutes(deps),
    ...syncRoutes(deps, entities),
    ...webhookRoutes(deps),
    ...served,
    ...crm,
    ...pageRoutes(deps, {
      signIn: options.signIn ?? null,
      // The record kinds the records page knows how to show.
      entities: definitions.flatMap((d) => (d.route && RECORD_PAGES.has(d.route.path) ? [{ path: d.route.path, label: d.label }] : [])),
      formActionOrigins: options.pages?.formActionOrigins ?? [MICROSOFT_LOGIN_ORIGIN],
    }),
    ...assetRoutes(options.pages?.bundle ?? installedElementsBundle),
    ...apiKeySignInRoutes(deps, options.signIn ?? null),
    ...authRoutes(deps, options.signIn ?? null, autoLink),
    ...linkingRoutes(deps, directory, profileReaderOf(options.signIn?.ms365 ?? null)),
    ...adminUserRoutes(deps, directory, autoLink, options.signIn?.ms365 ?? null),
    ...adminApiKeyRoutes(deps),
    ...activityRoutes(deps, definitions.map((d) => d.name)),
  ];
  assertRecordPathsFree(served, routes, crm);
  let openApi: unknown;
  routes.push(
    defineRoute({
      method: 'GET',
      path: '/api/openapi.json',
      operationId: 'openapi',
      summary: 'This API as an OpenAPI 3.1 document.',
      tag: 'docs',
      access: 'public',
      responses: { 200: { description: 'The OpenAPI document.' } },
      async handle(ctx) {
        openApi ??= buildOpenApiDocument(routes, { version: VERSION });
        ctx.body = openApi;
      },
    }),
  );

  const router = new Router();
  for (const route of routes) router.register(route.path, [route.method], routeHandler(route, deps));

  const app = new Koa() as OdooSyncApp;
  app.proxy = options.config?.trustProxy ?? false;
  if (options.signIn) app.keys = [...options.signIn.cookieKeys];
  Object.defineProperty(app, 'routes', { value: routes, enumerable: true });
  Object.defineProperty(app, 'metrics', { value: metrics, enumerable: true });
  Object.defineProperty(app, 'webhooks', { value: webhooks, enumerable: true });
  Object.defineProperty(app, 'activities', { value: activities, enumerable: true });
  app.on('error', (err: unknown) => {
    logger.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'unhandled app error');
  });
  app.use(requestContext(logger, metrics));
  app.use(errorMiddleware(logger));
  app.use(securityHeaders);
  app.use(notFound);
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      methodNotAllowed: () => new HttpProblem('method_not_allowed', 'This route does not take that method.'),
      notImplemented: () => new HttpProblem('method_not_allowed', 'This method is not supported.'),
    }),
  );
  return app;
}
