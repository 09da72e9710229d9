/**
 * OdooClient: Odoo's external API over XML-RPC or JSON-2 behind one set of methods, with lazy
 * authentication, a timeout and an abort signal on every request, retries of transient
 * failures, typed errors, and optional normalisation of values by field type.
 * @module
 */
import { inspect } from 'node:util';
import type { Logger, OdooDomain, OdooRow } from '@odoo-sync/core';
import { silentLogger } from '@odoo-sync/core';
import {
  InputError,
  isOdooSyncError,
  OdooAuthError,
  OdooServerError,
  OdooTransportError,
  summarizeError,
} from '@odoo-sync/core/errors';
import { withTransientRetry } from '@odoo-sync/core/retry';
import { failedBeforeRunning } from './errors.js';
import { type HttpSend, linkSignals, raceAbort, sendHttp } from './http.js';
import { splitGenericArgs } from './json2-transport.js';
import { NodeHttpExchange } from './node-http.js';
import { detectTransport, type Resolved } from './protocol-detection.js';
import { type OdooClientOptions, type ResolvedClientOptions, resolveClientOptions } from './options.js';
import {
  Credentials,
  type OdooProtocol,
  type OdooVersion,
  type OrmCall,
  type RequestContext,
  type Transport,
  type TransportConfig,
} from './transport.js';
import {
  CACHED_FIELD_ATTRIBUTES,
  checkIds,
  checkModel,
  compact,
  contextOf,
  DEFAULT_FIELD_ATTRIBUTES,
  expectIds,
  expectRows,
  METHOD_NAME,
  parseFields,
} from './request-checks.js';
import type {
  CallOptions,
  FieldsGetOptions,
  OdooValues,
  ReadOptions,
  RequestOptions,
  SearchOptions,
  SearchReadOptions,
} from './request-options.js';
import { normalizeRowsInPlace, type OdooFields } from './values.js';

export type {
  CallOptions,
  FieldsGetOptions,
  OdooContext,
  OdooValues,
  ReadOptions,
  RequestOptions,
  SearchOptions,
  SearchReadOptions,
} from './request-options.js';

interface Connection {
  transport: Transport;
  uid: number;
}

/**
 * A client of Odoo's external API.
 *
 * - Connects lazily: the first request picks the protocol (with `protocol: 'auto'`) and
 *   authenticates, once; concurrent first requests share that work.
 * - Every request has a timeout and honours an AbortSignal; transient failures are retried with
 *   exponential backoff; failures are typed `Odoo*Error`s with stable codes.
 * - The API key and password never appear in errors, logs, `util.inspect` or `JSON.stringify`.
 *
 * @example
 * ```ts
 * const odoo = new OdooClient({ url: 'https://acme.odoo.com', db: 'acme', username: 'sync@acme.com', apiKey: process.env.ODOO_API_KEY });
 * const partners = await odoo.searchRead('res.partner', [['is_company', '=', true]], {
 *   fields: ['name', 'email', 'parent_id'], limit: 100, order: 'id asc', normalize: true,
 * });
 * await odoo.close();
 * ```
 */
export class OdooClient {
  /** Base URL of the Odoo server (no trailing slash). */
  readonly url: string;
  /** Database name. */
  readonly db: string;
  /** Login of the Odoo user. */
  readonly username: string;
  readonly #options: Omit<ResolvedClientOptions, 'apiKey' | 'password'>;
  readonly #credentials: Credentials;
  readonly #logger: Logger;
  readonly #closer = new AbortController();
  readonly #fields = new Map<string, Promise<OdooFields>>();
  /** The client's own connections, used when no fetch is injected. */
  readonly #http = new NodeHttpExchange();
  #resolved: Promise<Resolved> | undefined;
  #connection: Promise<Connection> | undefined;
  #closed = false;

