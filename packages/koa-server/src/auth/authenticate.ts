/**
 * Authentication as a chain of authenticators (API key now; a Microsoft 365 session cookie can
 * be added beside it), and authorisation by role.
 * @module
 */
import type { Clock, Logger, User, UserStore } from '@odoo-sync/core';
import type { UserRole } from '@odoo-sync/core/store-kit';
import { ForbiddenError, summarizeError, UnauthenticatedError } from '@odoo-sync/core/errors';
import type { Context, Middleware } from 'koa';
import type { RequestState } from '../http/state.js';
import { hashApiKey } from './api-keys.js';

/** Who is calling, once authenticated. Put on `ctx.state.principal`. */
export interface Principal {
  /** The user (any status: authorisation checks it). */
  user: User;
  /** How they authenticated, e.g. `api_key` or `session`. */
  method: string;
  /** Id of the API key used, when `method` is `api_key`. */
  apiKeyId?: string;
}

/**
 * One way of recognising a caller. Returns the principal, `null` when the request carries no
 * credentials of this kind (the next authenticator is tried), or throws
 * {@link UnauthenticatedError} when it carries credentials of this kind that are not valid.
 *
 * @example A session-cookie authenticator plugs in beside the API key one:
 * ```ts
 * const sessionAuthenticator: Authenticator = async (ctx) => {
 *   const sessionId = ctx.cookies.get('odoo_sync_session', { signed: true });
 *   if (!sessionId) return null;
 *   const user = await sessions.userOf(sessionId);
 *   if (!user) throw new UnauthenticatedError('Your session has ended; sign in again.');
 *   return { user, method: 'session' };
 * };
 * createApp({ ..., authenticators: [apiKeyAuthenticator(store, { clock }), sessionAuthenticator] });
 * ```
 */
export type Authenticator = (ctx: Context) => Promise<Principal | null>;

/** Options of {@link apiKeyAuthenticator}. */
export interface ApiKeyAuthenticatorOptions {
  /** Time source for `lastUsedAt`. */
  clock: Clock;
  /** Where failures to record `lastUsedAt` are logged. */
  logger?: Logger;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Recognises `Authorization: Bearer <api key>`: the key's SHA-256 is looked up, the key must be
 * unrevoked and its user must exist. Records `lastUsedAt` without waiting for it.
 */
export function apiKeyAuthenticator(store: UserStore, options: ApiKeyAuthenticatorOptions): Authenticator {
  return async (ctx) => {
    const header = ctx.get('Authorization');
    if (!header) return null;
    const match = BEARER.exec(header);
    if (!match) {
      if (/^Bearer\b/i.test(header)) throw new UnauthenticatedError('The Authorization header is malformed.');
      return null;
    }
    const key = await store.findApiKeyByHash(hashApiKey(match[1]!));
    if (key === null) throw new UnauthenticatedError('The API key is not valid (unknown or revoked).');
    const user = await store.getUser(key.userId);
    if (user === null) throw new UnauthenticatedError('The API key is not valid (its user no longer exists).');
    store.touchApiKey(key.id, options.clock.now()).catch((err: unknown) => {
      options.logger?.warn({ apiKeyId: key.id, err: summarizeError(err) }, 'could not record API key use');
    });
    return { user, method: 'api_key', apiKeyId: key.id };
  };
}

/**
 * Runs the authenticators in order; the first that recognises the caller wins and its principal
 * goes on `ctx.state.principal`. Requests with no credentials pass through unauthenticated:
 * {@link requireRole} decides whether the route needs them.
 */
export function authenticate(authenticators: readonly Authenticator[]): Middleware<RequestState> {
  return async (ctx, next) => {
    for (const authenticator of authenticators) {
      const principal = await authenticator(ctx);
      if (principal) {
        ctx.state.principal = principal;
        break;
      }
    }
    await next();
  };
}

/** Access levels of a route. */
export type Access = 'public' | UserRole;

/**
 * Lets through approved users with the role (`admin` passes every role check): 401 without a
 * principal, 403 for a user who is not approved or lacks the role.
 */
export function requireRole(role: UserRole): Middleware<RequestState> {
  return async (ctx, next) => {
    const principal = ctx.state.principal;
    if (!principal) throw new UnauthenticatedError('Authentication is required: send Authorization: Bearer <api key>.');
    if (principal.user.status !== 'approved') {
      throw new ForbiddenError(`Your account is ${principal.user.status}; an admin must approve it first.`);
    }
    if (role === 'admin' && principal.user.role !== 'admin') {
      throw new ForbiddenError('This needs the admin role.');
    }
    await next();
  };
}
