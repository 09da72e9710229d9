/**
 * `Ms365TokenRefresher`: Microsoft 365 sign-in that stays signed in. The auth-code flow with
 * PKCE for sign-in, silent refresh through MSAL for every later token, the MSAL cache kept per
 * user, encrypted, in the shared {@link TokenStore}.
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  ConfidentialClientApplication,
  CryptoProvider,
  type ICachePlugin,
  LogLevel,
  ResponseMode,
} from '@azure/msal-node';
import { type Clock, type Logger, type RetryOptions, silentLogger, systemClock, type TokenEntry, type TokenRefresher } from '@odoo-sync/core';
import {
  ConfigError,
  InputError,
  isOdooSyncError,
  Ms365UnavailableError,
  OdooSyncError,
  ReauthRequiredError,
  summarizeError,
  TokenUnreadableError,
  UnauthenticatedError,
} from '@odoo-sync/core/errors';
import { EventEmitter } from 'eventemitter3';
import pRetry from 'p-retry';
import { z } from 'zod';
import { type CachedAccount, type CachePayload, type ReauthMark } from './cache-payload.js';
import { type CacheWriteReport, CapturePlugin, PartitionCachePlugin, StaleCacheError } from './cache-plugin.js';
import { type Keyring, parseKeyring } from './keyring.js';
import { classifyMsalError, isClientConfigurationFailure, msalErrorDetails } from './msal-errors.js';
import { type Ms365TokenRefresherOptions, validateOptions } from './options.js';
import { PENDING_LOGIN_PREFIX, type PendingLogin, type PendingLoginStore, TokenStorePendingLogins } from './pending-logins.js';
import { acceptedTenants } from './tenants.js';
import { storeCall, TokenVault, type VaultRead } from './token-vault.js';

/**
 * Key prefix of users' token caches in the {@link @odoo-sync/core!TokenStore | TokenStore}:
 * `ms365:user:<userId>`.
 */
export const USER_CACHE_PREFIX = 'ms365:user:';

/** The store key of a user's token cache. */
export function userCacheKey(userId: string): string {
  return USER_CACHE_PREFIX + userId;
}

/** Options of {@link Ms365TokenRefresher.loginUrl}. */
export interface LoginUrlOptions {
  /** Where to send the browser after sign-in: a same-origin path such as `/deals/42`. */
  returnTo?: string;
  /** Pre-fills the account picker (e.g. the e-mail of a user who must sign in again). */
  loginHint?: string;
  /** Microsoft's `prompt`: `select_account` to pick another account, `consent` to consent again. */
  prompt?: 'login' | 'select_account' | 'consent' | 'none';
}

/** A login URL and what identifies it. */
export interface LoginUrl {
  /** The Microsoft sign-in URL to redirect the browser to. */
  url: string;
  /**
   * The `state` inside it. Put it in a short-lived HttpOnly `SameSite=Lax` cookie and give it
   * back to {@link Ms365TokenRefresher.handleCallback} as `expectedState`, which binds the
   * callback to the browser that started the sign-in (stops login CSRF).
   */
  state: string;
  /** ISO-8601 time after which the callback is refused. */
  expiresAt: string;
}

/** The query of the redirect back from Microsoft (`/api/auth/callback?code=…&state=…`). */
export interface CallbackParams {
  /** The authorization code. */
  code?: string | undefined;
  /** The state of the login URL. */
  state?: string | undefined;
  /** Set by Microsoft when sign-in failed or was cancelled (`access_denied`…). */
  error?: string | undefined;
  /** Microsoft's description of `error`. */
  error_description?: string | undefined;
}

/** Who signed in, as the id token and MSAL account say. No secrets. */
export interface Ms365Identity {
  /** MSAL home account id: `<objectId>.<tenantId>`. */
  homeAccountId: string;
  /** Directory (tenant) id (`tid` of the id token): the directory that signed them in. */
  tenantId: string;
  /** The user's object id in that directory (`oid` of the id token). With `tenantId`, who the person is. */
  objectId: string;
  /**
   * The directory the account belongs to (from MSAL's home account id). Equal to `tenantId`
   * for a member of the directory; another tenant for a guest (B2B) account.
   */
  homeTenantId: string;
  /** E-mail: the `email` claim, else the sign-in name. */
  email: string;
  /** Sign-in name (`preferred_username`, usually the UPN). */
  username: string;
  /** Display name (`name`), or the sign-in name. */
  name: string;
}

/** The id token claims a caller may want, and nothing else. */
export interface IdTokenClaimsSubset {
  /** Issuer. */
  iss: string | null;
  /** Audience (the client id). */
  aud: string | null;
  /** Subject (pairwise per app). */
  sub: string | null;
  /** Object id. */
  oid: string | null;
  /** Tenant id. */
  tid: string | null;
  /** Sign-in name. */
  preferred_username: string | null;
  /** E-mail, when the `email` scope was granted and the account has one. */
  email: string | null;
  /** Display name. */
  name: string | null;
  /** Issued at (seconds). */
  iat: number | null;
  /** Expiry (seconds). */
  exp: number | null;
}

/** What {@link Ms365TokenRefresher.handleCallback} returns. */
export interface SignInResult extends Ms365Identity {
  /** The id the token cache is stored under (what `getAccessToken` takes). */
  userId: string;
  /** The `returnTo` given to `loginUrl`, or `null`. */
  returnTo: string | null;
  /** Selected id token claims. */
  idTokenClaims: IdTokenClaimsSubset;
  /** ISO-8601 expiry of the access token received. */
  accessTokenExpiresAt: string | null;
}

