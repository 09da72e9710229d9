/**
 * `Ms365TokenRefresher`: Microsoft 365 sign-in that stays signed in. The public façade of the
 * sign-in service: it composes sign-in (`sign-in.ts`), token acquisition (`token-acquisition.ts`),
 * sessions (`sessions.ts`) and the background pre-refresh (`pre-refresh.ts`) over one shared
 * context (`context.ts`: MSAL client set-up, retries, per-user queues, the encrypted vault).
 * @module
 */
import type { TokenRefresher } from '@odoo-sync/core';
import { type ConfigError, type InputError, type Ms365UnavailableError, type ReauthRequiredError, summarizeError, type UnauthenticatedError } from '@odoo-sync/core/errors';
import { type Ms365Context, createContext } from './context.js';
import { Ms365EventEmitter } from './events.js';
import type { Ms365Profile } from './graph-profile.js';
import { type Ms365TokenRefresherOptions, validateOptions } from './options.js';
import { type PreRefreshHandle, type PreRefreshOptions, PreRefresh, type RefreshExpiringResult } from './pre-refresh.js';
import { type Ms365SessionStatus, Sessions } from './sessions.js';
import { type CallbackParams, type HandleCallbackOptions, type LoginUrl, type LoginUrlOptions, type SignInResult, SignInFlow } from './sign-in.js';
import { type AccessTokenResult, type GetTokenOptions, TokenAcquisition } from './token-acquisition.js';


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
export class Ms365TokenRefresher extends Ms365EventEmitter implements TokenRefresher {
  readonly #ctx: Ms365Context;
  readonly #signIn: SignInFlow;
  readonly #tokens: TokenAcquisition;
  readonly #sessions: Sessions;
  readonly #preRefresh: PreRefresh;

  /** Validates the options (throws `ConfigError`) and parses the keyring. Connects to nothing. */
  constructor(options: Ms365TokenRefresherOptions) {
    super();
    validateOptions(options);
    this.#ctx = createContext(options, this);
    this.#signIn = new SignInFlow(this.#ctx);
    this.#tokens = new TokenAcquisition(this.#ctx);
    this.#sessions = new Sessions(this.#ctx);
    this.#preRefresh = new PreRefresh(this.#ctx, this.#tokens, this);
  }

  // --- Sign-in ---------------------------------------------------------------------------------

  /**
   * Makes a Microsoft sign-in URL. The state, nonce and PKCE verifier are stored server-side
   * (encrypted, single use, expiring after `loginTtlMs`). Throws {@link InputError} when
   * `returnTo` is not a same-origin path.
   */
  loginUrl(options: LoginUrlOptions = {}): Promise<LoginUrl> {
    return this.#signIn.loginUrl(options);
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
  handleCallback(params: CallbackParams, options: HandleCallbackOptions = {}): Promise<SignInResult> {
    return this.#signIn.handleCallback(params, options);
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
    return this.#tokens.getToken(userId, options);
  }

  /**
   * The user's Microsoft Graph profile (`/me`: addresses, employee id), read now with their
   * session's `User.Read` token; `null` when they have no usable session or Graph fails
   * (logged without secrets and emitted as `profile:read`). Never throws.
   */
  async readProfile(userId: string): Promise<Ms365Profile | null> {
    let token: AccessTokenResult;
    try {
      token = await this.getToken(userId, { scopes: ['User.Read'] });
    } catch (error) {
      this.#ctx.logger.warn({ userId, err: summarizeError(error) }, 'Microsoft Graph profile not read: no access token for the user');
      this.emit('profile:read', { outcome: 'failed', reason: 'unauthorized' });
      return null;
    }
    return this.#signIn.readProfile(token.accessToken, token.scopes);
  }

  /** The URL a user whose session ended signs in again at (from `reauthLoginUrl`). */
  reauthLoginUrl(userId: string): string {
    return this.#ctx.reauthLoginUrl(userId);
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
  refreshExpiring(withinMs = 600_000): Promise<RefreshExpiringResult> {
    return this.#preRefresh.refreshExpiring(withinMs);
  }

  /**
   * Runs {@link Ms365TokenRefresher.refreshExpiring} every `intervalMs` on the injected clock,
   * one pass at a time. With `locks`, one replica runs each pass (lease `ms365:pre-refresh`).
   */
  startPreRefresh(options: PreRefreshOptions = {}): PreRefreshHandle {
    return this.#preRefresh.start(options);
  }

  // --- Sign-out and status ---------------------------------------------------------------------

  /** Forgets the user's Microsoft 365 session (deletes their token cache). Idempotent. */
  signOut(userId: string): Promise<void> {
    return this.#sessions.signOut(userId);
  }

  /**
   * Microsoft's own sign-out URL, to end the browser's Microsoft session too (optional; the
   * app's sign-out is {@link Ms365TokenRefresher.signOut}).
   */
  microsoftLogoutUrl(postLogoutRedirectUri?: string): string {
    return this.#ctx.msal.logoutUrl(postLogoutRedirectUri);
  }

  /** The health of a user's session, from the store alone (no request to Microsoft). */
  sessionStatus(userId: string): Promise<Ms365SessionStatus> {
    return this.#sessions.status(userId);
  }
}
