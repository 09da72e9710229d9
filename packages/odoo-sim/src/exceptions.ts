/**
 * The server-side exceptions the simulator raises, shaped like Odoo's: each knows the XML-RPC
 * fault code (`/xmlrpc/2`), the JSON-2 HTTP status and the Python class name Odoo reports.
 * The transports turn them into `<fault>` answers or JSON-2 error bodies.
 * @module
 */

/**
 * What kind of Odoo exception an {@link OdooSimError} stands for.
 * - `access_denied` — `odoo.exceptions.AccessDenied` (fault 3)
 * - `access_error` — `odoo.exceptions.AccessError` (fault 4, HTTP 403)
 * - `user_error` — `odoo.exceptions.UserError`, e.g. "Object x doesn't exist" (fault 2, HTTP 422)
 * - `validation_error` — `odoo.exceptions.ValidationError` (fault 2, HTTP 422)
 * - `missing_error` — `odoo.exceptions.MissingError` (fault 2, HTTP 404)
 * - `server_error` — any other Python exception (`ValueError`, `TypeError`…): fault 1 with a traceback, HTTP 500
 */
export type OdooSimErrorKind =
  | 'access_denied'
  | 'access_error'
  | 'user_error'
  | 'validation_error'
  | 'missing_error'
  | 'server_error';

const FAULT_CODES: Record<OdooSimErrorKind, 1 | 2 | 3 | 4> = {
  access_denied: 3,
  access_error: 4,
  user_error: 2,
  validation_error: 2,
  missing_error: 2,
  server_error: 1,
};

const HTTP_STATUSES: Record<OdooSimErrorKind, number> = {
  access_denied: 401,
  access_error: 403,
  user_error: 422,
  validation_error: 422,
  missing_error: 404,
  server_error: 500,
};

const PYTHON_NAMES: Record<Exclude<OdooSimErrorKind, 'server_error'>, string> = {
  access_denied: 'odoo.exceptions.AccessDenied',
  access_error: 'odoo.exceptions.AccessError',
  user_error: 'odoo.exceptions.UserError',
  validation_error: 'odoo.exceptions.ValidationError',
  missing_error: 'odoo.exceptions.MissingError',
};

/**
 * An exception raised "inside Odoo". Thrown by the simulator's programmatic API as well
 * (e.g. `sim.write('res.partner', [999], …)` throws a `missing_error`).
 */
export class OdooSimError extends Error {
  override readonly name = 'OdooSimError';
  /** Which Odoo exception this is. */
  readonly kind: OdooSimErrorKind;
  /** XML-RPC `faultCode` on `/xmlrpc/2`. */
  readonly faultCode: 1 | 2 | 3 | 4;
  /** JSON-2 HTTP status. */
  readonly httpStatus: number;
  /** Python qualified class name, e.g. `odoo.exceptions.MissingError` or `builtins.ValueError`. */
  readonly pythonName: string;

  /**
   * @param kind which Odoo exception
   * @param message Odoo's message (for `server_error`, the exception's message line)
   * @param pythonType for `server_error`: the Python exception type (`ValueError`, `TypeError`, …)
   */
  constructor(kind: OdooSimErrorKind, message: string, pythonType = 'ValueError') {
    super(message);
    this.kind = kind;
    this.faultCode = FAULT_CODES[kind];
    this.httpStatus = HTTP_STATUSES[kind];
    this.pythonName = kind === 'server_error' ? pythonQualifiedName(pythonType) : PYTHON_NAMES[kind];
  }

  /** The XML-RPC `faultString`: the message, or a Python traceback for `server_error` (as Odoo). */
  get faultString(): string {
    return this.kind === 'server_error' ? this.traceback : this.message;
  }

  /** A Python-looking traceback ending with `Type: message`, as Odoo puts in fault 1 and `debug`. */
  get traceback(): string {
    const shortName = this.pythonName.replace(/^builtins\./, '');
    return [
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2150, in _serve_db',
      '    return service_model.retrying(self._serve_ir_http, self.env)',
      '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 152, in retrying',
      '    result = func()',
      '  File "/usr/lib/python3/dist-packages/odoo/api.py", line 466, in call_kw',
      '    result = _call_kw_model(method, model, args, kwargs)',
      `${shortName}: ${this.message}`,
      '',
    ].join('\n');
  }
}

function pythonQualifiedName(type: string): string {
  return type.includes('.') ? type : `builtins.${type}`;
}

/** `AccessDenied` with Odoo's default text. */
export function accessDenied(message = 'Access Denied'): OdooSimError {
  return new OdooSimError('access_denied', message);
}

/** Odoo's text when a model's module is not installed. */
export function objectDoesNotExist(model: string): OdooSimError {
  return new OdooSimError('user_error', `Object ${model} doesn't exist`);
}

/** Odoo's login cooldown text. */
export const LOGIN_COOLDOWN_MESSAGE = 'Too many login failures, please wait a bit before trying again.';
