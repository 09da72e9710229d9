/**
 * OdooSource: the {@link SourceReader} the core Reconciler reads Odoo through, over an
 * {@link OdooClient}. Keyset paging (never large offsets), only the query's fields, archived
 * rows included, and incremental reads by `write_date` that never skip nor repeat a row that
 * shares its second with others across a page boundary.
 * @module
 */
import {
  type Logger,
  type OdooDomain,
  type OdooRow,
  silentLogger,
  type SourceQuery,
  type SourceReader,
} from '@odoo-sync/core';
import type { ReadChangedOptions, ReadIdsOptions } from '@odoo-sync/core/store-kit';
import { OdooServerError, OdooValidationError } from '@odoo-sync/core/errors';
import type { OdooClient, OdooContext } from './client.js';
import { andTerms, compareBySecondThenId, nextSecond, splitAtLastSecond } from './keyset.js';
import { toOdooDatetime } from './values.js';

/** Options of {@link OdooSource}. */
export interface OdooSourceOptions {
  /**
   * Yield rows normalised by field type (`null` for empty, `{ id, name }` for many2one,
   * ISO-8601 datetimes) instead of Odoo's raw values. Core's mappers accept both.
   * @default true
   */
  normalize?: boolean;
  /**
   * Ids per request of {@link OdooSource.readByIds}, and the page size when a read's options
   * give none. Keep it near 500–2000: Odoo workers have time and memory limits per request.
   * @default 1000
   */
  pageSize?: number;
  /** Context added to every read (e.g. `{ lang: 'en_US' }`); `active_test: false` is always set. */
  context?: OdooContext;
  /**
   * Structured logger; one `debug` line per page.
   * @default silentLogger
   */
  logger?: Logger;
}

const ID_ORDER = 'id asc';
const WRITE_ORDER = 'write_date asc, id asc';

function pageSizeOf(value: unknown, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new TypeError(`OdooSource ${name} must be a positive integer, received ${String(value)}.`);
  }
  return value;
}

/**
 * Reads entities from Odoo for the Reconciler.
 *
 * Rules (those of {@link SourceReader}):
 * - every read has `context.active_test = false`: archived rows are included;
 * - `readChanged({ since: null })` pages by id (`id > last`, `order id`); with a date it reads
 *   `write_date >= since` ordered by `(write_date, id)`, keyset-paged so that rows sharing a
 *   second are neither skipped nor repeated;
 * - only the query's fields are read (plus `write_date`); a field the model lacks fails with
 *   `odoo_validation_failed` before any row is read; a model that is not installed fails with
 *   `odoo_model_not_found`.
 *
 * @example
 * ```ts
 * const source = new OdooSource(new OdooClient({ url, db, username, apiKey }));
 * const reconciler = new Reconciler({ source, store });
 * ```
 */
export class OdooSource implements SourceReader {
  readonly #client: OdooClient;
  readonly #normalize: boolean;
  readonly #pageSize: number;
  readonly #context: Record<string, unknown>;
  readonly #logger: Logger;

  constructor(client: OdooClient, options: OdooSourceOptions = {}) {
    if (!client || typeof client.searchRead !== 'function') throw new TypeError('OdooSource needs an OdooClient.');
    this.#client = client;
    this.#normalize = options.normalize ?? true;
    this.#pageSize = pageSizeOf(options.pageSize, 1000, 'pageSize');
    this.#context = { ...options.context, active_test: false };
    this.#logger = options.logger ?? silentLogger;
  }

