/**
 * Odoo's failures as typed errors. The error classes live in `@odoo-sync/core/errors` (so the
 * Reconciler and the server can switch on their codes) and the package index re-exports them; this file
 * holds the pure functions that turn an XML-RPC fault, a JSON-2 error answer, a non-Odoo HTTP
 * answer or a network failure into one of them.
 *
 * | code                     | class                    | retryable |
 * |--------------------------|--------------------------|-----------|
 * | `odoo_auth_failed`       | {@link OdooAuthError}     | only during Odoo's login cooldown |
 * | `odoo_access_denied`     | {@link OdooAccessError}   | no |
 * | `odoo_model_not_found`   | {@link OdooModelNotFoundError} | no |
 * | `odoo_validation_failed` | {@link OdooValidationError} | no |
 * | `odoo_server_error`      | {@link OdooServerError}   | only JSON-2 409 (lock) |
 * | `odoo_transport_failed`  | {@link OdooTransportError} | network failures, timeouts, 429/502/503/504 |
 * @module
 */
import {
  OdooAccessError,
  OdooAuthError,
  OdooModelNotFoundError,
  OdooServerError,
  type OdooSyncError,
  OdooTransportError,
  OdooValidationError,
} from '@odoo-sync/core/errors';

/** What the error mappers need to know about the failed request. */
export interface OdooErrorContext {
  /** Model called, when the request was an ORM call. */
  model?: string | undefined;
  /** Method called (`search_read`, `authenticate`, ...). */
  method?: string | undefined;
  /** Removes secrets from any text taken from the answer. */
  redact: (text: string) => string;
}

/** An XML-RPC fault as it arrives: Odoo sends an integer code and a string. */
export interface XmlRpcFault {
  /** 1 (anything else), 2 (user/validation/missing), 3 (access denied), 4 (access error). */
  faultCode: unknown;
  /** The message, or a full server traceback for code 1. */
  faultString: unknown;
}

/** Odoo's JSON-2 error body (a bare JSON string is accepted too). */
export interface Json2ErrorBody {
  /** Fully qualified Python exception name. */
  name?: string;
  /** The exception message. */
  message?: string;
  /** The exception arguments. */
  arguments?: unknown[];
  /** The server traceback. */
  debug?: string;
}

