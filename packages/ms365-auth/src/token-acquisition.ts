/**
 * Token acquisition: silent refresh through MSAL, one flight per user and scopes, and the end
 * of a session Entra will no longer refresh (`reauth_required`).
 * @module
 */
import type { AccountInfo, AuthenticationResult, ConfidentialClientApplication } from '@azure/msal-node';
import { summarizeError, ReauthRequiredError, type TokenUnreadableError } from '@odoo-sync/core/errors';
import type { ReauthMark } from './cache-payload.js';
import type { PartitionCachePlugin } from './cache-plugin.js';
import type { Ms365Context } from './context.js';
import { classifyMsalError, msalErrorDetails } from './msal-errors.js';
import { userCacheKey } from './user-cache.js';

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

/**
 * When to refresh: `'always'`, `'never'` (MSAL refreshes near expiry), or an instant (ms) —
 * refresh when the stored token expires before it (the pre-refresh job: a token another replica
 * refreshed meanwhile is left alone).
 */
export type RefreshWhen = 'always' | 'never' | number;

/** Acquires access tokens for signed-in users. */
export class TokenAcquisition {
  readonly #ctx: Ms365Context;
  readonly #defaultScopes: string[];
  readonly #inflight = new Map<string, Promise<AccessTokenResult>>();

  constructor(ctx: Ms365Context) {
    this.#ctx = ctx;
    this.#defaultScopes = [...(ctx.options.defaultScopes ?? ['User.Read'])];
  }

  /** See {@link Ms365TokenRefresher.getToken}. */
  getToken(userId: string, options: GetTokenOptions = {}): Promise<AccessTokenResult> {
    return this.flight(userId, normaliseScopes(options.scopes ?? this.#defaultScopes), options.forceRefresh === true ? 'always' : 'never');
  }

  /** A token of the default scopes, refreshed when the stored one expires before `before` (ms). */
  refreshBefore(userId: string, before: number): Promise<AccessTokenResult> {
    return this.flight(userId, normaliseScopes(this.#defaultScopes), before);
  }

  /**
   * One flight per (user, scopes, refresh policy): a call that finds an identical one in flight
   * gets its promise. Flights of one user run one after the other.
   */
  flight(userId: string, scopes: string[], force: RefreshWhen): Promise<AccessTokenResult> {
    const flightKey = `${userId}\u0000${scopes.join(' ')}\u0000${force}`;
    const existing = this.#inflight.get(flightKey);
    if (existing) return existing;
    const flight = this.#ctx.queue
      .run(userId, () => this.#ctx.retry.withRetry(userId, () => this.#acquire(userId, scopes, force)))
      .finally(() => this.#inflight.delete(flightKey));
    this.#inflight.set(flightKey, flight);
    return flight;
  }

  async #acquire(userId: string, scopes: string[], force: RefreshWhen): Promise<AccessTokenResult> {
    const { vault, msal, logger, events } = this.#ctx;
    const key = userCacheKey(userId);
    const read = await vault.read(key);
    if (read.kind === 'absent') throw this.#reauthError(userId);
    if (read.kind === 'unreadable') {
      await this.#reportUnreadable(userId, read.error, read.entry);
      throw this.#reauthError(userId, read.error);
    }
    if (read.payload.status === 'reauth_required') throw this.#reauthError(userId);
    const expiresAt = read.entry.expiresAt === null ? null : Date.parse(read.entry.expiresAt);
    const forceRefresh = force === 'always' || (typeof force === 'number' && (expiresAt === null || expiresAt < force));

    const plugin = msal.plugin(key, read);
    const client = msal.client(plugin);
    const accounts = await client.getTokenCache().getAllAccounts();
    const wanted = read.payload.account?.homeAccountId;
    const account = accounts.find((a) => a.homeAccountId === wanted) ?? accounts[0];
    if (!account) {
      await this.#closeSession(userId, plugin, client, null, { errorCode: 'no_account', subError: null, errorNo: null, correlationId: null });
      throw this.#reauthError(userId);
    }
    let response: AuthenticationResult;
    try {
      response = await msal.timed(client.acquireTokenSilent({ account, scopes, forceRefresh }));
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
      logger.debug({ userId, expiresAt: result.expiresAt, forced: forceRefresh }, 'Microsoft 365 token refreshed');
      events.emit('token:refreshed', { userId, expiresAt: result.expiresAt, forced: forceRefresh });
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
    const mark: ReauthMark = { at: this.#ctx.clock.now().toISOString(), reason: details.errorCode, errorNo: details.errorNo };
    plugin.guard(plugin.version);
    plugin.markReauth(mark);
    if (account) {
      await client.getTokenCache().removeAccount(account);
    } else {
      const payload = plugin.payload;
      if (payload) await this.#ctx.vault.write(userCacheKey(userId), { ...payload, status: 'reauth_required', reauth: mark }, plugin.version);
    }
    this.#ctx.logger.warn(
      { userId, errorCode: details.errorCode, subError: details.subError, errorNo: details.errorNo, correlationId: details.correlationId },
      'Microsoft 365 session can no longer be refreshed; the user must sign in again',
    );
    await this.#notifyReauth(userId, mark, details.correlationId);
  }

  async #notifyReauth(userId: string, mark: ReauthMark, correlationId: string | null): Promise<void> {
    const { options, events, logger } = this.#ctx;
    events.emit('session:invalidated', { userId, mark, correlationId });
    if (!options.onReauthRequired) return;
    try {
      await options.onReauthRequired({ userId, mark, loginUrl: this.#ctx.reauthLoginUrl(userId), correlationId });
    } catch (error) {
      logger.error({ userId, err: summarizeError(error) }, 'onReauthRequired hook failed');
    }
  }

  async #reportUnreadable(userId: string, error: TokenUnreadableError, entry: { version: number; blob: string; expiresAt: string | null }): Promise<void> {
    const { options, events, logger, clock } = this.#ctx;
    logger.error({ userId, err: summarizeError(error) }, 'stored Microsoft 365 token cache is unreadable; the user counts as signed out');
    events.emit('session:lost', { userId, error });
    // Keep the blob (a restored key makes it readable again) but take it off the pre-refresh list.
    if (entry.expiresAt !== null) {
      await options.store.putToken(userCacheKey(userId), { blob: entry.blob, expiresAt: null }, entry.version, clock.now()).catch(() => undefined);
    }
    await this.#notifyReauth(userId, { at: clock.now().toISOString(), reason: 'token_unreadable', errorNo: null }, null);
  }

  #reauthError(userId: string, cause?: unknown): ReauthRequiredError {
    return new ReauthRequiredError(this.#ctx.reauthLoginUrl(userId), undefined, cause === undefined ? {} : { cause });
  }
}

/** Scopes sorted and deduplicated, so equal requests share one flight. */
function normaliseScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim()).filter(Boolean))].sort();
}
