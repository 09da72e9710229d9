/**
 * Sign-in: the auth-code flow with PKCE, state and nonce kept server-side, and the callback
 * that redeems the code, checks the id token and stores the new session.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { CryptoProvider, ResponseMode } from '@azure/msal-node';
import { InputError, isOdooSyncError, UnauthenticatedError } from '@odoo-sync/core/errors';
import { z } from 'zod';
import type { CachedAccount, CachePayload } from './cache-payload.js';
import { CapturePlugin } from './cache-plugin.js';
import type { Ms365Context } from './context.js';
import { claimsSubset, type IdTokenClaimsSubset, identityOf, type Ms365Identity, str } from './identity.js';
import { classifyMsalError, isClientConfigurationFailure, msalErrorDetails } from './msal-errors.js';
import { credentialsRefused } from './msal-retry.js';
import { type PendingLogin, type PendingLoginStore, TokenStorePendingLogins } from './pending-logins.js';
import { GraphProfileError, type Ms365Profile, readGraphProfile, scopesReadProfile } from './graph-profile.js';
import { acceptedTenants } from './tenants.js';
import { storeCall } from './token-vault.js';
import { userCacheKey } from './user-cache.js';

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
  /** The person's Microsoft Graph profile, or `null` when it was not read or could not be. */
  profile: Ms365Profile | null;
}

/** Options of {@link Ms365TokenRefresher.handleCallback}. */
export interface HandleCallbackOptions {
  /** The state the browser carried (cookie set at login). When given, a different `state` is refused. */
  expectedState?: string;
  /**
   * Chooses the id to store the session under, e.g. by finding or creating the app user by
   * e-mail. Receives the person's Microsoft Graph profile too (`null` when it could not be
   * read). Default: the MSAL home account id.
   */
  resolveUserId?: (identity: Ms365Identity, profile: Ms365Profile | null) => string | Promise<string>;
}

const callbackSchema = z.object({
  code: z.string().min(1).max(8192).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
});

/** The sign-in half of the service: login URLs and their callbacks. */
export class SignInFlow {
  readonly #ctx: Ms365Context;
  readonly #pendingLogins: PendingLoginStore;
  readonly #loginScopes: string[];
  readonly #tenants: ReadonlySet<string>;

  constructor(ctx: Ms365Context) {
    const options = ctx.options;
    this.#ctx = ctx;
    this.#pendingLogins = options.pendingLogins ?? new TokenStorePendingLogins(options.store, ctx.keyring, ctx.clock);
    this.#loginScopes = [...(options.loginScopes ?? ['User.Read', 'email'])];
    this.#tenants = acceptedTenants(options.tenantId, options.allowedTenants, []);
  }

  /** See {@link Ms365TokenRefresher.loginUrl}. */
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
    const now = this.#ctx.clock.now();
    const expiresAt = new Date(now.getTime() + (this.#ctx.options.loginTtlMs ?? 600_000));
    const url = await this.#ctx.msal.client().getAuthCodeUrl({
      scopes: this.#loginScopes,
      redirectUri: this.#ctx.options.redirectUri,
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
      redirectUri: this.#ctx.options.redirectUri,
      scopes: this.#loginScopes,
      returnTo,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
    };
    await this.#pendingLogins.save(login);
    return { url, state, expiresAt: login.expiresAt };
  }

