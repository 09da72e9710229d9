/**
 * Sorting MSAL failures into "the user must sign in again", "try again later" and the rest.
 * Pure functions, no I/O.
 * @module
 */
import { AuthError, ClientAuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';

/** What a failed MSAL call means for the session. */
export type MsalFailureKind =
  /** Silent refresh is impossible: remove the account, mark the user, ask them to sign in. */
  | 'reauth'
  /** Network or Entra outage: retry, keep the session. */
  | 'transient'
  /** Anything else (configuration, a bug): report, keep the session. */
  | 'fatal';

/** Entra error codes that mean a transient outage. */
const TRANSIENT_SERVER_CODES = new Set(['temporarily_unavailable', 'server_error', 'service_unavailable', 'request_timeout']);

/** MSAL client error codes that mean the request never got a usable answer. */
const TRANSIENT_CLIENT_CODES = new Set(['network_error', 'endpoints_resolution_error', 'openid_config_error']);

/**
 * Classifies an error thrown by MSAL.
 *
 * - `reauth`: {@link InteractionRequiredAuthError} (interaction_required, consent_required,
 *   login_required, bad_token, no_tokens_found, refresh_token_expired, MFA `basic_action`…),
 *   or a `ServerError` with `errorCode === 'invalid_grant'` (AADSTS700082 expired, AADSTS50173
 *   revoked…).
 * - `transient`: MSAL's `network_error` (the request did not complete), an answer that is not
 *   JSON (msal-node 7's fetch client throws `token_parsing_error` for a gateway's HTML error
 *   page, where msal-node 3 made it a `server_error`), Entra's
 *   `temporarily_unavailable`/`server_error`, HTTP 429/5xx, and errors that are not MSAL's at
 *   all (a socket reset surfacing from a custom network client).
 * - `fatal`: everything else (invalid_client, a misconfigured authority…).
 */
export function classifyMsalError(error: unknown): MsalFailureKind {
  // By class and, for copies of MSAL loaded twice (ESM and CJS), by name.
  if (error instanceof InteractionRequiredAuthError || isNamed(error, 'InteractionRequiredAuthError')) return 'reauth';
  if (error instanceof ServerError || isNamed(error, 'ServerError')) {
    const server = error as ServerError;
    if (server.errorCode === 'invalid_grant') return 'reauth';
    if (TRANSIENT_SERVER_CODES.has(server.errorCode)) return 'transient';
    if (server.status !== undefined && (server.status === 429 || server.status >= 500)) return 'transient';
    return 'fatal';
  }
  if (error instanceof AuthError || isNamed(error, 'AuthError') || isNamed(error, 'ClientAuthError')) {
    const auth = error as AuthError;
    if (TRANSIENT_CLIENT_CODES.has(auth.errorCode)) return 'transient';
    if (isUnparsableAnswer(auth)) return 'transient';
    return 'fatal';
  }
  if (error instanceof Error && /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|socket hang up|fetch failed/i.test(`${error.message} ${String((error as { code?: unknown }).code ?? '')}`)) {
    return 'transient';
  }
  return 'fatal';
}

/** Log-safe details of an MSAL error: codes and ids, never tokens. */
export interface MsalErrorDetails {
  /** MSAL/Entra error code (`invalid_grant`, `network_error`…). */
  errorCode: string;
  /** Entra's sub-error (`basic_action`, `bad_token`…), when given. */
  subError: string | null;
  /** Entra's AADSTS number, when given. */
  errorNo: string | null;
  /** The request's correlation id, when known. */
  correlationId: string | null;
}

/** Extracts {@link MsalErrorDetails} from any thrown value. */
export function msalErrorDetails(error: unknown): MsalErrorDetails {
  if (error instanceof AuthError || (error instanceof Error && typeof (error as { errorCode?: unknown }).errorCode === 'string')) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- duck-typed on purpose: an MSAL error from another copy of msal-node is not `instanceof AuthError`
    const auth = error as AuthError & { errorNo?: string | number };
    return {
      errorCode: auth.errorCode,
      subError: auth.subError || null,
      errorNo: auth.errorNo === undefined || auth.errorNo === '' ? null : String(auth.errorNo),
      correlationId: auth.correlationId || null,
    };
  }
  return {
    errorCode: error instanceof Error ? error.name : 'unknown',
    subError: null,
    errorNo: null,
    correlationId: null,
  };
}

/**
 * msal-node 7's HTTP client (fetch) throws a plain `AuthError` `token_parsing_error` when the
 * body of an answer is not JSON: a proxy's or gateway's error page (502/503/504 in HTML), as
 * during an outage. A token MSAL cannot decode is a `ClientAuthError` with the same code, and is
 * not transient.
 */
function isUnparsableAnswer(error: AuthError): boolean {
  return error.errorCode === 'token_parsing_error' && !(error instanceof ClientAuthError) && error.name !== 'ClientAuthError';
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name && typeof (error as { errorCode?: unknown }).errorCode === 'string';
}

/** True for Entra answers that mean the app's own credentials or registration are wrong. */
export function isClientConfigurationFailure(error: unknown): boolean {
  const code = (error as { errorCode?: unknown } | null)?.errorCode;
  return code === 'invalid_client' || code === 'unauthorized_client';
}