  /** Throws {@link ConfigError} (code `config_invalid`) listing every invalid option. */
  constructor(options: OdooClientOptions) {
    const { apiKey, password, ...rest } = resolveClientOptions(options);
    this.#options = rest;
    this.#credentials = new Credentials(apiKey, password);
    this.#logger = rest.logger ?? silentLogger;
    this.url = rest.baseUrl;
    this.db = rest.db;
    this.username = rest.username;
  }

  // -------------------------------------------------------------------------------------------
  // Connection
  // -------------------------------------------------------------------------------------------

  #config(): TransportConfig {
    const { baseUrl, db, username, fetch, timeoutMs, userAgent } = this.#options;
    const send: HttpSend = fetch ? (request) => sendHttp(fetch, request) : (request) => this.#http.send(request);
    return { baseUrl, db, username, credentials: this.#credentials, send, timeoutMs, userAgent };
  }

  /** The signal every request of this client listens to: the client's own and close(). */
  #baseSignals(): AbortSignal[] {
    if (this.#closed) throw this.#closer.signal.reason;
    return this.#options.signal ? [this.#closer.signal, this.#options.signal] : [this.#closer.signal];
  }

  async #withSignal<T>(callerSignal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { signal, dispose } = linkSignals([...this.#baseSignals(), callerSignal]);
    try {
      signal.throwIfAborted();
      return await work(signal);
    } finally {
      dispose();
    }
  }

  /** Runs one request with retries of transient failures. */
  async #retrying<T>(
    what: { model?: string; method: string; protocol: OdooProtocol },
    idempotent: boolean,
    signal: AbortSignal,
    attempt: (ctx: RequestContext) => Promise<T>,
  ): Promise<T> {
    const { retries, retryMinTimeoutMs: minTimeoutMs, retryMaxTimeoutMs: maxTimeoutMs } = this.#options;
    return withTransientRetry(
      async (attemptNumber) => {
        const started = performance.now();
        const result = await attempt({ signal });
        this.#logger.debug({ ...what, attempt: attemptNumber, durationMs: Math.round(performance.now() - started) }, 'odoo request done');
        return result;
      },
      {
        retry: { retries, minTimeoutMs, maxTimeoutMs, factor: 2, randomize: true },
        signal,
        // Only what may have failed before Odoo ran it is retried, unless running it twice is harmless.
        isTransient: (error) => isOdooSyncError(error) && error.retryable && (idempotent || failedBeforeRunning(error)),
        onRetry: ({ error, attemptNumber, retriesLeft }) => {
          this.#logger.warn({ ...what, attempt: attemptNumber, retriesLeft, err: summarizeError(error) }, 'odoo request failed; retrying');
        },
      },
    );
  }

  /** Picks the transport once (detection with `auto`); failures are not cached. */
  #resolve(): Promise<Resolved> {
    if (!this.#resolved) {
      const promise = this.#withSignal(undefined, (signal) => this.#detect(signal));
      this.#resolved = promise;
      promise.catch(() => {
        if (this.#resolved === promise) this.#resolved = undefined;
      });
    }
    return this.#resolved;
  }

  #detect(signal: AbortSignal): Promise<Resolved> {
    return detectTransport({
      config: this.#config(),
      protocol: this.#options.protocol,
      hasApiKey: this.#credentials.apiKey !== undefined,
      logger: this.#logger,
      retrying: (what, attempt) => this.#retrying({ ...what, protocol: 'json2' }, true, signal, attempt),
    });
  }

  /** Authenticates once; concurrent callers share it; a failure is not cached. */
  #connect(): Promise<Connection> {
    if (!this.#connection) {
      const promise = this.#withSignal(undefined, async (signal) => {
        const resolved = await this.#resolve();
        // The JSON-2 probe's uid serves once: after a key rotation, authenticate again.
        const probed = resolved.uid;
        resolved.uid = undefined;
        const uid =
          probed ??
          (await this.#retrying({ method: 'authenticate', protocol: resolved.transport.protocol }, true, signal, (ctx) =>
            resolved.transport.authenticate(ctx),
          ));
        this.#logger.debug({ protocol: resolved.transport.protocol, uid }, 'odoo authenticated');
        return { transport: resolved.transport, uid };
      });
      this.#connection = promise;
      promise.catch(() => {
        if (this.#connection === promise) this.#connection = undefined;
      });
    }
    return this.#connection;
  }

  async #execute(call: OrmCall, options: { signal?: AbortSignal | undefined; idempotent: boolean }): Promise<unknown> {
    checkModel(call.model);
    return this.#withSignal(options.signal, async (signal) => {
      const pending = this.#connect();
      const connection = await raceAbort(pending, signal);
      try {
        return await this.#retrying(
          { model: call.model, method: call.method, protocol: connection.transport.protocol },
          options.idempotent,
          signal,
          (ctx) => connection.transport.execute(call, connection.uid, ctx),
        );
      } catch (error) {
        // Credentials revoked meanwhile: authenticate again on the next call.
        if (error instanceof OdooAuthError && !error.cooldown && this.#connection === pending) this.#connection = undefined;
        throw error;
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Public API
  // -------------------------------------------------------------------------------------------

  /**
   * The protocol this client uses (detected on first use with `protocol: 'auto'`).
   * Does not authenticate with XML-RPC; with `auto` and an API key the JSON-2 probe does.
   */
  async resolveProtocol(options: { signal?: AbortSignal | undefined } = {}): Promise<OdooProtocol> {
    return this.#withSignal(options.signal, async (signal) => (await raceAbort(this.#resolve(), signal)).transport.protocol);
  }

  /** The server version (`/web/version` with JSON-2, `common.version()` with XML-RPC). No login needed. */
  async version(options: { signal?: AbortSignal | undefined } = {}): Promise<OdooVersion> {
    return this.#withSignal(options.signal, async (signal) => {
      const resolved = await raceAbort(this.#resolve(), signal);
      if (resolved.version) return resolved.version;
      const { transport } = resolved;
      return this.#retrying({ method: 'version', protocol: transport.protocol }, true, signal, (ctx) => transport.version(ctx));
    });
  }

  /**
   * Authenticates (once; later calls return the same user id) and returns the Odoo user id.
   * Other methods do this by themselves on first use. Throws {@link OdooAuthError}.
   */
  async authenticate(options: { signal?: AbortSignal | undefined } = {}): Promise<number> {
    return this.#withSignal(options.signal, async (signal) => (await raceAbort(this.#connect(), signal)).uid);
  }

  /**
   * `search_read`: the records matching `domain`, with the given fields.
   *
   * @example
   * ```ts
   * await odoo.searchRead('res.partner', [['id', '>', lastId]], { fields: ['name'], limit: 1000, order: 'id asc', context: { active_test: false } });
   * ```
   */
  async searchRead(model: string, domain: OdooDomain = [], options: SearchReadOptions = {}): Promise<OdooRow[]> {
    const kwargs = compact({
      fields: options.fields ? [...options.fields] : undefined,
      offset: options.offset,
      limit: options.limit,
      order: options.order,
      ...contextOf(options),
    });
    const raw = await this.#execute(
      { model, method: 'search_read', args: [{ name: 'domain', value: domain }], kwargs },
      { signal: options.signal, idempotent: true },
    );
    const rows = expectRows(raw, model, 'search_read');
    return options.normalize ? this.#normalize(model, rows, options.signal) : rows;
  }

  /** `search`: ids of the records matching `domain`. */
  async search(model: string, domain: OdooDomain = [], options: SearchOptions = {}): Promise<number[]> {
    const kwargs = compact({ offset: options.offset, limit: options.limit, order: options.order, ...contextOf(options) });
    const raw = await this.#execute(
      { model, method: 'search', args: [{ name: 'domain', value: domain }], kwargs },
      { signal: options.signal, idempotent: true },
    );
    return expectIds(raw, model, 'search');
  }

  /** `search_count`: how many records match `domain`. */
  async searchCount(model: string, domain: OdooDomain = [], options: RequestOptions = {}): Promise<number> {
    const raw = await this.#execute(
      { model, method: 'search_count', args: [{ name: 'domain', value: domain }], kwargs: contextOf(options) },
      { signal: options.signal, idempotent: true },
    );
    if (typeof raw !== 'number') throw new OdooServerError(`Odoo answered ${model}.search_count with something that is not a number.`);
    return raw;
  }

  /** `read`: the records with these ids (ids that do not exist make Odoo fail with `odoo_validation_failed`). */
  async read(model: string, ids: readonly number[], options: ReadOptions = {}): Promise<OdooRow[]> {
    checkIds(ids);
    if (ids.length === 0) return [];
    const kwargs = compact({ fields: options.fields ? [...options.fields] : undefined, ...contextOf(options) });
    const raw = await this.#execute({ model, method: 'read', ids, kwargs }, { signal: options.signal, idempotent: true });
    const rows = expectRows(raw, model, 'read');
    return options.normalize ? this.#normalize(model, rows, options.signal) : rows;
  }

  /** `fields_get`: the model's fields with the asked attributes. Not cached (see {@link modelFields}). */
  async fieldsGet(model: string, options: FieldsGetOptions = {}): Promise<OdooFields> {
    const attributes = [...(options.attributes ?? DEFAULT_FIELD_ATTRIBUTES)];
    const raw = await this.#execute(
      { model, method: 'fields_get', kwargs: { attributes, ...contextOf(options) } },
      { signal: options.signal, idempotent: true },
    );
    return parseFields(raw, model);
  }

  /**
   * The model's fields (`string`, `type`, `relation`), read once per model and cached for the
   * life of the client (see {@link clearCache}). Used to normalise values.
   */
  async modelFields(model: string, options: { signal?: AbortSignal | undefined } = {}): Promise<OdooFields> {
    checkModel(model);
    let cached = this.#fields.get(model);
    if (!cached) {
      // Shared by concurrent callers, so it listens to the client's signal only.
      const promise = this.fieldsGet(model, { attributes: CACHED_FIELD_ATTRIBUTES });
      this.#fields.set(model, promise);
      promise.catch(() => {
        if (this.#fields.get(model) === promise) this.#fields.delete(model);
      });
      cached = promise;
    }
    return this.#withSignal(options.signal, (signal) => raceAbort(cached, signal));
  }

  async #normalize(model: string, rows: OdooRow[], signal: AbortSignal | undefined): Promise<OdooRow[]> {
    const fields = await this.modelFields(model, { signal });
    // The rows were just decoded from the answer: nobody else holds them.
    return normalizeRowsInPlace(rows, fields);
  }

  /** `create`: creates one record and returns its id. Not retried once it may have reached Odoo. */
  create(model: string, values: OdooValues, options?: RequestOptions): Promise<number>;
  /** `create`: creates several records in one call and returns their ids, in order. */
  create(model: string, values: readonly OdooValues[], options?: RequestOptions): Promise<number[]>;
  async create(model: string, values: OdooValues | readonly OdooValues[], options: RequestOptions = {}): Promise<number | number[]> {
    const list = Array.isArray(values) ? [...(values as readonly OdooValues[])] : [values as OdooValues];
    if (list.some((v) => v === null || typeof v !== 'object' || Array.isArray(v))) {
      throw new InputError('create takes an object of field values (or an array of them).', [{ path: 'values', message: 'expected objects' }]);
    }
    const raw = await this.#execute(
      { model, method: 'create', args: [{ name: 'vals_list', value: list }], kwargs: contextOf(options) },
      { signal: options.signal, idempotent: false },
    );
    const ids = typeof raw === 'number' ? [raw] : expectIds(raw, model, 'create');
    if (Array.isArray(values)) return ids;
    const [id] = ids;
    if (id === undefined) throw new OdooServerError(`Odoo answered ${model}.create without an id.`);
    return id;
  }

  /** `write`: sets the same values on every given record. Resolves `true`. */
  async write(model: string, ids: readonly number[], values: OdooValues, options: RequestOptions = {}): Promise<boolean> {
    checkIds(ids);
    if (ids.length === 0) return true;
    const raw = await this.#execute(
      { model, method: 'write', ids, args: [{ name: 'vals', value: { ...values } }], kwargs: contextOf(options) },
      { signal: options.signal, idempotent: true },
    );
    return raw !== false;
  }

  /** `unlink`: deletes the records for good. Resolves `true`. Not retried once it may have reached Odoo. */
  async unlink(model: string, ids: readonly number[], options: RequestOptions = {}): Promise<boolean> {
    checkIds(ids);
    if (ids.length === 0) return true;
    const raw = await this.#execute({ model, method: 'unlink', ids, kwargs: contextOf(options) }, { signal: options.signal, idempotent: false });
    return raw !== false;
  }

  /**
   * Calls any public model method, XML-RPC style: `args` positionally (a leading id list is the
   * record set) and `kwargs` by name, `context` included. JSON-2 has no positional arguments, so
   * with JSON-2 `args` may only be `[]` or `[ids]`: pass everything else in `kwargs`
   * (portable across both protocols). Throws {@link InputError} otherwise.
   *
   * @example
   * ```ts
   * await odoo.call('res.partner', 'read', [[7]], { fields: ['name'] });
   * await odoo.call('crm.lead', 'action_set_won', [[42]], {}, { idempotent: true });
   * ```
   */
  async call<T = unknown>(
    model: string,
    method: string,
    args: readonly unknown[] = [],
    kwargs: Readonly<Record<string, unknown>> = {},
    options: CallOptions = {},
  ): Promise<T> {
    if (typeof method !== 'string' || !METHOD_NAME.test(method)) {
      throw new InputError(`Invalid Odoo method name ${JSON.stringify(method)}.`, [{ path: 'method', message: 'expected a public method name' }]);
    }
    if (!Array.isArray(args)) throw new InputError('args must be an array.', [{ path: 'args', message: 'expected an array' }]);
    const { ids, rest } = splitGenericArgs(args);
    const call: OrmCall = { model, method, ids, args: rest.map((value) => ({ value })), kwargs: { ...kwargs } };
    return (await this.#execute(call, { signal: options.signal, idempotent: options.idempotent === true })) as T;
  }

  /**
   * Replaces the API key (Odoo keys last at most three months). The next request authenticates
   * with the new key; requests in flight finish with the old one.
   */
  setApiKey(apiKey: string): void {
    if (typeof apiKey !== 'string' || apiKey.trim() === '') {
      throw new InputError('The API key must be a non-empty string.', [{ path: 'apiKey', message: 'expected a non-empty string' }]);
    }
    this.#credentials.setApiKey(apiKey);
    this.#connection = undefined;
  }

  /** Forgets cached `fields_get` answers (after installing a module or adding fields). */
  clearCache(): void {
    this.#fields.clear();
  }

  /**
   * Aborts requests in flight and refuses new ones (with a non-retryable `odoo_transport_failed`).
   * Safe to call twice. Closes the client's own connections (an injected fetch's connections
   * belong to its pool and close when idle).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closer.abort(new OdooTransportError('The OdooClient was closed.', { retryable: false }));
    this.#fields.clear();
    this.#http.close();
  }

  /** What is safe to show: URL, database, login and protocol option. Never a secret. */
  toJSON(): { url: string; db: string; username: string; protocol: 'auto' | OdooProtocol } {
    return { url: this.url, db: this.db, username: this.username, protocol: this.#options.protocol };
  }

  /** Shown by `util.inspect` / `console.log`: the same as {@link toJSON}. */
  [inspect.custom](): string {
    return `OdooClient ${inspect(this.toJSON())}`;
  }
}
