/**
 * The simulator's HTTP server (node:http, no framework): XML-RPC `/xmlrpc/2/common|object|db`,
 * JSON-2 `POST /json/2/<model>/<method>` (Odoo 19+), `GET /web/version`, plus fault injection,
 * request statistics and a programmatic API for tests.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Dataset, DatasetCounts } from './dataset.js';
import { type Env, type OdooRecord, type OdooValue, SimDatabase } from './database.js';
import { accessDenied, LOGIN_COOLDOWN_MESSAGE, OdooSimError } from './exceptions.js';
import { generateDataset } from './generator.js';
import { type CallResult, LazyRecords, NotFoundError, parseIds, resolveMethod, runMethod, SignatureError } from './methods.js';
import { SeededRandom } from './prng.js';
import { MODEL_NAMES, type StoredRow } from './schema.js';
import { type OdooVersion, parseOdooVersion } from './version.js';
import { parseXmlRpcCall, xmlRpcFault, xmlRpcResponse } from './xmlrpc.js';

/** A user the simulator lets log in (besides the admin). */
export interface OdooSimUser {
  /** Login; an existing `res.users` row with this login gets these credentials, else one is created. */
  login: string;
  /** Password (XML-RPC). */
  password: string;
  /** API key (XML-RPC password or JSON-2 bearer token). */
  apiKey?: string;
  /** Display name of a created user. Default: the login. */
  name?: string;
  /** Models this user gets an AccessError on (fault 4, HTTP 403). */
  deniedModels?: string[];
  /** May read HR-private employee fields (`private_email`, …). Default false. */
  hrOfficer?: boolean;
}

/** Options of {@link startOdooSim}. */
export interface OdooSimOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 lets the OS choose. @default 0 */
  port?: number;
  /** Database name. @default 'odoo' */
  db?: string;
  /** Odoo version reported and simulated; `19.0` and later enable JSON-2. @default '17.0' */
  version?: string;
  /** Seed of the generated data and of the admin API key. @default 1 (or the dataset's seed) */
  seed?: number;
  /** Row counts of the generated data (ignored when `dataset` is given). */
  counts?: Partial<DatasetCounts>;
  /** Data to serve instead of generating it. The simulator never mutates these rows. */
  dataset?: Dataset;
  /** Clock stamping `create_date` / `write_date`. @default () => new Date() */
  now?: () => Date;
  /** More users who can log in. */
  users?: OdooSimUser[];
}

/** Fault injection, per test. Every switch is off until turned on; `reset()` turns all off. */
export interface OdooSimFaults {
  /** Delays every answer by `ms` milliseconds (0 = off). */
  latency(ms: number): void;
  /** The next `count` requests get their connection destroyed in the middle of the answer. */
  dropConnections(count: number): void;
  /** The next `count` requests get `502 Bad Gateway` with an nginx HTML page. */
  html502(count: number): void;
  /**
   * Odoo's login cooldown after repeated failures: `authenticate` answers `false` and
   * `execute_kw` faults with code 3 "Too many login failures, please wait a bit before trying
   * again." (JSON-2 bearer keys are not subject to it, as in Odoo).
   */
  loginCooldown(on: boolean): void;
  /** Makes a model "not installed": fault 2 `Object <model> doesn't exist`, JSON-2 404. */
  uninstall(model: string): void;
  /** Installs a model again (its rows were kept). */
  reinstall(model: string): void;
  /** Turns every fault off and reinstalls every model. */
  reset(): void;
}

/** Request counters. */
export interface OdooSimStats {
  /** Every HTTP request received. */
  requests: number;
  /** By path, e.g. `/xmlrpc/2/object`, `/json/2/res.partner/search_read`, `/web/version`. */
  byRoute: Record<string, number>;
  /** By called method: `res.partner.search_read` (both transports), `common.authenticate`. */
  byMethod: Record<string, number>;
}

/** Options of {@link OdooSim.searchRead}. */
export interface SimSearchReadOptions {
  /** Fields to return (default: all). */
  fields?: string[];
  /** Maximum rows (default: all). */
  limit?: number;
  /** Rows to skip. */
  offset?: number;
  /** Odoo order (default: the model's). */
  order?: string;
  /** Hide archived rows unless the domain names `active`. @default true */
  activeTest?: boolean;
}

