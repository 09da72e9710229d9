/**
 * Builds the sign-in part of the server from its configuration: sessions (with their sweep)
 * when `SESSION_SECRET` is set, and the Microsoft 365 refresher (with its pre-refresh job)
 * when Microsoft 365 is configured.
 * @module
 */
import type { Clock, SyncStore, UserStore } from '@odoo-sync/core';
import { Ms365TokenRefresher, type Ms365TokenRefresherOptions, type RefreshVerdict } from '@odoo-sync/ms365-auth';
import type { ServerConfig } from '../runtime/config.js';
import type { ServerLogger } from '../runtime/logger.js';
import type { Ms365SignInProvider, SignInOptions } from '../http/routes/auth.js';
import { SessionManager, sessionRefreshVerdict, startSessionSweep, sweepOnce } from './session.js';

/** What {@link createSignIn} built. */
export interface SignInRuntime {
  /** For `createApp({ signIn })`. */
  options: SignInOptions;
  /** The Microsoft 365 refresher (`getAccessToken` for routes that call Microsoft Graph), or `null`. */
  refresher: Ms365TokenRefresher | null;
  /**
   * One pass of the session sweep (what the background job runs hourly): removes expired
   * sessions, then deletes the Microsoft 365 tokens of people idle past `MS365_IDLE_SIGN_OUT_DAYS`.
   */
  sweep(): Promise<{ deleted: number; idle: number }>;
  /** Stops the pre-refresh job and the session sweep. */
  stop(): Promise<void>;
}

/**
 * The pre-refresh job's policy: Microsoft 365 tokens are kept alive only for people who may
 * use them — not removed, not rejected, not idle past the sessions' `idleMs`, with a live session
 * (see {@link sessionRefreshVerdict}). A person never recorded (their session predates the
 * record) is recorded as seen now, so the idle count starts at the upgrade.
 */
export function ms365RefreshPolicy(users: UserStore, sessions: SessionManager, clock: Clock): (userId: string) => Promise<RefreshVerdict> {
  return async (userId) => {
    const user = await users.getUser(userId);
    const seen = await sessions.lastSeen(userId);
    if (user !== null && user.status !== 'rejected' && seen === null) await sessions.recordUse(userId);
    return sessionRefreshVerdict(user, seen, clock.now(), sessions.idleMs);
  };
}

/** Options of {@link createSignIn}. */
export interface CreateSignInOptions {
  /** Time source. */
  clock: Clock;
  /** Logger. */
  logger: ServerLogger;
  /** Extra options of the refresher (tests point it at a `FakeEntraId`). */
  ms365?: Partial<Omit<Ms365TokenRefresherOptions, 'store'>>;
  /**
   * Start the background jobs (pre-refresh every 5 min, session sweep every hour).
   * @default true
   */
  background?: boolean;
  /** Rewrites the login URL the browser is sent to (a loopback stand-in of Microsoft that speaks plain HTTP). */
  loginUrlForBrowser?: (url: string) => string;
}

/** `refresher` with its login URL rewritten by `rewrite` (everything else as is). */
function withBrowserLoginUrl(refresher: Ms365TokenRefresher, rewrite: (url: string) => string): Ms365SignInProvider {
  return {
    loginUrl: async (options) => {
      const login = await refresher.loginUrl(options);
      return { ...login, url: rewrite(login.url) };
    },
    handleCallback: (query, options) => refresher.handleCallback(query, options),
    signOut: (userId) => refresher.signOut(userId),
    sessionStatus: (userId) => refresher.sessionStatus(userId),
    getToken: (userId, options) => refresher.getToken(userId, options),
    reauthLoginUrl: refresher.reauthLoginUrl.bind(refresher),
    readProfile: (userId) => refresher.readProfile(userId),
  };
}

/**
 * Sessions and Microsoft 365 sign-in from the configuration, or `null` without
 * `SESSION_SECRET`. Users whose session Microsoft ends are marked `reauthRequired`.
 */
export function createSignIn(config: ServerConfig, store: SyncStore, options: CreateSignInOptions): SignInRuntime | null {
  if (config.sessionSecret === null) return null;
  const { clock, logger } = options;
  const idleMs = (config.ms365?.idleSignOutDays ?? 90) * 24 * 60 * 60 * 1000;
  const sessions = new SessionManager({ store, clock, idleMs });
  let refresher: Ms365TokenRefresher | null = null;
  if (config.ms365 !== null) {
    refresher = new Ms365TokenRefresher({
      clientId: config.ms365.clientId,
      clientSecret: config.ms365.clientSecret.reveal(),
      tenantId: config.ms365.tenantId,
      ...(config.ms365.allowedTenants.length > 0 ? { allowedTenants: config.ms365.allowedTenants } : {}),
      redirectUri: config.ms365.redirectUri,
      keyring: config.ms365.tokenKeys.reveal(),
      store,
      locks: store,
      clock,
      logger: logger.child({ component: 'ms365' }),
      reauthLoginUrl: '/api/auth/login',
      onReauthRequired: async ({ userId }) => {
        if (await store.getUser(userId)) await store.updateUser(userId, { reauthRequired: true }, clock.now());
      },
      refreshPolicy: ms365RefreshPolicy(store, sessions, clock),
      ...options.ms365,
    });
  }
  const background = options.background ?? true;
  const preRefresh = background && refresher ? refresher.startPreRefresh() : null;
  const onIdleUser = refresher ? (userId: string) => refresher.signOut(userId) : undefined;
  const sweepOptions = { clock, logger: logger.child({ component: 'sessions' }), ...(onIdleUser ? { onIdleUser } : {}) };
  const sweep = background ? startSessionSweep(sessions, sweepOptions) : null;
  return {
    options: {
      sessions,
      cookieKeys: [config.sessionSecret.reveal()],
      ms365: refresher && options.loginUrlForBrowser ? withBrowserLoginUrl(refresher, options.loginUrlForBrowser) : refresher,
      autoApproveDomains: config.autoApproveDomains,
      // The public origin: browsers behind a reverse proxy send it as Origin.
      trustedOrigins: config.ms365 !== null ? [new URL(config.ms365.redirectUri).origin] : [],
    },
    refresher,
    sweep: () => sweepOnce(sessions, sweepOptions),
    async stop() {
      await preRefresh?.stop();
      await sweep?.stop();
    },
  };
}
