/**
 * The simulator's HTTP server (node:http, no framework): XML-RPC `/xmlrpc/2/common|object|db`,
 * JSON-2 `POST /json/2/<model>/<method>` (Odoo 19+), `GET /web/version`, plus fault injection,
 * request statistics and a programmatic API for tests.
 * @module
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Dataset, DatasetCounts } from './dataset.js';
import { type Answer, type DropFraming, HTML_404, HTML_405, HTML_413, HTML_502, html, json, sendAnswer } from './answers.js';
import { type Env, type OdooRecord, SimDatabase } from './database.js';
import { generateDataset } from './generator.js';
import { answerJson2, type Json2Context } from './json2.js';
import { actionFeedback } from './mail-actions.js';
import { SeededRandom } from './prng.js';
import { MODEL_NAMES, type StoredRow } from './schema.js';
import { type OdooVersion, parseOdooVersion } from './version.js';
import { answerXmlRpc, type XmlRpcContext } from './xmlrpc-service.js';

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

/** Options of {@link OdooSimFaults.dropConnections}. */
export interface DropOptions {
  /** How the cut answer is framed. @default 'chunked' */
  framing?: DropFraming;
}

/** Fault injection, per test. Every switch is off until turned on; `reset()` turns all off. */
export interface OdooSimFaults {
  /** Delays every answer by `ms` milliseconds (0 = off). */
  latency(ms: number): void;
  /**
   * The next `count` requests get their connection destroyed in the middle of the answer:
   * headers and half the body go out, then the socket dies (a killed worker). `framing` says
   * how the cut answer is framed — HTTP/1.1 chunked (the default) or HTTP/1.0 with the whole
   * body's `Content-Length` (an Odoo prefork worker); see {@link DropFraming}.
   */
  dropConnections(count: number, options?: DropOptions): void;
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
  /**
   * Marks activities done as Odoo's `mail.activity.action_feedback` does: posts the "done"
   * message on each document (authored by `asUser`'s partner, default the admin) and deletes
   * the activities. Returns the first message's id.
   */
  markActivitiesDone(ids: number[], options?: { feedback?: string; asUser?: number }): number | false;
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

const MAX_BODY = 64 * 1024 * 1024;
const SERVER_HEADER = 'Werkzeug/3.0.1 Python/3.12.3';

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
  readonly #json2: Json2Context;
  readonly #rpc: XmlRpcContext;
  readonly #waits = new Set<{ timer: NodeJS.Timeout; resolve: (ok: boolean) => void }>();
  #latency = 0;
  #drops = 0;
  #dropFraming: DropFraming = 'chunked';
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
    const countMethod = (key: string) => this.#count(key, this.#stats.byMethod);
    this.#json2 = { db, database, major: odoo.major, countMethod };
    this.#rpc = { db, database, odoo, countMethod, cooldown: () => this.#cooldown };
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
      dropConnections: (n, options = {}) => {
        const framing = options.framing ?? 'chunked';
        if (framing !== 'chunked' && framing !== 'content-length') {
          throw new TypeError(`faults.dropConnections: framing must be 'chunked' or 'content-length', got ${String(framing)}.`);
        }
        this.#drops = count('dropConnections', n);
        this.#dropFraming = framing;
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
        this.#dropFraming = 'chunked';
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

  markActivitiesDone(ids: number[], options: { feedback?: string; asUser?: number } = {}): number | false {
    return actionFeedback(this.#database, { ...this.#su(), uid: options.asUser ?? this.credentials.uid }, ids, options.feedback ?? false);
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
      return sendAnswer(res, html(502, HTML_502, { 'Content-Type': 'text/html', Server: 'nginx' }));
    }
    let drop: DropFraming | undefined;
    if (this.#drops > 0) {
      this.#drops--;
      drop = this.#dropFraming;
    }
    if (body === undefined) return sendAnswer(res, html(413, HTML_413), drop);
    let answer: Answer;
    try {
      answer = this.#route(req, path, body);
    } catch (error) {
      answer = json(500, { name: 'builtins.Exception', message: error instanceof Error ? error.message : String(error), arguments: [], context: {}, debug: '' });
    }
    await sendAnswer(res, answer, drop);
  }

  #route(req: IncomingMessage, path: string, body: Buffer): Answer {
    const method = req.method ?? 'GET';
    if (path === '/web/version') {
      return json(200, { version_info: [...this.#odoo.versionInfo], version: this.#odoo.version });
    }
    const xmlrpc = /^\/xmlrpc\/2\/([^/]+)\/?$/.exec(path);
    if (xmlrpc && this.#odoo.xmlrpc) {
      if (method !== 'POST') return html(405, HTML_405, { Allow: 'POST' });
      return answerXmlRpc(this.#rpc, xmlrpc[1] as string, body.toString('utf8'));
    }
    if ((path === '/json/2' || path.startsWith('/json/2/')) && this.#odoo.json2) {
      return answerJson2(this.#json2, req, method, path, body);
    }
    return html(404, HTML_404);
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
    admin = database.row('res.users', id)!;
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
      row = database.row('res.users', id)!;
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