/** Options of {@link Ms365TokenRefresher.handleCallback}. */
export interface HandleCallbackOptions {
  /** The state the browser carried (cookie set at login). When given, a different `state` is refused. */
  expectedState?: string;
  /**
   * Chooses the id to store the session under, e.g. by finding or creating the app user by
   * e-mail. Default: the MSAL home account id.
   */
  resolveUserId?: (identity: Ms365Identity) => string | Promise<string>;
}

/** Options of {@link Ms365TokenRefresher.getToken}. */
export interface GetTokenOptions {
  /** Scopes. @default the refresher's `defaultScopes` */
  scopes?: readonly string[];
  /** Refresh even when the cached access token is still valid (slides the refresh token). */
  forceRefresh?: boolean;
}

/** An access token and its facts. */
export interface AccessTokenResult {
  /** The bearer token. Never log it. */
  accessToken: string;
  /** ISO-8601 expiry. */
  expiresAt: string | null;
  /** Scopes granted. */
  scopes: string[];
  /** True when it came from the cache without a request to Entra. */
  fromCache: boolean;
}

/** Health of a user's Microsoft 365 session, for `/api/auth/me`. Read from the store only. */
export interface Ms365SessionStatus {
  /**
   * `signed_in`: refreshable; `reauth_required`: refresh failed for good; `signed_out`: no
   * session stored; `unreadable`: the stored cache cannot be decrypted (counts as signed out).
   */
  state: 'signed_in' | 'reauth_required' | 'signed_out' | 'unreadable';
  /** The account, when known. */
  account: CachedAccount | null;
  /** ISO-8601 expiry of the newest access token held. */
  accessTokenExpiresAt: string | null;
  /** Why the session ended, when `reauth_required`. */
  reauth: ReauthMark | null;
  /** Where to sign in again, unless `signed_in`. */
  loginUrl: string | null;
  /** ISO-8601 time of the last write of the stored entry. */
  updatedAt: string | null;
}

/** What {@link Ms365TokenRefresher.refreshExpiring} returns. */
export interface RefreshExpiringResult {
  /** Users whose tokens were refreshed. */
  refreshed: number;
  /** Users whose session could not be refreshed and must sign in again (unreadable caches included). */
  reauthRequired: number;
  /** Users whose refresh failed for now (network, outage); retried on the next pass. */
  failed: number;
  /** Users listed whose token another replica had refreshed meanwhile (left alone). */
  skipped: number;
  /** Users the `refreshPolicy` said to leave alone (`skip`): not refreshed, off the list until written again. */
  idle: number;
  /** Users the `refreshPolicy` said may no longer use their session (`sign_out`): their cache was deleted. */
  signedOut: number;
  /** Expired pending logins removed. */
  sweptLogins: number;
}

/** Events of {@link Ms365TokenRefresher}. Listeners must not throw. */
export interface Ms365Events {
  /** A user signed in (a new cache was stored). */
  signed_in: (event: { userId: string; homeAccountId: string; tenantId: string }) => void;
  /** An access token was obtained from Entra (not from the cache). */
  refreshed: (event: { userId: string; expiresAt: string | null; forced: boolean }) => void;
  /** A user's session could not be refreshed; they were marked re-auth-required. */
  reauth_required: (event: { userId: string; mark: ReauthMark; correlationId: string | null }) => void;
  /** A stored cache could not be decrypted; the user counts as signed out. */
  token_unreadable: (event: { userId: string; error: TokenUnreadableError }) => void;
  /** A transient failure is being retried. */
  retry: (event: { userId: string | null; attempt: number; retriesLeft: number; errorCode: string }) => void;
  /** Every cache write: written, merged after a version conflict, or dropped for a newer one. */
  cache_write: (report: CacheWriteReport) => void;
  /** A user was signed out. */
  signed_out: (event: { userId: string }) => void;
}

