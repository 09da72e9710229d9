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
/**
 * Odoo's words for a method the model does not have: 19 says `The method 'res.partner.x' does
 * not exist`, 17–18 `The method 'x' does not exist on the model 'res.partner'`, 16 Python's
 * `type object 'res.partner' has no attribute 'x'` (always an AttributeError: fault 1 over
 * XML-RPC, 404 over JSON-2).
 */
const METHOD_MISSING = [/^The method '[\w.]+' does not exist(?: on the model '[\w.]+')?$/];
/** What PostgreSQL answers when Odoo opens a database that does not exist (a psycopg2 OperationalError, fault 1). */
const DATABASE_MISSING = /FATAL:\s+database "([^"]+)" does not exist/;
/** Odoo's 404 page when the request selects no database (an unknown `X-Odoo-Database`): `NOT_FOUND_NODB`. */
const NO_DATABASE_PAGE = /No database is selected|use the X-Odoo-Database header/i;
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

/**
 * The message of an unknown method, the same over both protocols:
 * `Odoo has no method res.partner.x: The method 'res.partner.x' does not exist`. `undefined`
 * when `line` (the exception's message, without its type) is not Odoo's unknown-method text.
 */
function methodMissingMessage(line: string, ctx: OdooErrorContext): string | undefined {
  // Odoo 16 looks the method up with a bare getattr on the model's class.
  const bareGetattr = ctx.model !== undefined && ctx.method !== undefined && line === `type object '${ctx.model}' has no attribute '${ctx.method}'`;
  if (!bareGetattr && !METHOD_MISSING.some((pattern) => pattern.test(line))) return undefined;
  const name = ctx.model && ctx.method ? `${ctx.model}.${ctx.method}` : ctx.method ?? 'that was called';
  return `Odoo has no method ${name}: ${line}`;
}

/**
 * The error for a database name Odoo does not have — a fault from PostgreSQL over XML-RPC, an
 * HTML 404 "No database is selected" over JSON-2 — so both protocols report the same mistake
 * the same way: `odoo_auth_failed`, naming the database, not retryable.
 */
export function databaseNotFoundError(db: string, detail: string): OdooAuthError {
  return new OdooAuthError(`Odoo has no database "${db}" (${detail}).`, {
    hint: 'Check the database name (the `db` option; ODOO_DB for the server): it must name a database of this Odoo server, with the same case.',
  });
}

/** True when an HTML answer is Odoo's 404 page for a request that selects no database. */
export function isNoDatabasePage(status: number, body: string): boolean {
  return status === 404 && NO_DATABASE_PAGE.test(body);
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
  if (name === 'AttributeError') {
    const unknownMethod = methodMissingMessage(summary.replace(/^[\w.]*AttributeError:\s*/, ''), ctx);
    if (unknownMethod) return new OdooValidationError(unknownMethod);
  }
  const database = DATABASE_MISSING.exec(text);
  if (database && code !== 3 && code !== 4) return databaseNotFoundError(database[1]!, `PostgreSQL: database "${database[1]!}" does not exist${where(ctx)}`);
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
      const unknownMethod = methodMissingMessage(summarizeOdooMessage(text), ctx);
      if (unknownMethod) return new OdooValidationError(unknownMethod);
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
  // An answer that ended before its Content-Length: a worker killed mid-answer (HTTP/1.0, as
  // Odoo's prefork workers answer; with HTTP/1.1 the same cut is UND_ERR_SOCKET).
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
/** Messages of failures that cut an exchange short, whatever the code. */
const CUT_SHORT = /socket hang up|other side closed|terminated/i;
/** Codes of failures that happen before a request reaches the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** The first `code` along the cause chain, and every distinct message of the chain, outermost first. */
function networkFailure(error: unknown): { code: string | undefined; messages: string[] } {
  let code: string | undefined;
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !messages.includes(message)) messages.push(message);
    if (!(current instanceof Error)) break;
    const own = (current as { code?: unknown }).code;
    if (code === undefined && typeof own === 'string') code = own;
    current = (current as { cause?: unknown }).cause;
  }
  return { code, messages };
}

/**
 * Maps a failed fetch (connection refused, reset, dropped mid-answer, DNS) to a transport error.
 * The message keeps the whole story — `terminated (UND_ERR_RES_CONTENT_LENGTH_MISMATCH: Response
 * body length does not match content-length header)` — and any message of the chain saying the
 * exchange was cut short makes it retryable, as do the codes of transient failures.
 */
export function errorFromNetworkFailure(error: unknown, target: string): OdooTransportError {
  const { code, messages } = networkFailure(error);
  const cutShort = messages.some((message) => CUT_SHORT.test(message)) || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';
  const retryable = (code !== undefined && TRANSIENT_NETWORK_CODES.has(code)) || cutShort;
  const [outer = 'the request failed', ...causes] = messages;
  const detail = [code, ...causes].filter((part): part is string => part !== undefined).join(': ');
  const what = cutShort ? `The connection to Odoo broke before the whole answer of ${target} arrived` : `Could not reach Odoo at ${target}`;
  const err = new OdooTransportError(`${what}: ${outer}${detail ? ` (${detail})` : ''}`, {
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
