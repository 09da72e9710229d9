/**
 * Source port: how the sync engine reads Odoo.
 * @module
 */
import type { EntityName, OdooDomain, OdooRow } from '../entities/entities.js';

/** What to read from Odoo for one entity. Built from an entity spec (its model, domain and fields). */
export interface SourceQuery {
  /** Entity name (for logs and errors). */
  entity: EntityName;
  /** Odoo model. */
  model: string;
  /** The entity's domain; the reader adds its own paging and date terms. */
  domain: OdooDomain;
  /** Odoo fields to read, always including `write_date` (and `active` where the model has it). */
  fields: readonly string[];
}

/** Options of {@link SourceReader.readChanged}. */
export interface ReadChangedOptions {
  /** Only rows with `write_date >= since`; `null` reads every row. */
  since: Date | null;
  /** Rows per page. */
  pageSize: number;
  /** Aborts the read. */
  signal?: AbortSignal;
}

/** Options of the id sweep and of reads by id. */
export interface ReadIdsOptions {
  /** Ids per page. */
  pageSize: number;
  /** Aborts the read. */
  signal?: AbortSignal;
}

/**
 * Reads an entity's rows from Odoo. Implemented by `OdooSource` in `@odoo-sync/odoo-adapter`.
 *
 * Rules:
 * - Archived rows are included (`active_test: false`); deleted rows simply do not exist.
 * - `readChanged` with `since: null` yields every row of the domain ordered by id; with a date,
 *   the rows with `write_date >= since` ordered by `(write_date, id)`. Pages are at most
 *   `pageSize` rows and are produced lazily, so memory stays bounded.
 * - A model that does not exist throws
 *   {@link @odoo-sync/core/errors!OdooModelNotFoundError | OdooModelNotFoundError}; other failures throw
 *   the matching `Odoo*Error` (transient ones with `retryable: true`).
 */
export interface SourceReader {
  /** Yields pages of rows changed since `since` (or all rows). */
  readChanged(query: SourceQuery, options: ReadChangedOptions): AsyncIterable<OdooRow[]>;
  /** Yields pages of every id in the domain (archived included), ascending. Reads ids only. */
  readAllIds(query: SourceQuery, options: ReadIdsOptions): AsyncIterable<number[]>;
  /**
   * Reads the rows with these ids that exist and match the domain (archived included).
   * An id missing from the answer is deleted in Odoo or outside the entity's domain.
   */
  readByIds(query: SourceQuery, ids: readonly number[], options?: { signal?: AbortSignal }): Promise<OdooRow[]>;
  /**
   * How many rows the domain has, archived included (Odoo's `search_count` with
   * `active_test: false`). Optional: with it, an incremental run skips the id sweep for
   * deletions when the counts show there is nothing to find.
   */
  countAll?(query: SourceQuery, options?: { signal?: AbortSignal }): Promise<number>;
}