/** A running simulator. */
export interface OdooSim {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Database name. */
  readonly db: string;
  /** Simulated Odoo version. */
  readonly version: string;
  /** The admin (uid 2): login, password and API key. */
  readonly credentials: { username: string; password: string; apiKey: string; uid: number };
  /** Creates a record (as the superuser); stamps `create_date`/`write_date` from the clock. */
  create(model: string, values: Record<string, unknown>): number;
  /** Updates records; stamps `write_date` from the clock (or takes an explicit `write_date`). */
  write(model: string, ids: number[], values: Record<string, unknown>): void;
  /** Deletes records for good. */
  unlink(model: string, ids: number[]): void;
  /** Reads records as the API would answer them (`false` for empty, many2one pairs). */
  searchRead(model: string, domain?: unknown[], options?: SimSearchReadOptions): OdooRecord[];
  /** Counts records (archived hidden unless `activeTest: false` or the domain names `active`). */
  count(model: string, domain?: unknown[], options?: { activeTest?: boolean }): number;
  /** Fault injection. */
  readonly faults: OdooSimFaults;
  /** Request counters since start. */
  stats(): OdooSimStats;
  /** Stops the server and closes keep-alive sockets. Safe to call twice. */
  close(): Promise<void>;
}

const HTML_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
const HTML_405 =
  '<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n';
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const MAX_BODY = 64 * 1024 * 1024;
const FLUSH_AT = 64 * 1024;
const SERVER_HEADER = 'Werkzeug/3.0.1 Python/3.12.3';

interface Answer {
  status: number;
  headers: Record<string, string>;
  chunks: Iterable<string>;
  /** What to answer instead if producing `chunks` fails before anything was sent. */
  fallback?: (error: unknown) => Answer;
}

function html(status: number, body: string, extra: Record<string, string> = {}): Answer {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', ...extra }, chunks: [body] };
}

function* jsonChunks(value: OdooValue | LazyRecords): Generator<string> {
  if (!Array.isArray(value) && !(value instanceof LazyRecords)) {
    yield JSON.stringify(value);
    return;
  }
  yield '[';
  let first = true;
  for (const item of value instanceof LazyRecords ? value.records() : value) {
    yield (first ? '' : ',') + JSON.stringify(item);
    first = false;
  }
  yield ']';
}

function json(status: number, value: OdooValue | LazyRecords, extra: Record<string, string> = {}): Answer {
  return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', ...extra }, chunks: jsonChunks(value) };
}

/** A JSON-2 error body like werkzeug's HTTP exceptions serialised by Odoo. */
function json2HttpError(status: number, name: string, message: string, extra: Record<string, string> = {}): Answer {
  return json(
    status,
    {
      name: `werkzeug.exceptions.${name}`,
      message,
      arguments: [message, status],
      context: {},
      debug: `Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/http.py", line 2150, in _serve_db\n    return service_model.retrying(self._serve_ir_http, self.env)\nwerkzeug.exceptions.${name}: ${status} ${name.replace(/([a-z])([A-Z])/g, '$1 $2')}: ${message}\n`,
    },
    extra,
  );
}

function json2OdooError(error: OdooSimError): Answer {
  return json(error.httpStatus, {
    name: error.pythonName,
    message: error.message,
    arguments: [error.message],
    context: {},
    debug: error.traceback,
  });
}

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

class Simulator implements OdooSim {
  readonly url: string;
  readonly db: string;
  readonly version: string;
  readonly credentials: { username: string; password: string; apiKey: string; uid: number };
  readonly faults: OdooSimFaults;

  readonly #server: Server;
  readonly #database: SimDatabase;
  readonly #odoo: OdooVersion;
  readonly #sockets = new Set<Socket>();
  readonly #waits = new Set<{ timer: NodeJS.Timeout; resolve: (ok: boolean) => void }>();
  #latency = 0;
  #drops = 0;
  #html502 = 0;
  #cooldown = false;
  #closing: Promise<void> | undefined;
  #stats: OdooSimStats = { requests: 0, byRoute: {}, byMethod: {} };

