/**
 * The one place where error codes become HTTP statuses, and the error middleware that answers
 * every failure with `{ error: { code, message, details? } }`.
 * @module
 */
import {
  InputError,
  isOdooSyncError,
  MassArchiveBlockedError,
  MassDeletionBlockedError,
  type OdooSyncErrorCode,
  ReauthRequiredError,
} from '@odoo-sync/core/errors';
import type { JsonValue } from '@odoo-sync/core';
import type { Middleware } from 'koa';
import type { ServerLogger } from '../runtime/logger.js';
import type { RequestState } from './state.js';

/** Codes the HTTP layer adds to core's: problems with the request itself. */
export type HttpProblemCode =
  | 'malformed_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'method_not_allowed'
  | 'route_not_found'
  /** Microsoft 365 sign-in is not configured on this server (its routes answer 404). */
  | 'ms365_not_configured'
  /** A write made with the session cookie came from another site (403): cross-site request forgery. */
  | 'csrf_rejected'
  /** A write made with the session cookie did not carry the session's token in `X-CSRF-Token` (403). */
  | 'csrf_failed'
  /** The request line or headers are over Node's size limit (431), answered before the app. */
  | 'headers_too_large'
  /** The request did not arrive in time (408), answered before the app. */
  | 'request_timeout'
  /** The bytes received are not HTTP (400), answered before the app. */
  | 'malformed_request'
  /** An `Idempotency-Key` used before with another request (another method, path or body) (422). */
  | 'idempotency_key_reused'
  /** The first request made with this `Idempotency-Key` is still running (409): retry a moment later. */
  | 'idempotency_key_in_use'
  /** This server has no Odoo connection to write through (503): the CRM write routes cannot work. */
  | 'odoo_writes_unavailable';

/** Every `error.code` an API answer can carry. */
export type ApiErrorCode = OdooSyncErrorCode | HttpProblemCode;

/** The body of every error answer. */
export interface ApiErrorBody {
  /** What went wrong. */
  error: {
    /** Stable code: switch on it. */
    code: ApiErrorCode;
    /** Human message (never a secret, never a stack trace). */
    message: string;
    /** With `reauth_required`: where to sign in to Microsoft 365 again (also in `details.loginUrl`). */
    loginUrl?: string;
    /** Structured details: validation `issues`, a `hint`, counts. */
    details?: { [key: string]: JsonValue };
  };
}

/** HTTP status of each error code. */
export const STATUS_BY_CODE: { readonly [C in ApiErrorCode]: number } = {
  internal_error: 500,
  config_invalid: 500,
  entity_definition_invalid: 500,
  input_invalid: 422,
  not_found: 404,
  conflict: 409,
  store_error: 503,
  lease_unavailable: 409,
  lease_lost: 503,
  sync_in_progress: 409,
  mass_deletion_blocked: 409,
  mass_archive_blocked: 409,
  run_aborted: 503,
  odoo_auth_failed: 502,
  odoo_access_denied: 502,
  odoo_model_not_found: 502,
  odoo_validation_failed: 422,
  odoo_server_error: 502,
  odoo_transport_failed: 502,
  unauthenticated: 401,
  forbidden: 403,
  identity_conflict: 409,
  reauth_required: 401,
  token_unreadable: 500,
  ms365_unavailable: 503,
  stale_cache: 503,
  notifier_failed: 502,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  route_not_found: 404,
  ms365_not_configured: 404,
  csrf_rejected: 403,
  csrf_failed: 403,
  headers_too_large: 431,
  request_timeout: 408,
  malformed_request: 400,
  idempotency_key_reused: 422,
  idempotency_key_in_use: 409,
  odoo_writes_unavailable: 503,
};

/** An error about the HTTP request itself (not a core failure). */
export class HttpProblem extends Error {
  /** Stable code. */
  readonly code: HttpProblemCode;
  /** Extra details for the answer. */
  readonly details: { [key: string]: JsonValue } | undefined;
  constructor(code: HttpProblemCode, message: string, details?: { [key: string]: JsonValue }) {
    super(message);
    this.name = 'HttpProblem';
    this.code = code;
    this.details = details;
  }
}

/** Turns any thrown value into a status and an {@link ApiErrorBody}. Unknown errors become a bare 500. */
export function toErrorAnswer(err: unknown): { status: number; body: ApiErrorBody; internal: boolean } {
  if (err instanceof HttpProblem) {
    const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
    if (err.details) body.error.details = err.details;
    return { status: STATUS_BY_CODE[err.code], body, internal: false };
  }
  if (isOdooSyncError(err) && err.code in STATUS_BY_CODE && err.code !== 'internal_error') {
    const details: { [key: string]: JsonValue } = {};
    if (err.hint) details['hint'] = err.hint;
    if (err instanceof InputError && err.issues.length > 0) {
      details['issues'] = err.issues.map((i) => ({ path: i.path, message: i.message }));
    }
    if (err instanceof MassDeletionBlockedError) {
      details['wouldDelete'] = err.wouldDelete;
      details['storedCount'] = err.storedCount;
      details['maxDeleteRatio'] = err.maxDeleteRatio;
    }
    if (err instanceof MassArchiveBlockedError) {
      details['wouldArchive'] = err.wouldArchive;
      details['activeCount'] = err.activeCount;
      details['maxArchiveRatio'] = err.maxArchiveRatio;
    }
    if (err instanceof ReauthRequiredError) details['loginUrl'] = err.loginUrl;
    if (err.retryable) details['retryable'] = true;
    const body: ApiErrorBody = { error: { code: err.code, message: err.message } };
    // `{ code: 'reauth_required', loginUrl }`: a client can redirect without digging into details.
    if (err instanceof ReauthRequiredError) body.error.loginUrl = err.loginUrl;
    if (Object.keys(details).length > 0) body.error.details = details;
    return { status: STATUS_BY_CODE[err.code], body, internal: STATUS_BY_CODE[err.code] >= 500 };
  }
  return {
    status: 500,
    body: { error: { code: 'internal_error', message: 'Something went wrong on the server; it has been logged.' } },
    internal: true,
  };
}

/**
 * Catches everything thrown below it and answers with the error shape. 5xx answers are logged
 * with the request id; the body never holds a stack or a cause.
 */
export function errorMiddleware(logger: ServerLogger): Middleware<RequestState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, body, internal } = toErrorAnswer(err);
      const fields = {
        requestId: ctx.state.requestId,
        method: ctx.method,
        route: ctx.state.route ?? null,
        status,
        code: body.error.code,
      };
      if (internal) {
        logger.error(
          { ...fields, err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err) },
          'request failed',
        );
      } else {
        logger.debug(fields, 'request rejected');
      }
      ctx.status = status;
      ctx.body = body;
      if (body.error.code === 'unauthenticated') ctx.set('WWW-Authenticate', 'Bearer realm="odoo-sync"');
    }
  };
}
