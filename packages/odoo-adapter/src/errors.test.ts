import { describe, expect, it } from 'vitest';
import {
  errorFromForeignAnswer,
  errorFromJson2Answer,
  errorFromNetworkFailure,
  errorFromXmlRpcFault,
  failedBeforeRunning,
  summarizeOdooMessage,
} from './errors.js';
import { OdooAuthError, OdooServerError, OdooTransportError } from '@odoo-sync/core/errors';
import { createRedactor } from './redact.js';

const ctx = { model: 'res.partner', method: 'search_read', redact: createRedactor(['k3y-s3cret']) };
const traceback = [
  'Traceback (most recent call last):',
  '  File "/odoo/odoo/service/model.py", line 156, in execute_kw',
  "    raise ValueError('Invalid field')",
  "ValueError: Invalid field 'nope' on model 'res.partner'",
  '',
].join('\n');

describe('errorFromXmlRpcFault', () => {
  it.each([
    [3, 'Access Denied', 'odoo_auth_failed', false],
    [3, 'Too many login failures, please wait a bit before trying again.', 'odoo_auth_failed', true],
    [4, 'You are not allowed to access Employee (hr.employee) records.', 'odoo_access_denied', false],
    [2, "Object crm.lead doesn't exist", 'odoo_model_not_found', false],
    [2, 'Record does not exist or has been deleted.', 'odoo_validation_failed', false],
    [2, 'The e-mail is invalid', 'odoo_validation_failed', false],
    [1, traceback, 'odoo_server_error', false],
  ])('fault %i "%s" → %s', (faultCode, faultString, code, retryable) => {
    const error = errorFromXmlRpcFault({ faultCode, faultString }, ctx);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('names the missing model', () => {
    const error = errorFromXmlRpcFault({ faultCode: 2, faultString: "Object crm.lead doesn't exist" }, ctx);
    expect(error).toMatchObject({ code: 'odoo_model_not_found', model: 'crm.lead' });
  });

  it('keeps the traceback in debug, and only its last line in the message', () => {
    const error = errorFromXmlRpcFault({ faultCode: 1, faultString: traceback }, ctx) as OdooServerError;
    expect(error).toBeInstanceOf(OdooServerError);
    expect(error.debug).toBe(traceback);
    expect(error.message).toContain("Invalid field 'nope'");
    expect(error.message).not.toContain('Traceback');
    expect(JSON.stringify(error)).not.toContain('Traceback');
  });

  it('marks a cooldown refusal as retryable and safe to resend', () => {
    const error = errorFromXmlRpcFault({ faultCode: 3, faultString: 'Too many login failures, please wait a bit before trying again.' }, ctx);
    expect(error).toBeInstanceOf(OdooAuthError);
    expect((error as OdooAuthError).cooldown).toBe(true);
    expect(failedBeforeRunning(error)).toBe(true);
  });

  it('falls back on the exception name when the fault code is not Odoo’s', () => {
    const denied = `Traceback (most recent call last):\nodoo.exceptions.AccessError: no`;
    expect(errorFromXmlRpcFault({ faultCode: 'warning', faultString: denied }, ctx).code).toBe('odoo_access_denied');
  });

  it.each([
    ['19', "The method 'res.partner.frobnicate' does not exist"],
    ['17–18', "The method 'frobnicate' does not exist on the model 'res.partner'"],
    ['16', "type object 'res.partner' has no attribute 'frobnicate'"],
  ])('maps an unknown method (Odoo %s wording, fault 1 AttributeError) to odoo_validation_failed', (_version, line) => {
    const error = errorFromXmlRpcFault({ faultCode: 1, faultString: `Traceback (most recent call last):\n  File "x.py"\nAttributeError: ${line}\n` }, { ...ctx, model: 'res.partner', method: 'frobnicate' });
    expect(error).toMatchObject({ code: 'odoo_validation_failed', retryable: false, message: `Odoo has no method res.partner.frobnicate: ${line}` });
  });

  it('keeps any other AttributeError an odoo_server_error (a bug in Odoo, not a wrong call)', () => {
    const error = errorFromXmlRpcFault(
      { faultCode: 1, faultString: "Traceback (most recent call last):\nAttributeError: 'NoneType' object has no attribute 'id'\n" },
      { ...ctx, model: 'res.partner', method: 'search_read' },
    );
    expect(error.code).toBe('odoo_server_error');
    const other = errorFromXmlRpcFault({ faultCode: 1, faultString: "Traceback (most recent call last):\nAttributeError: type object 'res.partner' has no attribute '_x'\n" }, { ...ctx, model: 'res.partner', method: 'read' });
    expect(other.code).toBe('odoo_server_error');
  });

  it('maps PostgreSQL\'s "database does not exist" to odoo_auth_failed naming the database', () => {
    const error = errorFromXmlRpcFault(
      {
        faultCode: 1,
        faultString: 'Traceback (most recent call last):\npsycopg2.OperationalError: connection to server at "db" (10.0.0.5), port 5432 failed: FATAL:  database "acme-prod" does not exist\n',
      },
      { ...ctx, method: 'authenticate' },
    );
    expect(error).toMatchObject({ code: 'odoo_auth_failed', retryable: false });
    expect(error.message).toContain('Odoo has no database "acme-prod"');
  });

  it('redacts secrets echoed in the fault', () => {
    const error = errorFromXmlRpcFault({ faultCode: 1, faultString: `${traceback}\nValueError: bad password k3y-s3cret` }, ctx) as OdooServerError;
    expect(error.message).not.toContain('k3y-s3cret');
    expect(error.debug).not.toContain('k3y-s3cret');
  });
});

describe('errorFromJson2Answer', () => {
  const body = (message: string, name = 'odoo.exceptions.UserError') => ({ name, message, arguments: [message], context: {}, debug: traceback });
  it.each([
    [401, body('Invalid apikey', 'werkzeug.exceptions.Unauthorized'), 'odoo_auth_failed', false],
    [403, body('You are not allowed to access this', 'odoo.exceptions.AccessError'), 'odoo_access_denied', false],
    [404, body("the model 'crm.lead' does not exist", 'werkzeug.exceptions.NotFound'), 'odoo_model_not_found', false],
    [404, body('Record does not exist or has been deleted.', 'odoo.exceptions.MissingError'), 'odoo_validation_failed', false],
    [409, body('could not serialize access due to concurrent update'), 'odoo_server_error', true],
    [422, body('The e-mail is invalid'), 'odoo_validation_failed', false],
    [400, body('could not parse the body as json'), 'odoo_validation_failed', false],
    [415, body('unsupported media type'), 'odoo_validation_failed', false],
    [500, body('internal server error', 'builtins.ValueError'), 'odoo_server_error', false],
    [503, body('maintenance'), 'odoo_transport_failed', true],
  ])('HTTP %i → %s', (status, answer, code, retryable) => {
    const error = errorFromJson2Answer(status, answer, ctx);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
  });

  it('accepts a bare JSON string body', () => {
    const error = errorFromJson2Answer(404, "the model 'hr.employee' does not exist", ctx);
    expect(error).toMatchObject({ code: 'odoo_model_not_found', model: 'hr.employee' });
  });

  it('keeps the traceback of a 500 in debug only', () => {
    const error = errorFromJson2Answer(500, body('internal server error'), ctx) as OdooServerError;
    expect(error.debug).toBe(traceback);
    expect(error.message).not.toContain('Traceback');
  });
});

describe('errorFromForeignAnswer', () => {
  const html = '<!DOCTYPE html><html><head><TITLE>502 Bad Gateway</TITLE></head></html>';
  it('says the server answered HTML, with the status, retryable for a gateway error', () => {
    const error = errorFromForeignAnswer({ status: 502, contentType: 'text/html', body: html, target: 'POST http://h/xmlrpc/2/object' }, 'XML-RPC');
    expect(error).toBeInstanceOf(OdooTransportError);
    expect(error).toMatchObject({ code: 'odoo_transport_failed', status: 502, retryable: true });
    expect(error.message).toContain('The server answered HTML, not XML-RPC — is the URL right, or is a proxy failing?');
    expect(error.message).toContain('HTTP 502');
  });

  it('is not retryable for a 404 page (a wrong URL)', () => {
    const error = errorFromForeignAnswer({ status: 404, contentType: 'text/html', body: html, target: 'POST http://h/x' }, 'JSON-2');
    expect(error.retryable).toBe(false);
  });
});

describe('errorFromNetworkFailure', () => {
  const fetchFailure = (code: string) => Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
  it.each([
    ['ECONNRESET', true, false],
    ['ECONNREFUSED', true, true],
    ['UND_ERR_SOCKET', true, false],
    ['ENOTFOUND', false, true],
    ['CERT_HAS_EXPIRED', false, false],
  ])('%s → retryable %s, not sent %s', (code, retryable, notSent) => {
    const error = errorFromNetworkFailure(fetchFailure(code), 'POST http://h/x');
    expect(error.code).toBe('odoo_transport_failed');
    expect(error.retryable).toBe(retryable);
    expect(failedBeforeRunning(error)).toBe(notSent);
  });

  it('treats an answer cut short as retryable', () => {
    const error = errorFromNetworkFailure(new TypeError('terminated', { cause: new Error('other side closed') }), 'POST http://h/x');
    expect(error.retryable).toBe(true);
  });

  it('treats an answer shorter than its Content-Length as cut short: retryable, not "not sent", and says so', () => {
    const mismatch = Object.assign(new Error('Response body length does not match content-length header'), { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' });
    const error = errorFromNetworkFailure(new TypeError('terminated', { cause: mismatch }), 'POST http://h/x');
    expect(error).toMatchObject({ code: 'odoo_transport_failed', retryable: true });
    expect(failedBeforeRunning(error)).toBe(false);
    expect(error.message).toBe(
      'The connection to Odoo broke before the whole answer of POST http://h/x arrived: terminated (UND_ERR_RES_CONTENT_LENGTH_MISMATCH: Response body length does not match content-length header)',
    );
  });
});

describe('summarizeOdooMessage', () => {
  it('takes the last line of a traceback and the first line of anything else', () => {
    expect(summarizeOdooMessage(traceback)).toBe("ValueError: Invalid field 'nope' on model 'res.partner'");
    expect(summarizeOdooMessage('first\nsecond')).toBe('first');
  });
});
