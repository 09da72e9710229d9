/**
 * The XML-RPC services (`/xmlrpc/2/common`, `/xmlrpc/2/db`, `/xmlrpc/2/object`): a call is
 * parsed, dispatched like Odoo's `odoo.service.*.dispatch`, and answered with a value or a
 * `<fault>` (always HTTP 200, as Odoo does).
 * @module
 */
import type { Answer } from './answers.js';
import type { Env, OdooValue, SimDatabase } from './database.js';
import { accessDenied, LOGIN_COOLDOWN_MESSAGE, OdooSimError } from './exceptions.js';
import { type CallResult, parseIds, resolveMethod, runMethod } from './methods.js';
import type { OdooVersion } from './version.js';
import { parseXmlRpcCall, xmlRpcFault, xmlRpcResponse } from './xmlrpc.js';

/** What the XML-RPC services need from the simulator. */
export interface XmlRpcContext {
  /** The one database served. */
  db: string;
  /** Its data. */
  database: SimDatabase;
  /** The Odoo version simulated. */
  odoo: OdooVersion;
  /** Counts a call (`common.authenticate`, `res.partner.search_read`). */
  countMethod(key: string): void;
  /** Whether Odoo's login cooldown is on. */
  cooldown(): boolean;
}

/** What a psycopg2 connection to a database that does not exist raises. */
function databaseMissing(db: string): OdooSimError {
  return new OdooSimError(
    'server_error',
    `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${db}" does not exist\n`,
    'psycopg2.OperationalError',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Answers one XML-RPC request to `service`. */
export function answerXmlRpc(ctx: XmlRpcContext, service: string, body: string): Answer {
  const fault = (error: unknown): Answer => {
    const odooError = error instanceof OdooSimError ? error : new OdooSimError('server_error', error instanceof Error ? error.message : String(error), 'Exception');
    return { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, chunks: [xmlRpcFault(odooError.faultCode, odooError.faultString)] };
  };
  try {
    const call = parseXmlRpcCall(body);
    const result = dispatch(ctx, service, call.method, call.params);
    return { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, chunks: xmlRpcResponse(result.value, result.floatFields), fallback: fault };
  } catch (error) {
    return fault(error);
  }
}

function versionStruct(odoo: OdooVersion): OdooValue {
  return {
    server_version: odoo.version,
    server_version_info: [...odoo.versionInfo],
    server_serie: odoo.serie,
    protocol_version: 1,
  };
}

function authenticate(ctx: XmlRpcContext, login: unknown, password: unknown): number | false {
  if (ctx.cooldown() || typeof login !== 'string') return false;
  const row = ctx.database.userByLogin(login);
  if (!row) return false;
  try {
    ctx.database.checkSecret(row.id, password);
    return row.id;
  } catch {
    return false;
  }
}

function dispatch(ctx: XmlRpcContext, service: string, method: string, params: unknown[]): CallResult {
  if (service === 'common') {
    ctx.countMethod(`common.${method}`);
    if (method === 'version') return { value: versionStruct(ctx.odoo) };
    if (method === 'about') return { value: 'See http://openerp.com' };
    if (method === 'authenticate' || method === 'login') {
      const arity = method === 'authenticate' ? 4 : 3;
      if (params.length !== arity) {
        throw new OdooSimError('server_error', `exp_${method}() takes ${arity} positional arguments but ${params.length} were given`, 'TypeError');
      }
      const [db, login, password] = params;
      if (db !== ctx.db) throw databaseMissing(String(db));
      return { value: authenticate(ctx, login, password) };
    }
    throw new OdooSimError('server_error', `Method not found: ${method}`, 'Exception');
  }
  if (service === 'db') {
    ctx.countMethod(`db.${method}`);
    if (method === 'list') return { value: [ctx.db] };
    if (method === 'server_version') return { value: ctx.odoo.version };
    throw new OdooSimError('server_error', `Method not found: ${method}`, 'KeyError');
  }
  if (service !== 'object') throw new OdooSimError('server_error', `'${service}'`, 'KeyError');
  return executeObject(ctx, method, params);
}

/** `object.execute_kw` / `object.execute`. */
function executeObject(ctx: XmlRpcContext, method: string, params: unknown[]): CallResult {
  if ((method === 'execute_kw' || method === 'execute') && typeof params[3] === 'string' && typeof params[4] === 'string') {
    ctx.countMethod(`${params[3]}.${params[4]}`);
  }
  if (params.length < 3) throw new OdooSimError('server_error', 'tuple index out of range', 'IndexError');
  const [db, rawUid, secret] = params;
  const uid = rawUid === false ? 0 : rawUid === true ? 1 : typeof rawUid === 'number' ? Math.trunc(rawUid) : Number.parseInt(String(rawUid), 10);
  if (Number.isNaN(uid)) throw new OdooSimError('server_error', `invalid literal for int() with base 10: '${String(rawUid)}'`, 'ValueError');
  if (db !== ctx.db) throw databaseMissing(String(db));
  if (ctx.cooldown()) throw accessDenied(LOGIN_COOLDOWN_MESSAGE);
  const user = ctx.database.checkSecret(uid, secret);
  let model: unknown;
  let name: unknown;
  let args: unknown;
  let kwargs: unknown;
  if (method === 'execute_kw') {
    if (params.length < 6 || params.length > 7) {
      throw new OdooSimError('server_error', `execute_kw() takes from 4 to 5 positional arguments but ${params.length - 2} were given`, 'TypeError');
    }
    [, , , model, name, args, kwargs] = params;
  } else if (method === 'execute') {
    if (params.length < 5) throw new OdooSimError('server_error', `execute() missing required positional arguments`, 'TypeError');
    [, , , model, name] = params;
    args = params.slice(5);
  } else {
    throw new OdooSimError('server_error', `Method not available ${method}`, 'NameError');
  }
  if (typeof model !== 'string' || typeof name !== 'string') throw new OdooSimError('server_error', 'model and method must be strings', 'TypeError');
  if (!Array.isArray(args)) throw new OdooSimError('server_error', `argument after * must be an iterable, not ${typeof args}`, 'TypeError');
  if (kwargs !== undefined && kwargs !== null && kwargs !== false && !isRecord(kwargs)) {
    throw new OdooSimError('server_error', `argument after ** must be a mapping, not ${Array.isArray(kwargs) ? 'list' : typeof kwargs}`, 'TypeError');
  }
  const named: Record<string, unknown> = isRecord(kwargs) ? { ...kwargs } : {};
  const context = isRecord(named['context']) ? named['context'] : {};
  delete named['context'];
  if (!ctx.database.isInstalled(model)) throw new OdooSimError('user_error', `Object ${model} doesn't exist`);
  const { records } = resolveMethod(model, name, ctx.odoo.major);
  let ids: number[] = [];
  let rest = args;
  if (records) {
    if (args.length === 0) throw new OdooSimError('server_error', 'list index out of range', 'IndexError');
    ids = parseIds(args[0]);
    rest = args.slice(1);
  }
  const env: Env = { uid, su: false, user, context };
  return runMethod(ctx.database, env, { model, method: name, ids, args: rest, kwargs: named, transport: 'xmlrpc' }, ctx.odoo.major);
}