/** Handle of a running pre-refresh loop. */
export interface PreRefreshHandle {
  /** Stops the loop and waits for a pass in progress. Safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link Ms365TokenRefresher.startPreRefresh}. */
export interface PreRefreshOptions {
  /**
   * Time between passes, in milliseconds.
   * @default 300000 (5 minutes)
   */
  intervalMs?: number;
  /**
   * Refresh tokens that expire within this window, in milliseconds.
   * @default 600000 (10 minutes)
   */
  withinMs?: number;
}

const DEFAULT_RETRY: Required<RetryOptions> = { retries: 3, minTimeoutMs: 500, maxTimeoutMs: 5000, factor: 2 };
const PAGE = 100;

const callbackSchema = z.object({
  code: z.string().min(1).max(8192).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
});

/**
 * Microsoft 365 sign-in on MSAL's confidential client, with the token cache stored per user,
 * encrypted, and refreshed silently so users stay signed in while their account is healthy.
 *
 * - {@link Ms365TokenRefresher.loginUrl} / {@link Ms365TokenRefresher.handleCallback}: the
 *   auth-code flow with state, nonce and PKCE kept server-side (single use, 10 min).
 * - {@link Ms365TokenRefresher.getAccessToken}: silent refresh; concurrent calls for one user
 *   share one refresh; transient failures are retried and never sign anyone out; when refresh
 *   is impossible the account is removed from the cache, the user is marked re-auth-required
 *   and `ReauthRequiredError` carries the login URL.
 * - {@link Ms365TokenRefresher.refreshExpiring} / {@link Ms365TokenRefresher.startPreRefresh}:
 *   the background job that refreshes tokens before they expire, so refresh tokens keep
 *   sliding.
 *
 * @example
 * ```ts
 * const ms365 = new Ms365TokenRefresher({
 *   clientId: env.MS365_CLIENT_ID, clientSecret: env.MS365_CLIENT_SECRET,
 *   tenantId: env.MS365_TENANT_ID, redirectUri: env.MS365_REDIRECT_URI,
 *   keyring: env.TOKEN_KEYS, store,
 *   onReauthRequired: ({ userId }) => store.updateUser(userId, { reauthRequired: true }, new Date()),
 * });
 * const { url, state } = await ms365.loginUrl({ returnTo: '/deals' });   // GET /api/auth/login
 * const me = await ms365.handleCallback(ctx.query, { expectedState });    // GET /api/auth/callback
 * const token = await ms365.getAccessToken(me.userId);                    // any later request
 * const job = ms365.startPreRefresh();                                   // at startup
 * ```
 */
export class Ms365TokenRefresher extends EventEmitter<Ms365Events> implements TokenRefresher {
  readonly #options: Ms365TokenRefresherOptions;
  readonly #keyring: Keyring;
  readonly #vault: TokenVault;
  readonly #pendingLogins: PendingLoginStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #retry: Required<RetryOptions> | false;
  readonly #loginScopes: string[];
  readonly #defaultScopes: string[];
  readonly #authority: string;
  readonly #tenants: ReadonlySet<string>;
  readonly #inflight = new Map<string, Promise<AccessTokenResult>>();
  readonly #queues = new Map<string, Promise<unknown>>();

  /** Validates the options (throws `ConfigError`) and parses the keyring. Connects to nothing. */
  constructor(options: Ms365TokenRefresherOptions) {
    super();
    validateOptions(options);
    this.#options = options;
    this.#keyring = typeof options.keyring === 'string' ? parseKeyring(options.keyring) : options.keyring;
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#vault = new TokenVault(options.store, this.#keyring, this.#clock);
    this.#pendingLogins = options.pendingLogins ?? new TokenStorePendingLogins(options.store, this.#keyring, this.#clock);
    this.#retry = options.retry === false ? false : { ...DEFAULT_RETRY, ...options.retry };
    this.#loginScopes = [...(options.loginScopes ?? ['User.Read', 'email'])];
    this.#defaultScopes = [...(options.defaultScopes ?? ['User.Read'])];
    this.#authority = (options.authority ?? `https://login.microsoftonline.com/${options.tenantId}`).replace(/\/+$/, '');
    this.#tenants = acceptedTenants(options.tenantId, options.allowedTenants, []);
  }

  // --- Sign-in ---------------------------------------------------------------------------------