  /** The fields to read: the query's plus `write_date`, checked against `fields_get` (cached). */
  async #fields(query: SourceQuery, signal: AbortSignal | undefined): Promise<string[]> {
    const known = await this.#client.modelFields(query.model, { signal });
    const fields = [...new Set([...query.fields, 'write_date'])].filter((field) => field !== 'id');
    const missing = fields.filter((field) => !(field in known));
    if (missing.length > 0) {
      throw new OdooValidationError(`The Odoo model ${query.model} has no field ${missing.join(', ')} (entity ${query.entity}).`, {
        hint: 'Install the module that adds the field, or remove it from the entity spec.',
      });
    }
    return fields;
  }

  #page(query: SourceQuery, domain: OdooDomain, fields: string[], limit: number | undefined, order: string, signal: AbortSignal | undefined): Promise<OdooRow[]> {
    return this.#client.searchRead(query.model, domain, {
      fields,
      ...(limit === undefined ? {} : { limit }),
      order,
      context: this.#context,
      normalize: this.#normalize,
      signal,
    });
  }

  async *readChanged(query: SourceQuery, options: ReadChangedOptions): AsyncIterable<OdooRow[]> {
    const pageSize = pageSizeOf(options.pageSize, this.#pageSize, 'pageSize');
    const { signal } = options;
    const fields = await this.#fields(query, signal);
    if (options.since === null) {
      yield* this.#readAllById(query, fields, pageSize, signal);
      return;
    }
    let from = toOdooDatetime(options.since);
    for (;;) {
      signal?.throwIfAborted();
      const rows = await this.#page(query, andTerms(query.domain, ['write_date', '>=', from]), fields, pageSize, WRITE_ORDER, signal);
      this.#logger.debug({ entity: query.entity, model: query.model, from, rows: rows.length }, 'odoo page read');
      if (rows.length < pageSize) {
        // A short page ends the read, so every second in it is whole.
        if (rows.length > 0) yield [...rows].sort(compareBySecondThenId);
        return;
      }
      const { complete, lastSecond } = splitAtLastSecond(rows);
      if (lastSecond === null) throw new OdooServerError(`Odoo returned ${query.model} rows without write_date.`);
      if (complete.length > 0) yield complete;
      // The last second may go on past this page: read it whole, by id, then move past it.
      yield* this.#readSecond(query, fields, lastSecond, pageSize, signal);
      from = nextSecond(lastSecond);
    }
  }

  async *#readAllById(query: SourceQuery, fields: string[], pageSize: number, signal: AbortSignal | undefined): AsyncIterable<OdooRow[]> {
    let lastId = 0;
    for (;;) {
      signal?.throwIfAborted();
      const rows = await this.#page(query, andTerms(query.domain, ['id', '>', lastId]), fields, pageSize, ID_ORDER, signal);
      this.#logger.debug({ entity: query.entity, model: query.model, afterId: lastId, rows: rows.length }, 'odoo page read');
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      lastId = rows[rows.length - 1]!.id;
    }
  }

  async *#readSecond(query: SourceQuery, fields: string[], second: string, pageSize: number, signal: AbortSignal | undefined): AsyncIterable<OdooRow[]> {
    const until = nextSecond(second);
    let lastId = 0;
    for (;;) {
      signal?.throwIfAborted();
      const domain = andTerms(query.domain, ['write_date', '>=', second], ['write_date', '<', until], ['id', '>', lastId]);
      const rows = await this.#page(query, domain, fields, pageSize, ID_ORDER, signal);
      this.#logger.debug({ entity: query.entity, model: query.model, second, afterId: lastId, rows: rows.length }, 'odoo page read');
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      lastId = rows[rows.length - 1]!.id;
    }
  }

  async *readAllIds(query: SourceQuery, options: ReadIdsOptions): AsyncIterable<number[]> {
    const pageSize = pageSizeOf(options.pageSize, this.#pageSize, 'pageSize');
    const { signal } = options;
    let lastId = 0;
    for (;;) {
      signal?.throwIfAborted();
      const ids = await this.#client.search(query.model, andTerms(query.domain, ['id', '>', lastId]), {
        limit: pageSize,
        order: ID_ORDER,
        context: this.#context,
        signal,
      });
      if (ids.length > 0) yield ids;
      if (ids.length < pageSize) return;
      lastId = ids[ids.length - 1]!;
    }
  }

  /** `search_count` of the query's domain, archived rows included. */
  async countAll(query: SourceQuery, options: { signal?: AbortSignal } = {}): Promise<number> {
    return this.#client.searchCount(query.model, query.domain, { context: this.#context, signal: options.signal });
  }

  async readByIds(query: SourceQuery, ids: readonly number[], options: { signal?: AbortSignal } = {}): Promise<OdooRow[]> {
    const { signal } = options;
    const wanted = [...new Set(ids.filter((id) => Number.isInteger(id) && id > 0))].sort((a, b) => a - b);
    if (wanted.length === 0) return [];
    const fields = await this.#fields(query, signal);
    const out: OdooRow[] = [];
    for (let i = 0; i < wanted.length; i += this.#pageSize) {
      const chunk = wanted.slice(i, i + this.#pageSize);
      out.push(...(await this.#page(query, andTerms(query.domain, ['id', 'in', chunk]), fields, undefined, ID_ORDER, signal)));
    }
    return out;
  }
}