  constructor(server: Server, url: string, db: string, odoo: OdooVersion, database: SimDatabase, credentials: Simulator['credentials']) {
    this.#server = server;
    this.url = url;
    this.db = db;
    this.version = odoo.version;
    this.#odoo = odoo;
    this.#database = database;
    this.credentials = credentials;
    server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.#handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.end();
        } else res.destroy();
      });
    });
    const count = (name: string, value: number) => {
      if (!Number.isInteger(value) || value < 0) throw new TypeError(`faults.${name} needs a non-negative integer, got ${String(value)}.`);
      return value;
    };
    this.faults = {
      latency: (ms) => {
        this.#latency = count('latency', ms);
      },
      dropConnections: (n) => {
        this.#drops = count('dropConnections', n);
      },
      html502: (n) => {
        this.#html502 = count('html502', n);
      },
      loginCooldown: (on) => {
        this.#cooldown = on === true;
      },
      uninstall: (model) => this.#database.uninstall(model),
      reinstall: (model) => this.#database.reinstall(model),
      reset: () => {
        this.#latency = 0;
        this.#drops = 0;
        this.#html502 = 0;
        this.#cooldown = false;
        for (const model of MODEL_NAMES) this.#database.reinstall(model);
      },
    };
  }

  // ------------------------------------------------------------ programmatic API

  #su(activeTest = true): Env {
    return { uid: 1, su: true, context: { active_test: activeTest } };
  }

  create(model: string, values: Record<string, unknown>): number {
    return this.#database.create(this.#su(), model, [values])[0] as number;
  }

  write(model: string, ids: number[], values: Record<string, unknown>): void {
    this.#database.write(this.#su(), model, ids, values);
  }

  unlink(model: string, ids: number[]): void {
    this.#database.unlink(this.#su(), model, ids);
  }

  searchRead(model: string, domain: unknown[] = [], options: SimSearchReadOptions = {}): OdooRecord[] {
    const env = this.#su(options.activeTest !== false);
    const fields = this.#database.resolveFields(env, model, options.fields);
    const search: { limit?: number; offset?: number; order?: string } = {};
    if (options.limit !== undefined) search.limit = options.limit;
    if (options.offset !== undefined) search.offset = options.offset;
    if (options.order !== undefined) search.order = options.order;
    return this.#database.formatRows(model, this.#database.search(env, model, domain, search), fields);
  }

  count(model: string, domain: unknown[] = [], options: { activeTest?: boolean } = {}): number {
    return this.#database.count(this.#su(options.activeTest !== false), model, domain);
  }

  stats(): OdooSimStats {
    return { requests: this.#stats.requests, byRoute: { ...this.#stats.byRoute }, byMethod: { ...this.#stats.byMethod } };
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      for (const wait of this.#waits) {
        clearTimeout(wait.timer);
        wait.resolve(false);
      }
      this.#waits.clear();
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closing;
  }

  // ------------------------------------------------------------ HTTP

  #count(key: string, table: Record<string, number>): void {
    table[key] = (table[key] ?? 0) + 1;
  }

  #sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wait = {
        timer: setTimeout(() => {
          this.#waits.delete(wait);
          resolve(true);
        }, ms),
        resolve,
      };
      this.#waits.add(wait);
    });
  }

  async #readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://odoo.invalid').pathname;
    this.#stats.requests++;
    this.#count(path, this.#stats.byRoute);
    res.setHeader('Server', SERVER_HEADER);
    const body = await this.#readBody(req);
    if (this.#latency > 0 && !(await this.#sleep(this.#latency))) return;
    if (this.#closing) return;
    if (this.#html502 > 0) {
      this.#html502--;
      return this.#send(res, html(502, HTML_502, { 'Content-Type': 'text/html', Server: 'nginx' }), false);
    }
    const drop = this.#drops > 0;
    if (drop) this.#drops--;
    if (body === undefined) return this.#send(res, html(413, HTML_404.replace(/404 Not Found|Not Found/g, 'Request Entity Too Large')), drop);
    let answer: Answer;
    try {
      answer = this.#route(req, path, body);
    } catch (error) {
      answer = json(500, { name: 'builtins.Exception', message: error instanceof Error ? error.message : String(error), arguments: [], context: {}, debug: '' });
    }
    await this.#send(res, answer, drop);
  }

  #route(req: IncomingMessage, path: string, body: Buffer): Answer {
    const method = req.method ?? 'GET';
    if (path === '/web/version') {
      return json(200, { version_info: [...this.#odoo.versionInfo], version: this.#odoo.version });
    }
    const xmlrpc = /^\/xmlrpc\/2\/([^/]+)\/?$/.exec(path);
    if (xmlrpc && this.#odoo.xmlrpc) {
      if (method !== 'POST') return html(405, HTML_405, { Allow: 'POST' });
      return this.#xmlrpc(xmlrpc[1] as string, body.toString('utf8'));
    }
    if ((path === '/json/2' || path.startsWith('/json/2/')) && this.#odoo.json2) {
      return this.#json2(req, method, path, body);
    }
    return html(404, HTML_404);
  }

  async #send(res: ServerResponse, answer: Answer, drop: boolean): Promise<void> {
    let buffer = '';
    const iterator = answer.chunks[Symbol.iterator]();
    let started = false;
    const start = (chunked: boolean) => {
      res.statusCode = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
      if (!chunked) res.setHeader('Content-Length', Buffer.byteLength(buffer));
      started = true;
    };
    for (;;) {
      let step: IteratorResult<string>;
      try {
        step = iterator.next();
      } catch (error) {
        if (!started && answer.fallback) return this.#send(res, answer.fallback(error), drop);
        res.destroy();
        return;
      }
      if (step.done) break;
      buffer += step.value;
      if (buffer.length >= FLUSH_AT) {
        if (!started) start(true);
        if (drop) return this.#dropMidAnswer(res, buffer);
        const flushed = res.write(buffer);
        buffer = '';
        if (!flushed) {
          await new Promise<void>((resolve) => {
            const done = () => {
              res.off('drain', done);
              res.off('close', done);
              resolve();
            };
            res.on('drain', done);
            res.on('close', done);
          });
        }
        if (res.destroyed) return;
      }
    }
    if (!started) start(drop);
    if (drop) return this.#dropMidAnswer(res, buffer);
    res.end(buffer);
  }

  #dropMidAnswer(res: ServerResponse, buffer: string): void {
    // Headers and part of the body go out, then the connection dies: a killed worker.
    res.write(buffer.slice(0, Math.max(1, Math.floor(buffer.length / 2))));
    setImmediate(() => res.destroy());
  }

  // ------------------------------------------------------------ XML-RPC

  #xmlrpc(service: string, body: string): Answer {
    const fault = (error: unknown): Answer => {
      const odooError = error instanceof OdooSimError ? error : new OdooSimError('server_error', error instanceof Error ? error.message : String(error), 'Exception');
      return { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, chunks: [xmlRpcFault(odooError.faultCode, odooError.faultString)] };
    };
    try {
      const call = parseXmlRpcCall(body);
      const result = this.#dispatchXmlRpc(service, call.method, call.params);
      return { status: 200, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, chunks: xmlRpcResponse(result.value, result.floatFields), fallback: fault };
    } catch (error) {
      return fault(error);
    }
  }

  #dispatchXmlRpc(service: string, method: string, params: unknown[]): CallResult {
    if (service === 'common') {
      this.#count(`common.${method}`, this.#stats.byMethod);
      if (method === 'version') return { value: this.#versionStruct() };
      if (method === 'about') return { value: 'See http://openerp.com' };
      if (method === 'authenticate' || method === 'login') {
        const arity = method === 'authenticate' ? 4 : 3;
        if (params.length !== arity) {
          throw new OdooSimError('server_error', `exp_${method}() takes ${arity} positional arguments but ${params.length} were given`, 'TypeError');
        }
        const [db, login, password] = params;
        if (db !== this.db) throw databaseMissing(String(db));
        return { value: this.#authenticate(login, password) };
      }
      throw new OdooSimError('server_error', `Method not found: ${method}`, 'Exception');
    }
    if (service === 'db') {
      this.#count(`db.${method}`, this.#stats.byMethod);
      if (method === 'list') return { value: [this.db] };
      if (method === 'server_version') return { value: this.#odoo.version };
      throw new OdooSimError('server_error', `Method not found: ${method}`, 'KeyError');
    }
    if (service !== 'object') throw new OdooSimError('server_error', `'${service}'`, 'KeyError');
    if ((method === 'execute_kw' || method === 'execute') && typeof params[3] === 'string' && typeof params[4] === 'string') {
      this.#count(`${params[3]}.${params[4]}`, this.#stats.byMethod);
    }
    if (params.length < 3) throw new OdooSimError('server_error', 'tuple index out of range', 'IndexError');
    const [db, rawUid, secret] = params;
    const uid = rawUid === false ? 0 : rawUid === true ? 1 : typeof rawUid === 'number' ? Math.trunc(rawUid) : Number.parseInt(String(rawUid), 10);
    if (Number.isNaN(uid)) throw new OdooSimError('server_error', `invalid literal for int() with base 10: '${String(rawUid)}'`, 'ValueError');
    if (db !== this.db) throw databaseMissing(String(db));
    if (this.#cooldown) throw accessDenied(LOGIN_COOLDOWN_MESSAGE);
    const user = this.#database.checkSecret(uid, secret);
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
    if (!this.#database.isInstalled(model)) throw new OdooSimError('user_error', `Object ${model} doesn't exist`);
    const { records } = resolveMethod(model, name, this.#odoo.major);
    let ids: number[] = [];
    let rest = args;
    if (records) {
      if (args.length === 0) throw new OdooSimError('server_error', 'list index out of range', 'IndexError');
      ids = parseIds(args[0]);
      rest = args.slice(1);
    }
    const env: Env = { uid, su: false, user, context };
    return runMethod(this.#database, env, { model, method: name, ids, args: rest, kwargs: named, transport: 'xmlrpc' }, this.#odoo.major);
  }

  #versionStruct(): OdooValue {
    return {
      server_version: this.#odoo.version,
      server_version_info: [...this.#odoo.versionInfo],
      server_serie: this.#odoo.serie,
      protocol_version: 1,
    };
  }

  #authenticate(login: unknown, password: unknown): number | false {
    if (this.#cooldown || typeof login !== 'string') return false;
    const row = this.#database.userByLogin(login);
    if (!row) return false;
    try {
      this.#database.checkSecret(row.id, password);
      return row.id;
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------ JSON-2

  #json2(req: IncomingMessage, method: string, path: string, body: Buffer): Answer {
    const match = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
    if (!match || method !== 'POST') return json2HttpError(404, 'NotFound', 'Did you mean POST /json/2/<model>/<method>?');
    const model = decodeURIComponent(match[1] as string);
    const name = decodeURIComponent(match[2] as string);
    this.#count(`${model}.${name}`, this.#stats.byMethod);
    const headerDb = req.headers['x-odoo-database'];
    if (typeof headerDb === 'string' && headerDb !== '' && headerDb !== this.db) {
      return json2HttpError(404, 'NotFound', `The requested URL was not found on the server: database "${headerDb}" does not exist.`);
    }
    const mimetype = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (body.length > 0 && mimetype !== 'application/json') {
      return json2HttpError(415, 'UnsupportedMediaType', `Content-Type must be application/json, got ${JSON.stringify(mimetype || '(none)')}.`);
    }
    const authorization = req.headers['authorization'];
    const token = typeof authorization === 'string' ? /^bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim() : undefined;
    const unauthorized = { 'WWW-Authenticate': 'Bearer' };
    if (!token) return json2HttpError(401, 'Unauthorized', 'User not authenticated, use an API Key with a Bearer Authorization header.', unauthorized);
    const user = this.#database.userByApiKey(token);
    if (!user) return json2HttpError(401, 'Unauthorized', 'Invalid apikey', unauthorized);
    let params: Record<string, unknown> = {};
    if (body.length > 0) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (error) {
        return json2HttpError(400, 'BadRequest', `could not parse the body as json: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (!isRecord(parsed)) return json2HttpError(400, 'BadRequest', 'The JSON body must be an object of named arguments.');
      params = parsed;
    }
    if (!this.#database.isInstalled(model)) return json2HttpError(404, 'NotFound', `the model '${model}' does not exist`);
    try {
      const { records } = resolveMethod(model, name, this.#odoo.major);
      const { ids: rawIds, context: rawContext, ...kwargs } = params;
      let ids: number[];
      try {
        ids = parseIds(rawIds);
      } catch (error) {
        return json2HttpError(422, 'UnprocessableEntity', error instanceof Error ? error.message : String(error));
      }
      if (!records && ids.length > 0) return json2HttpError(422, 'UnprocessableEntity', `cannot call ${model}.${name} with ids`);
      const env: Env = { uid: user.uid, su: false, user, context: isRecord(rawContext) ? rawContext : {} };
      const result = runMethod(this.#database, env, { model, method: name, ids, args: [], kwargs, transport: 'json2' }, this.#odoo.major);
      return json(200, result.value);
    } catch (error) {
      if (error instanceof SignatureError) return json2HttpError(422, 'UnprocessableEntity', error.message);
      if (error instanceof NotFoundError) return json2HttpError(404, 'NotFound', error.json2Message);
      if (error instanceof OdooSimError) return json2OdooError(error);
      throw error;
    }
  }
}

/**
 * Starts a simulator on a real socket.
 *
 * @example
 * ```ts
 * const sim = await startOdooSim({ version: '19.0', counts: { partners: 1000 } });
 * // XML-RPC: POST `${sim.url}/xmlrpc/2/object` execute_kw(sim.db, uid, sim.credentials.apiKey, …)
 * // JSON-2:  POST `${sim.url}/json/2/res.partner/search_read` with `Authorization: bearer ${sim.credentials.apiKey}`
 * await sim.close();
 * ```
 */
export async function startOdooSim(options: OdooSimOptions = {}): Promise<OdooSim> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const db = options.db ?? 'odoo';
  if (typeof host !== 'string' || host === '') throw new TypeError('startOdooSim: host must be a non-empty string.');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`startOdooSim: port must be an integer 0-65535, got ${String(port)}.`);
  if (typeof db !== 'string' || db === '') throw new TypeError('startOdooSim: db must be a non-empty string.');
  if (options.now !== undefined && typeof options.now !== 'function') throw new TypeError('startOdooSim: now must be a function returning a Date.');
  const odoo = parseOdooVersion(options.version ?? '17.0');
  const seed = options.seed ?? options.dataset?.seed ?? 1;
  const dataset = options.dataset ?? generateDataset({ seed, ...(options.counts ? { counts: options.counts } : {}) });
  const now = options.now ?? (() => new Date());

  const database = new SimDatabase({ major: odoo.major, now });
  for (const [model, rows] of Object.entries(dataset.models) as [string, readonly StoredRow[]][]) {
    if (!database.isKnown(model)) throw new TypeError(`startOdooSim: the dataset has rows for "${model}", which the simulator does not know.`);
    database.load(model, rows);
  }
  const su: Env = { uid: 1, su: true, context: { active_test: false } };
  let admin = database.userByLogin('admin') ?? database.row('res.users', 2);
  if (!admin) {
    const id = database.create(su, 'res.users', [{ login: 'admin', name: 'Mitchell Admin' }])[0] as number;
    admin = database.row('res.users', id) as StoredRow;
  }
  const adminKey = new SeededRandom((seed ^ 0x5eed_a91) >>> 0).hex(40);
  const credentials = { username: String(admin['login']), password: 'admin', apiKey: adminKey, uid: admin.id };
  database.setCredentials({ uid: admin.id, password: 'admin', apiKeys: [adminKey], deniedModels: new Set(), hrOfficer: true });
  for (const user of options.users ?? []) {
    if (!user || typeof user.login !== 'string' || user.login === '' || typeof user.password !== 'string') {
      throw new TypeError('startOdooSim: every entry of users needs a login and a password.');
    }
    let row = database.userByLogin(user.login);
    if (!row) {
      const id = database.create(su, 'res.users', [{ login: user.login, name: user.name ?? user.login, email: user.login.includes('@') ? user.login : false }])[0] as number;
      row = database.row('res.users', id) as StoredRow;
    }
    database.setCredentials({
      uid: row.id,
      password: user.password,
      apiKeys: user.apiKey ? [user.apiKey] : [],
      deniedModels: new Set(user.deniedModels ?? []),
      hrOfficer: user.hrOfficer === true,
    });
    if (row.id === admin.id) {
      credentials.password = user.password;
      if (user.apiKey) credentials.apiKey = user.apiKey;
      database.setCredentials({ uid: admin.id, password: user.password, apiKeys: [user.apiKey ?? adminKey], deniedModels: new Set(user.deniedModels ?? []), hrOfficer: true });
    }
  }

  const server = createServer({ keepAliveTimeout: 5000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return new Simulator(server, `http://${urlHost}:${address.port}`, db, odoo, database, credentials);
}