const FAULT_MODEL_MISSING = /Object ([\w.]+) doesn't exist/;
const JSON2_MODEL_MISSING = /\bmodel ['"]?([\w.]+)['"]? does not exist/i;
const COOLDOWN = /too many login failures|wait a bit before trying again|login cooldown/i;
const SUMMARY_MAX = 300;
/** Statuses a proxy or Odoo's worker pool answer while overloaded or restarting: worth retrying. */
const TRANSIENT_STATUSES = new Set([429, 502, 503, 504]);
/** Marks transport failures that happened before the request reached the server. */
const NOT_SENT = Symbol.for('@odoo-sync/odoo-adapter.notSent');

function where(ctx: OdooErrorContext): string {
  if (ctx.model && ctx.method) return ` (${ctx.model}.${ctx.method})`;
  if (ctx.method) return ` (${ctx.method})`;
  return '';
}

function truncate(text: string): string {
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/**
 * One line that says what went wrong: the last line of a Python traceback
 * (`ValueError: Invalid field 'x' on model 'res.partner'`), else the first line.
 */
export function summarizeOdooMessage(text: string): string {
  const all = lines(text);
  if (all.length === 0) return 'no message';
  const isTraceback = /^Traceback \(most recent call last\)/.test(all[0]!);
  return truncate(isTraceback ? all[all.length - 1]! : all[0]!);
}

/** Short Python exception name at the end of a traceback (`AccessError`), if there is one. */
function exceptionName(text: string): string | undefined {
  const last = lines(text).at(-1);
  const match = last ? /^([A-Za-z_][\w.]*):(?:\s|$)/.exec(last) : null;
  return match?.[1]?.split('.').at(-1);
}

/** Maps an XML-RPC fault to a typed error. The traceback of code 1 goes to `debug`, not the message. */
export function errorFromXmlRpcFault(fault: XmlRpcFault, ctx: OdooErrorContext): OdooSyncError {
  const raw = typeof fault.faultString === 'string' ? fault.faultString : String(fault.faultString ?? '');
  const text = ctx.redact(raw);
  const code = typeof fault.faultCode === 'number' ? fault.faultCode : Number.parseInt(String(fault.faultCode), 10);
  const summary = summarizeOdooMessage(text);
  const name = exceptionName(text);

  const missing = FAULT_MODEL_MISSING.exec(text);
  if (missing && (code === 1 || code === 2 || Number.isNaN(code))) return new OdooModelNotFoundError(missing[1]!);
  if (code === 3 || name === 'AccessDenied') {
    const cooldown = COOLDOWN.test(text);
    return new OdooAuthError(
      cooldown
        ? `Odoo is refusing logins for a while after repeated failures${where(ctx)}: ${summary}`
        : `Odoo refused the credentials${where(ctx)}: ${summary}`,
      { cooldown },
    );
  }
  if (code === 4 || name === 'AccessError') return new OdooAccessError(`Odoo denied access${where(ctx)}: ${summary}`);
  if (code === 2 || name === 'UserError' || name === 'ValidationError' || name === 'MissingError') {
    return new OdooValidationError(`Odoo rejected the request${where(ctx)}: ${summary}`);
  }
  return new OdooServerError(`Odoo failed${where(ctx)}: ${summary}`, { debug: text });
}

/** Maps a JSON-2 error answer (any status ≥ 400 with a JSON body) to a typed error. */
export function errorFromJson2Answer(status: number, body: unknown, ctx: OdooErrorContext): OdooSyncError {
  let message: string;
  let debug: string | undefined;
  if (typeof body === 'string') message = body;
  else if (body !== null && typeof body === 'object') {
    const b = body as Json2ErrorBody;
    message = typeof b.message === 'string' ? b.message : typeof b.name === 'string' ? b.name : `HTTP ${status}`;
    debug = typeof b.debug === 'string' && b.debug.length > 0 ? ctx.redact(b.debug) : undefined;
  } else message = `HTTP ${status}`;
  const text = ctx.redact(message);
  const summary = `${summarizeOdooMessage(text)} (HTTP ${status})`;
  const options = { ...(debug === undefined ? {} : { debug }) };

  switch (status) {
    case 401:
      return new OdooAuthError(`Odoo refused the API key${where(ctx)}: ${summary}`, { cooldown: COOLDOWN.test(text) });
    case 403:
      if (COOLDOWN.test(text)) return new OdooAuthError(`Odoo is refusing logins for a while${where(ctx)}: ${summary}`, { cooldown: true });
      return new OdooAccessError(`Odoo denied access${where(ctx)}: ${summary}`);
    case 404: {
      const missing = JSON2_MODEL_MISSING.exec(text) ?? FAULT_MODEL_MISSING.exec(text);
      if (missing) return new OdooModelNotFoundError(missing[1]!);
      return new OdooValidationError(`Odoo found no such record or method${where(ctx)}: ${summary}`);
    }
    case 409:
      return new OdooServerError(`Odoo hit a concurrent update${where(ctx)}: ${summary}`, { ...options, retryable: true });
    case 400:
    case 415:
    case 422:
      return new OdooValidationError(`Odoo rejected the request${where(ctx)}: ${summary}`);
    default:
      if (TRANSIENT_STATUSES.has(status)) {
        return new OdooTransportError(`Odoo is unavailable${where(ctx)}: ${summary}`, { status, retryable: true });
      }
      return new OdooServerError(`Odoo failed${where(ctx)}: ${summary}`, options);
  }
}

/** True when an HTTP answer is an HTML page (a proxy error page, a login page, a wrong URL). */
export function looksLikeHtml(contentType: string, body: string): boolean {
  if (/text\/html|application\/xhtml/i.test(contentType)) return true;
  const start = body.trimStart().slice(0, 15).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

/**
 * The error for an HTTP answer that is not the expected protocol: an HTML page from a proxy
 * or a wrong URL, or anything else. Retryable for 429/502/503/504 (a gateway whose Odoo
 * worker died or is restarting).
 */
export function errorFromForeignAnswer(
  answer: { status: number; contentType: string; body: string; target: string },
  protocol: 'XML-RPC' | 'JSON-2',
): OdooTransportError {
  const { status } = answer;
  const what = looksLikeHtml(answer.contentType, answer.body)
    ? `The server answered HTML, not ${protocol} — is the URL right, or is a proxy failing?`
    : `The server answered ${answer.contentType ? `"${answer.contentType.split(';')[0]}"` : 'something'} that is not ${protocol} — is the URL right, or is a proxy failing?`;
  return new OdooTransportError(`${what} (HTTP ${status} from ${answer.target})`, {
    status,
    retryable: TRANSIENT_STATUSES.has(status),
    hint: TRANSIENT_STATUSES.has(status)
      ? 'The gateway in front of Odoo failed; it will be retried.'
      : 'Check the Odoo URL (scheme, host, port and path prefix).',
  });
}

/** Codes of network failures worth retrying. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
/** Codes of failures that happen before a request reaches the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function networkCode(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (current !== error) message = current.message || message;
    if (typeof code === 'string') return { code, message: current.message || message };
    current = (current as { cause?: unknown }).cause;
  }
  return { code: undefined, message };
}

/** Maps a failed fetch (connection refused, reset, dropped mid-answer, DNS) to a transport error. */
export function errorFromNetworkFailure(error: unknown, target: string): OdooTransportError {
  const { code, message } = networkCode(error);
  const retryable = (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) || /socket hang up|other side closed|terminated/i.test(message);
  const err = new OdooTransportError(`Could not reach Odoo at ${target}: ${code ? `${code} ` : ''}${message}`.trim(), {
    cause: error,
    retryable,
    hint: retryable ? 'The connection failed; it will be retried.' : 'Check the Odoo URL and the network.',
  });
  if (code !== undefined && NOT_SENT_CODES.has(code)) Object.defineProperty(err, NOT_SENT, { value: true });
  return err;
}

/**
 * True when the failed request certainly did not run in Odoo, so even a non-idempotent call
 * (`create`) may be sent again: the connection was never made, or Odoo refused the login
 * during its cooldown.
 */
export function failedBeforeRunning(error: unknown): boolean {
  if (error instanceof OdooAuthError) return error.cooldown;
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[NOT_SENT] === true;
}