  /**
   * Makes a Microsoft sign-in URL. The state, nonce and PKCE verifier are stored server-side
   * (encrypted, single use, expiring after `loginTtlMs`). Throws {@link InputError} when
   * `returnTo` is not a same-origin path.
   */
  async loginUrl(options: LoginUrlOptions = {}): Promise<LoginUrl> {
    const returnTo = options.returnTo ?? null;
    if (returnTo !== null && !isSafeReturnPath(returnTo)) {
      throw new InputError('returnTo must be a path on this site, such as /deals/42.', [
        { path: 'returnTo', message: 'must start with a single / and stay on this site' },
      ]);
    }
    const state = randomBytes(32).toString('base64url');
    const nonce = randomBytes(32).toString('base64url');
    const pkce = await new CryptoProvider().generatePkceCodes();
    const now = this.#clock.now();
    const expiresAt = new Date(now.getTime() + (this.#options.loginTtlMs ?? 600_000));
    const url = await this.#client().getAuthCodeUrl({
      scopes: this.#loginScopes,
      redirectUri: this.#options.redirectUri,
      responseMode: ResponseMode.QUERY,
      state,
      nonce,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
    });
    const login: PendingLogin = {
      state,
      nonce,
      codeVerifier: pkce.verifier,
      redirectUri: this.#options.redirectUri,
      scopes: this.#loginScopes,
      returnTo,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    await this.#pendingLogins.save(login);
    return { url, state, expiresAt: login.expiresAt };
  }

  /**
   * Completes a sign-in: checks the state (known, unexpired, unused, and equal to
   * `expectedState` when given), redeems the code with the PKCE verifier, checks the nonce,
   * and stores the new token cache under the user's id (replacing any previous session,
   * re-auth mark included).
   *
   * Throws {@link UnauthenticatedError} for an unknown, expired, reused or foreign state, a
   * sign-in Microsoft reports as failed or cancelled, a code Entra refuses, or an id token
   * without this sign-in's nonce, for another app, without an object id, or from a tenant
   * that is not accepted (`tenantId` when a GUID, else `allowedTenants`);
   * {@link InputError} for a callback without code or state; {@link ConfigError} when Entra
   * refuses the app's credentials; {@link Ms365UnavailableError} after transient failures.
   */
  async handleCallback(params: CallbackParams, options: HandleCallbackOptions = {}): Promise<SignInResult> {
    const parsed = callbackSchema.safeParse(params);
    if (!parsed.success || !parsed.data.state) {
      throw new InputError('The sign-in callback is missing its state.', [{ path: 'state', message: 'is required' }]);
    }
    const { code, state, error } = parsed.data;
    if (options.expectedState !== undefined && options.expectedState !== state) {
      throw new UnauthenticatedError('This sign-in was not started in this browser. Please sign in again.');
    }
    const login = await this.#pendingLogins.take(state, this.#clock.now());
    if (!login) {
      throw new UnauthenticatedError('This sign-in link has expired or was already used. Please sign in again.');
    }
    if (error !== undefined) {
      this.#logger.warn({ error }, 'Microsoft reported a failed sign-in');
      throw new UnauthenticatedError(`Microsoft sign-in did not complete (${error}). Please try again.`);
    }
    if (!code) throw new InputError('The sign-in callback is missing its code.', [{ path: 'code', message: 'is required' }]);

    const result = await this.#retrying(null, async () => {
      const capture = new CapturePlugin();
      // msal-node 7 takes the expected nonce from the request (the second argument only
      // supplies the state returned in the redirect) and refuses an id token whose nonce is
      // missing or different (`nonce_mismatch`), or one that carries a nonce when none is given.
      const response = await this.#timed(
        this.#client(capture).acquireTokenByCode(
          { code, scopes: login.scopes, redirectUri: login.redirectUri, codeVerifier: login.codeVerifier, state: login.state, nonce: login.nonce },
          { code, state },
        ),
      );
      return { response, captured: capture.captured };
    }).catch((err: unknown) => {
      throw this.#signInFailure(err);
    });

    const { response, captured } = result;
    const account = response.account;
    const claims = (response.idTokenClaims ?? {}) as Record<string, unknown>;
    if (!account || captured === null) throw new UnauthenticatedError('Microsoft returned no account for this sign-in.');
    // MSAL checked the nonce already; checked again here so no MSAL change can drop it silently.
    if (claims['nonce'] !== login.nonce) throw new UnauthenticatedError('The sign-in answer does not match this sign-in (nonce).');
    if (claims['aud'] !== this.#options.clientId) throw new UnauthenticatedError('The id token was issued for another application.');
    const tid = str(claims['tid'])?.toLowerCase() ?? '';
    if (!this.#tenants.has(tid)) {
      this.#logger.warn({ tenantId: tid === '' ? null : tid }, 'Microsoft 365 sign-in from a tenant that is not allowed refused');
      throw new UnauthenticatedError('This account belongs to an organisation whose accounts may not sign in here.', {
        hint: 'Sign in with an account of your organisation; an administrator can allow another tenant (MS365_ALLOWED_TENANTS).',
      });
    }
    if (str(claims['oid']) === null) throw new UnauthenticatedError('Microsoft returned no object id (oid) for this account.');

    const identity = identityOf(account, claims);
    const userId = options.resolveUserId ? await options.resolveUserId(identity) : identity.homeAccountId;
    if (typeof userId !== 'string' || userId === '') throw new TypeError('resolveUserId must return a non-empty string.');
    const cachedAccount: CachedAccount = {
      homeAccountId: identity.homeAccountId,
      tenantId: identity.tenantId,
      username: identity.username,
      name: account.name ?? null,
    };
    const payload: CachePayload = { v: 1, status: 'active', msal: captured, account: cachedAccount, reauth: null };
    await this.#serial(userId, () => this.#replaceSession(userId, payload));
    this.#logger.info({ userId, tenantId: identity.tenantId }, 'Microsoft 365 sign-in stored');
    this.emit('signed_in', { userId, homeAccountId: identity.homeAccountId, tenantId: identity.tenantId });
    return {
      ...identity,
      userId,
      returnTo: login.returnTo,
      idTokenClaims: claimsSubset(claims),
      accessTokenExpiresAt: response.expiresOn ? response.expiresOn.toISOString() : null,
    };
  }

  /** A sign-in replaces the stored session whatever its version (a newer sign-in wins). */
  async #replaceSession(userId: string, payload: CachePayload): Promise<void> {
    const key = userCacheKey(userId);
    for (let attempt = 0; ; attempt++) {
      const current = await storeCall(() => this.#options.store.getToken(key));
      try {
        const entry = await this.#vault.write(key, payload, current?.version ?? null);
        this.emit('cache_write', { key, outcome: 'written', version: entry.version });
        return;
      } catch (error) {
        if (!(isOdooSyncError(error) && error.code === 'conflict') || attempt >= 4) throw error;
      }
    }
  }

  #signInFailure(error: unknown): unknown {
    if (isOdooSyncError(error) || classifyMsalError(error) === 'transient') return this.#finalError(null, error);
    const details = msalErrorDetails(error);
    if (isClientConfigurationFailure(error)) {
      this.#logger.error({ ...details }, 'Entra refused the app credentials');
      return new ConfigError('Microsoft 365 refused this application’s credentials.', [{ path: 'MS365_CLIENT_SECRET', message: details.errorCode }], {
        cause: error,
        hint: 'Check MS365_CLIENT_ID and MS365_CLIENT_SECRET (client secrets expire) in the app registration.',
      });
    }
    if (details.errorCode === 'nonce_mismatch' || details.errorCode === 'state_mismatch') {
      this.#logger.warn({ ...details }, 'Microsoft 365 sign-in answer does not match its sign-in');
      return new UnauthenticatedError('The sign-in answer does not match this sign-in. Please sign in again.', { cause: error });
    }
    this.#logger.warn({ ...details }, 'Microsoft 365 code exchange failed');
    return new UnauthenticatedError('Microsoft sign-in failed. Please sign in again.', { cause: error });
  }

  // --- Tokens ----------------------------------------------------------------------------------

  /**
   * A valid access token for `userId`, from the cache or refreshed silently (MSAL refreshes
   * within 5 minutes of expiry). Concurrent calls for one user and scopes share one request.
   *
   * Throws {@link ReauthRequiredError} (with `loginUrl`) when the user has no session, an
   * unreadable one, or one Entra will no longer refresh; {@link Ms365UnavailableError} when
   * Entra stayed unreachable through the retries (the session is kept).
   */
  async getAccessToken(userId: string, scopes?: readonly string[]): Promise<string> {
    return (await this.getToken(userId, scopes ? { scopes } : {})).accessToken;
  }

  /** Like {@link Ms365TokenRefresher.getAccessToken}, with the token's expiry and scopes. */
  getToken(userId: string, options: GetTokenOptions = {}): Promise<AccessTokenResult> {
    return this.#flight(userId, normaliseScopes(options.scopes ?? this.#defaultScopes), options.forceRefresh === true ? 'always' : 'never');
  }

  /**
   * One flight per (user, scopes, refresh policy): a call that finds an identical one in flight
   * gets its promise. Flights of one user run one after the other.
   * `force`: `'always'`, `'never'`, or an instant (ms) — refresh when the stored token expires
   * before it (the pre-refresh job: a token another replica refreshed meanwhile is left alone).
   */
  #flight(userId: string, scopes: string[], force: 'always' | 'never' | number): Promise<AccessTokenResult> {
    const flightKey = `${userId}\u0000${scopes.join(' ')}\u0000${force}`;
    const existing = this.#inflight.get(flightKey);
    if (existing) return existing;
    const flight = this.#serial(userId, () => this.#withRetry(userId, () => this.#acquire(userId, scopes, force))).finally(() =>
      this.#inflight.delete(flightKey),
    );
    this.#inflight.set(flightKey, flight);
    return flight;
  }

  async #acquire(userId: string, scopes: string[], force: 'always' | 'never' | number): Promise<AccessTokenResult> {
    const key = userCacheKey(userId);
    const read = await this.#vault.read(key);
    if (read.kind === 'absent') throw this.#reauthError(userId);
    if (read.kind === 'unreadable') {
      await this.#reportUnreadable(userId, read.error, read.entry);
      throw this.#reauthError(userId, read.error);
    }
    if (read.payload.status === 'reauth_required') throw this.#reauthError(userId);
    const expiresAt = read.entry.expiresAt === null ? null : Date.parse(read.entry.expiresAt);
    const forceRefresh = force === 'always' || (typeof force === 'number' && (expiresAt === null || expiresAt < force));

    const plugin = this.#plugin(key, read);
    const client = this.#client(plugin);
    const accounts = await client.getTokenCache().getAllAccounts();
    const wanted = read.payload.account?.homeAccountId;
    const account = accounts.find((a) => a.homeAccountId === wanted) ?? accounts[0];
    if (!account) {
      await this.#closeSession(userId, plugin, client, null, { errorCode: 'no_account', subError: null, errorNo: null, correlationId: null });
      throw this.#reauthError(userId);
    }
    let response: AuthenticationResult;
    try {
      response = await this.#timed(client.acquireTokenSilent({ account, scopes, forceRefresh }));
    } catch (error) {
      if (classifyMsalError(error) !== 'reauth') throw error;
      const details = msalErrorDetails(error);
      await this.#closeSession(userId, plugin, client, account, details);
      throw this.#reauthError(userId, error);
    }
    const result: AccessTokenResult = {
      accessToken: response.accessToken,
      expiresAt: response.expiresOn ? response.expiresOn.toISOString() : null,
      scopes: response.scopes,
      fromCache: response.fromCache === true,
    };
    if (!result.fromCache) {
      this.#logger.debug({ userId, expiresAt: result.expiresAt, forced: forceRefresh }, 'Microsoft 365 token refreshed');
      this.emit('refreshed', { userId, expiresAt: result.expiresAt, forced: forceRefresh });
    }
    return result;
  }

  /**
   * Ends a session Entra will not refresh: removes the account from the cache (otherwise the
   * dead refresh token is reloaded and retried forever), stores the re-auth mark, tells the hook.
   * The removal is guarded: if the stored cache changed since the failed attempt read it (a
   * refresh or sign-in elsewhere), nothing is removed and the attempt is retried.
   */
  async #closeSession(
    userId: string,
    plugin: PartitionCachePlugin,
    client: ConfidentialClientApplication,
    account: AccountInfo | null,
    details: ReturnType<typeof msalErrorDetails>,
  ): Promise<void> {
    const mark: ReauthMark = { at: this.#clock.now().toISOString(), reason: details.errorCode, errorNo: details.errorNo };
    plugin.guard(plugin.version);
    plugin.markReauth(mark);
    if (account) {
      await client.getTokenCache().removeAccount(account);
    } else {
      const payload = plugin.payload;
      if (payload) await this.#vault.write(userCacheKey(userId), { ...payload, status: 'reauth_required', reauth: mark }, plugin.version);
    }
    this.#logger.warn(
      { userId, errorCode: details.errorCode, subError: details.subError, errorNo: details.errorNo, correlationId: details.correlationId },
      'Microsoft 365 session can no longer be refreshed; the user must sign in again',
    );
    await this.#notifyReauth(userId, mark, details.correlationId);
  }

  async #notifyReauth(userId: string, mark: ReauthMark, correlationId: string | null): Promise<void> {
    this.emit('reauth_required', { userId, mark, correlationId });
    if (!this.#options.onReauthRequired) return;
    try {
      await this.#options.onReauthRequired({ userId, mark, loginUrl: this.reauthLoginUrl(userId), correlationId });
    } catch (error) {
      this.#logger.error({ userId, err: summarizeError(error) }, 'onReauthRequired hook failed');
    }
  }

  async #reportUnreadable(userId: string, error: TokenUnreadableError, entry: { version: number; blob: string; expiresAt: string | null }): Promise<void> {
    this.#logger.error({ userId, err: summarizeError(error) }, 'stored Microsoft 365 token cache is unreadable; the user counts as signed out');
    this.emit('token_unreadable', { userId, error });
    // Keep the blob (a restored key makes it readable again) but take it off the pre-refresh list.
    if (entry.expiresAt !== null) {
      await this.#options.store
        .putToken(userCacheKey(userId), { blob: entry.blob, expiresAt: null }, entry.version, this.#clock.now())
        .catch(() => undefined);
    }
    await this.#notifyReauth(userId, { at: this.#clock.now().toISOString(), reason: 'token_unreadable', errorNo: null }, null);
  }

  /** The URL a user whose session ended signs in again at (from `reauthLoginUrl`). */
  reauthLoginUrl(userId: string): string {
    const option = this.#options.reauthLoginUrl ?? '/api/auth/login';
    return typeof option === 'function' ? option(userId) : option;
  }

  #reauthError(userId: string, cause?: unknown): ReauthRequiredError {
    return new ReauthRequiredError(this.reauthLoginUrl(userId), undefined, cause === undefined ? {} : { cause });
  }

  // --- Background refresh ------------------------------------------------------------------------

  /**
   * Refreshes (with `forceRefresh`) every user whose newest access token expires within
   * `withinMs`, so nobody waits on a refresh and refresh tokens keep sliding; removes expired
   * pending logins on the way. With a `refreshPolicy`, each user is first asked about: only
   * `refresh` refreshes; `skip` parks the cache, `sign_out` deletes it. Never throws for one
   * user's failure: it is counted.
   *
   * @param withinMs - The window. @default 600000 (10 minutes)
   */
  async refreshExpiring(withinMs = 600_000): Promise<RefreshExpiringResult> {
    const result: RefreshExpiringResult = { refreshed: 0, reauthRequired: 0, failed: 0, skipped: 0, idle: 0, signedOut: 0, sweptLogins: 0 };
    const now = this.#clock.now();
    const before = new Date(now.getTime() + withinMs);
    const seen = new Set<string>();
    for (;;) {
      const limit = seen.size + PAGE;
      const entries = await storeCall(() => this.#options.store.listTokensExpiringBefore(before, limit));
      const fresh = entries.filter((e) => !seen.has(e.key));
      for (const entry of fresh) seen.add(entry.key);
      const users: string[] = [];
      const listed = new Map<string, TokenEntry>();
      for (const entry of fresh) {
        if (entry.key.startsWith(USER_CACHE_PREFIX)) {
          users.push(entry.key.slice(USER_CACHE_PREFIX.length));
          listed.set(entry.key, entry);
        }
        else if (entry.key.startsWith(PENDING_LOGIN_PREFIX) && entry.expiresAt !== null && Date.parse(entry.expiresAt) <= now.getTime()) {
          if (await storeCall(() => this.#options.store.deleteToken(entry.key))) result.sweptLogins++;
        }
      }
      await pool(users, this.#options.refreshConcurrency ?? 4, async (userId) => {
        try {
          const verdict = this.#options.refreshPolicy ? await this.#options.refreshPolicy(userId) : 'refresh';
          if (verdict === 'sign_out') {
            this.#logger.info({ userId }, 'Microsoft 365 session no longer allowed (refresh policy); removing it');
            await this.signOut(userId);
            result.signedOut++;
            return;
          }
          if (verdict === 'skip') {
            await this.#park(listed.get(userCacheKey(userId)));
            result.idle++;
            return;
          }
          const token = await this.#flight(userId, normaliseScopes(this.#defaultScopes), before.getTime());
          if (token.fromCache) result.skipped++;
          else result.refreshed++;
        } catch (error) {
          if (error instanceof ReauthRequiredError) result.reauthRequired++;
          else {
            result.failed++;
            this.#logger.warn({ userId, err: summarizeError(error) }, 'pre-refresh failed; retried on the next pass');
          }
        }
      });
      if (fresh.length === 0 || entries.length < limit) break;
    }
    this.#logger.info({ ...result, withinMs }, 'Microsoft 365 pre-refresh pass done');
    return result;
  }

  /**
   * Takes a cache off the pre-refresh list (no expiry) without changing its content; a cache
   * written meanwhile (a sign-in, a refresh) is left as it is.
   */
  async #park(entry: TokenEntry | undefined): Promise<void> {
    if (entry === undefined || entry.expiresAt === null) return;
    try {
      await this.#options.store.putToken(entry.key, { blob: entry.blob, expiresAt: null }, entry.version, this.#clock.now());
    } catch (error) {
      if (!(isOdooSyncError(error) && error.code === 'conflict')) throw error;
    }
  }

  /**
   * Runs {@link Ms365TokenRefresher.refreshExpiring} every `intervalMs` on the injected clock,
   * one pass at a time. With `locks`, one replica runs each pass (lease `ms365:pre-refresh`).
   */
  startPreRefresh(options: PreRefreshOptions = {}): PreRefreshHandle {
    const intervalMs = options.intervalMs ?? 300_000;
    const withinMs = options.withinMs ?? 600_000;
    if (!(intervalMs > 0) || !(withinMs > 0)) throw new TypeError('intervalMs and withinMs must be positive.');
    const owner = randomBytes(12).toString('hex');
    let stopped = false;
    let running: Promise<void> = Promise.resolve();
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const pass = async () => {
      const locks = this.#options.locks;
      if (locks) {
        const lease = await locks.acquireLease('ms365:pre-refresh', owner, Math.max(intervalMs, 60_000), this.#clock.now());
        if (!lease) return;
      }
      await this.refreshExpiring(withinMs);
    };
    const schedule = () => {
      if (stopped) return;
      timer = this.#clock.setTimeout(() => {
        running = pass()
          .catch((error: unknown) => this.#logger.error({ err: summarizeError(error) }, 'pre-refresh pass failed'))
          .finally(schedule);
      }, intervalMs);
    };
    schedule();
    return {
      stop: async () => {
        stopped = true;
        if (timer !== undefined) this.#clock.clearTimeout(timer);
        await running;
        await this.#options.locks?.releaseLease('ms365:pre-refresh', owner).catch(() => false);
      },
    };
  }

  // --- Sign-out and status ---------------------------------------------------------------------

  /** Forgets the user's Microsoft 365 session (deletes their token cache). Idempotent. */
  async signOut(userId: string): Promise<void> {
    await this.#serial(userId, async () => {
      await storeCall(() => this.#options.store.deleteToken(userCacheKey(userId)));
    });
    this.#logger.info({ userId }, 'Microsoft 365 session removed');
    this.emit('signed_out', { userId });
  }

  /**
   * Microsoft's own sign-out URL, to end the browser's Microsoft session too (optional; the
   * app's sign-out is {@link Ms365TokenRefresher.signOut}).
   */
  microsoftLogoutUrl(postLogoutRedirectUri?: string): string {
    const url = new URL(`${this.#authority}/oauth2/v2.0/logout`);
    if (postLogoutRedirectUri) url.searchParams.set('post_logout_redirect_uri', postLogoutRedirectUri);
    return url.toString();
  }

  /** The health of a user's session, from the store alone (no request to Microsoft). */
  async sessionStatus(userId: string): Promise<Ms365SessionStatus> {
    const read = await this.#vault.read(userCacheKey(userId));
    const loginUrl = this.reauthLoginUrl(userId);
    if (read.kind === 'absent') {
      return { state: 'signed_out', account: null, accessTokenExpiresAt: null, reauth: null, loginUrl, updatedAt: null };
    }
    if (read.kind === 'unreadable') {
      return { state: 'unreadable', account: null, accessTokenExpiresAt: null, reauth: null, loginUrl, updatedAt: read.entry.updatedAt };
    }
    const active = read.payload.status === 'active';
    return {
      state: active ? 'signed_in' : 'reauth_required',
      account: read.payload.account,
      accessTokenExpiresAt: read.entry.expiresAt,
      reauth: read.payload.reauth,
      loginUrl: active ? null : loginUrl,
      updatedAt: read.entry.updatedAt,
    };
  }

  // --- Plumbing ----------------------------------------------------------------------------------

  /** The cache plugin of one operation, primed with the entry the operation already read. */
  #plugin(key: string, primed: VaultRead): PartitionCachePlugin {
    return new PartitionCachePlugin(this.#vault, key, {
      primed,
      logger: this.#logger,
      onWrite: (report) => this.emit('cache_write', report),
    });
  }

  /** One MSAL client per operation: its in-memory cache holds one user, for one operation. */
  #client(cachePlugin?: ICachePlugin): ConfidentialClientApplication {
    const o = this.#options;
    const logger = this.#logger;
    const config: Configuration = {
      auth: {
        clientId: o.clientId,
        authority: this.#authority,
        ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
        ...(o.clientCertificate ? { clientCertificate: { ...o.clientCertificate } } : {}),
        ...(o.knownAuthorities ? { knownAuthorities: [...o.knownAuthorities] } : {}),
        ...(o.authorityMetadata ? { authorityMetadata: o.authorityMetadata } : {}),
        ...(o.cloudDiscoveryMetadata ? { cloudDiscoveryMetadata: o.cloudDiscoveryMetadata } : {}),
      },
      ...(cachePlugin ? { cache: { cachePlugin } } : {}),
      system: {
        ...(o.networkClient ? { networkClient: o.networkClient } : {}),
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message, containsPii) => {
            if (containsPii) return;
            logger.debug({ msalLevel: LogLevel[level] }, message);
          },
        },
      },
    };
    return new ConfidentialClientApplication(config);
  }

  /**
   * Bounds one MSAL call: MSAL's HTTP client (fetch, in msal-node 7) sets no timeout on token
   * requests, and a request hanging on a dead connection would hold the user's queue. A timeout
   * counts as a network failure (retried; never a sign-out). The abandoned call may still finish and write its
   * cache, which compare-and-set makes harmless.
   */
  #timed<T>(call: Promise<T>): Promise<T> {
    const ms = this.#options.requestTimeoutMs ?? 30_000;
    return new Promise<T>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        reject(Object.assign(new Error(`The Microsoft 365 request timed out after ${ms} ms.`), { name: 'TimeoutError', code: 'ETIMEDOUT' }));
      }, ms);
      call.then(
        (value) => {
          this.#clock.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          this.#clock.clearTimeout(timer);
          reject(error as Error);
        },
      );
    });
  }

  /** Runs `task` after every earlier task of the same user in this process. */
  #serial<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(userId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(userId, tail);
    void tail.then(() => {
      if (this.#queues.get(userId) === tail) this.#queues.delete(userId);
    });
    return run;
  }

  /** Retries transient failures; wraps what is left in a typed error. Never signs anyone out. */
  async #withRetry<T>(userId: string | null, task: () => Promise<T>): Promise<T> {
    try {
      return await this.#retrying(userId, task);
    } catch (error) {
      throw this.#finalError(userId, error);
    }
  }

  /** Runs `task`, retrying transient failures (network, Entra outage, a cache changed underneath). */
  async #retrying<T>(userId: string | null, task: () => Promise<T>): Promise<T> {
    const retry = this.#retry;
    if (retry === false) return task();
    return pRetry(task, {
      retries: retry.retries,
      minTimeout: retry.minTimeoutMs,
      maxTimeout: retry.maxTimeoutMs,
      factor: retry.factor,
      shouldRetry: ({ error }) => isRetryable(error),
      onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
        if (!isRetryable(error)) return;
        const errorCode = error instanceof StaleCacheError ? 'stale_cache' : msalErrorDetails(error).errorCode;
        this.#logger.warn({ userId, attemptNumber, retriesLeft, errorCode }, 'Microsoft 365 request failed; retrying');
        this.emit('retry', { userId, attempt: attemptNumber, retriesLeft, errorCode });
      },
    });
  }

  #finalError(userId: string | null, error: unknown): unknown {
    if (isOdooSyncError(error)) return error;
    if (error instanceof StaleCacheError) {
      return new Ms365UnavailableError('The Microsoft 365 session changed repeatedly while refreshing; please try again.', { cause: error });
    }
    const kind = classifyMsalError(error);
    const details = msalErrorDetails(error);
    if (kind === 'transient') {
      this.#logger.error({ userId, ...details }, 'Microsoft 365 unreachable after retries; session kept');
      return new Ms365UnavailableError(undefined, { cause: error });
    }
    if (isClientConfigurationFailure(error)) {
      this.#logger.error({ userId, ...details }, 'Entra refused the app credentials');
      return new ConfigError('Microsoft 365 refused this application’s credentials.', [{ path: 'MS365_CLIENT_SECRET', message: details.errorCode }], {
        cause: error,
        hint: 'Check MS365_CLIENT_ID and MS365_CLIENT_SECRET (client secrets expire) in the app registration.',
      });
    }
    this.#logger.error({ userId, ...details }, 'Microsoft 365 token request failed; session kept');
    return new OdooSyncError(`The Microsoft 365 token request failed (${details.errorCode}).`, { cause: error });
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof StaleCacheError) return true;
  if (isOdooSyncError(error)) return error.retryable && !(error instanceof ReauthRequiredError);
  return classifyMsalError(error) === 'transient';
}

