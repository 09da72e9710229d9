/**
 * What the app keeps on `ctx.state` for one request: its id, the route pattern it matched and
 * the caller once authenticated. Typed, so handlers read `ctx.state.principal` without casts.
 * @module
 */
import { UnauthenticatedError } from '@odoo-sync/core/errors';
import type { ActivityEvent } from '@odoo-sync/core/activity';
import type { ParameterizedContext } from 'koa';
import type { Principal } from '../auth/authenticate.js';

/** `ctx.state` of a request served by the app. */
export interface RequestState {
  /** The request's id (`X-Request-Id`, given or made up). */
  requestId?: string;
  /** The route pattern matched (never the raw path: the webhook path holds a secret). */
  route?: string;
  /** The caller, once an authenticator recognised them. */
  principal?: Principal;
  /** The user whose session `POST /api/auth/logout` ended (for the request log). */
  signedOutUserId?: string;
  /** Activities the handler noted (`noteActivity`), written by the activity middleware. */
  activities?: ActivityEvent[];
}

/** The Koa context of a request served by the app. */
export type RequestContext = ParameterizedContext<RequestState>;

/**
 * The authenticated caller of a route behind `access: 'user'` or `'admin'` (the app's gate has
 * put them on `ctx.state`). Throws {@link UnauthenticatedError} if there is none, so a route
 * registered with the wrong access rule fails closed.
 */
export function callerOf(ctx: { state: RequestState }): Principal {
  const principal = ctx.state.principal;
  if (!principal) throw new UnauthenticatedError('Authentication is required: send Authorization: Bearer <api key>.');
  return principal;
}

/**
 * Notes an activity for the route's activity middleware to write once the handler has
 * succeeded (see `RouteSpec.activity`). Nothing is written when the handler throws.
 */
export function noteActivity(ctx: { state: RequestState }, event: ActivityEvent): void {
  (ctx.state.activities ??= []).push(event);
}