  /** See {@link Ms365TokenRefresher.handleCallback}. */
  async handleCallback(params: CallbackParams, options: HandleCallbackOptions = {}): Promise<SignInResult> {
    const { clock, logger, msal, retry, queue, events } = this.#ctx;
    const parsed = callbackSchema.safeParse(params);
    if (!parsed.success || !parsed.data.state) {
      throw new InputError('The sign-in callback is missing its state.', [{ path: 'state', message: 'is required' }]);
    }
    const { code, state, error } = parsed.data;
    if (options.expectedState !== undefined && options.expectedState !== state) {
      throw new UnauthenticatedError('This sign-in was not started in this browser. Please sign in again.');
    }
    const login = await this.#pendingLogins.take(state, clock.now());
    if (!login) {
      throw new UnauthenticatedError('This sign-in link has expired or was already used. Please sign in again.');
    }
    if (error !== undefined) {
      logger.warn({ error }, 'Microsoft reported a failed sign-in');
      throw new UnauthenticatedError(`Microsoft sign-in did not complete (${error}). Please try again.`);
    }
    if (!code) throw new InputError('The sign-in callback is missing its code.', [{ path: 'code', message: 'is required' }]);

    const result = await retry
      .retrying(null, async () => {
        const capture = new CapturePlugin();
        // msal-node 7 takes the expected nonce from the request (the second argument only
        // supplies the state returned in the redirect) and refuses an id token whose nonce is
        // missing or different (`nonce_mismatch`), or one that carries a nonce when none is given.
        const response = await msal.timed(
          msal
            .client(capture)
            .acquireTokenByCode(
              { code, scopes: login.scopes, redirectUri: login.redirectUri, codeVerifier: login.codeVerifier, state: login.state, nonce: login.nonce },
              { code, state },
            ),
        );
        return { response, captured: capture.captured };
      })
      .catch((err: unknown) => {
        throw this.#signInFailure(err);
      });

    const { response, captured } = result;
    const account = response.account;
    const claims = (response.idTokenClaims ?? {}) as Record<string, unknown>;
    if (!account || captured === null) throw new UnauthenticatedError('Microsoft returned no account for this sign-in.');
    // MSAL checked the nonce already; checked again here so no MSAL change can drop it silently.
    if (claims['nonce'] !== login.nonce) throw new UnauthenticatedError('The sign-in answer does not match this sign-in (nonce).');
    if (claims['aud'] !== this.#ctx.options.clientId) throw new UnauthenticatedError('The id token was issued for another application.');
    const tid = str(claims['tid'])?.toLowerCase() ?? '';
    if (!this.#tenants.has(tid)) {
      logger.warn({ tenantId: tid === '' ? null : tid }, 'Microsoft 365 sign-in from a tenant that is not allowed refused');
      throw new UnauthenticatedError('This account belongs to an organisation whose accounts may not sign in here.', {
        hint: 'Sign in with an account of your organisation; an administrator can allow another tenant (MS365_ALLOWED_TENANTS).',
      });
    }
    if (str(claims['oid']) === null) throw new UnauthenticatedError('Microsoft returned no object id (oid) for this account.');

    const identity = identityOf(account, claims);
    const profile = await this.readProfile(response.accessToken, login.scopes);
    const userId = options.resolveUserId ? await options.resolveUserId(identity, profile) : identity.homeAccountId;
    if (typeof userId !== 'string' || userId === '') throw new TypeError('resolveUserId must return a non-empty string.');
    const cachedAccount: CachedAccount = {
      homeAccountId: identity.homeAccountId,
      tenantId: identity.tenantId,
      username: identity.username,
      name: account.name ?? null,
    };
    const payload: CachePayload = { v: 1, status: 'active', msal: captured, account: cachedAccount, reauth: null };
    await queue.run(userId, () => this.#replaceSession(userId, payload));
    logger.info({ userId, tenantId: identity.tenantId }, 'Microsoft 365 sign-in stored');
    events.emit('session:started', { userId, homeAccountId: identity.homeAccountId, tenantId: identity.tenantId });
    return {
      ...identity,
      userId,
      returnTo: login.returnTo,
      idTokenClaims: claimsSubset(claims),
      accessTokenExpiresAt: response.expiresOn ? response.expiresOn.toISOString() : null,
      profile,
    };
  }

  /**
   * The person's Graph profile, read with the access token just redeemed; `null` when turned
   * off, when the sign-in's scopes cannot read it, or when the read fails (logged without
   * secrets and emitted as `profile:read`: it never stops a sign-in).
   */
  async readProfile(accessToken: string, scopes: readonly string[]): Promise<Ms365Profile | null> {
    const { options, logger, clock, events } = this.#ctx;
    if (options.readProfile === false || accessToken === '' || !scopesReadProfile(scopes)) {
      events.emit('profile:read', { outcome: 'skipped', reason: null });
      return null;
    }
    try {
      const profile = await readGraphProfile(accessToken, {
        clock,
        ...(options.graphBaseUrl !== undefined ? { baseUrl: options.graphBaseUrl } : {}),
        ...(options.graphTimeoutMs !== undefined ? { timeoutMs: options.graphTimeoutMs } : {}),
        ...(options.graphFetch !== undefined ? { fetch: options.graphFetch } : {}),
      });
      events.emit('profile:read', { outcome: 'read', reason: null });
      return profile;
    } catch (error) {
      const failure = error instanceof GraphProfileError ? error : new GraphProfileError('network', 'The Microsoft Graph profile could not be read.');
      logger.warn(
        { reason: failure.reason, status: failure.status, requestId: failure.requestId },
        `Microsoft Graph profile not read at sign-in (${failure.message}); linking uses the token's claims only`,
      );
      events.emit('profile:read', { outcome: 'failed', reason: failure.reason });
      return null;
    }
  }

  /** A sign-in replaces the stored session whatever its version (a newer sign-in wins). */
  async #replaceSession(userId: string, payload: CachePayload): Promise<void> {
    const key = userCacheKey(userId);
    for (let attempt = 0; ; attempt++) {
      const current = await storeCall(() => this.#ctx.options.store.getToken(key));
      try {
        const entry = await this.#ctx.vault.write(key, payload, current?.version ?? null);
        this.#ctx.events.emit('cache:written', { key, outcome: 'written', version: entry.version });
        return;
      } catch (error) {
        if (!(isOdooSyncError(error) && error.code === 'conflict') || attempt >= 4) throw error;
      }
    }
  }

  #signInFailure(error: unknown): unknown {
    const logger = this.#ctx.logger;
    if (isOdooSyncError(error) || classifyMsalError(error) === 'transient') return this.#ctx.retry.finalError(null, error);
    const details = msalErrorDetails(error);
    if (isClientConfigurationFailure(error)) {
      logger.error({ ...details }, 'Entra refused the app credentials');
      return credentialsRefused(error, details);
    }
    if (details.errorCode === 'nonce_mismatch' || details.errorCode === 'state_mismatch') {
      logger.warn({ ...details }, 'Microsoft 365 sign-in answer does not match its sign-in');
      return new UnauthenticatedError('The sign-in answer does not match this sign-in. Please sign in again.', { cause: error });
    }
    logger.warn({ ...details }, 'Microsoft 365 code exchange failed');
    return new UnauthenticatedError('Microsoft sign-in failed. Please sign in again.', { cause: error });
  }
}

/** A path on this site: one leading slash, no scheme, no backslash tricks. */
function isSafeReturnPath(value: string): boolean {
  return /^\/(?![/\\])[^\s\\]*$/.test(value) && value.length <= 2048;
}