/** Scopes sorted and deduplicated, so equal requests share one flight. */
function normaliseScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter(Boolean))].sort();
}

/** A path on this site: one leading slash, no scheme, no backslash tricks. */
function isSafeReturnPath(value: string): boolean {
  return /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length <= 2048;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function identityOf(account: AccountInfo, claims: Record<string, unknown>): Ms365Identity {
  const username = account.username || str(claims['preferred_username']) || '';
  const homeTenant = account.homeAccountId.slice(account.homeAccountId.indexOf('.') + 1);
  return {
    homeAccountId: account.homeAccountId,
    tenantId: str(claims['tid']) ?? account.tenantId,
    objectId: str(claims['oid']) ?? account.localAccountId,
    homeTenantId: account.homeAccountId.includes('.') ? homeTenant : (str(claims['tid']) ?? account.tenantId),
    email: (str(claims['email']) ?? username).trim(),
    username,
    name: account.name || str(claims['name']) || username,
  };
}

function claimsSubset(claims: Record<string, unknown>): IdTokenClaimsSubset {
  return {
    iss: str(claims['iss']),
    aud: str(claims['aud']),
    sub: str(claims['sub']),
    oid: str(claims['oid']),
    tid: str(claims['tid']),
    preferred_username: str(claims['preferred_username']),
    email: str(claims['email']),
    name: str(claims['name']),
    iat: num(claims['iat']),
    exp: num(claims['exp']),
  };
}

/** Runs `task` over `items`, at most `concurrency` at a time. */
async function pool<T>(items: readonly T[], concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}
