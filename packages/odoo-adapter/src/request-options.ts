/**
 * The options of {@link OdooClient}'s request methods.
 * @module
 */
import type { OdooClient } from './client.js';

/** An Odoo context (`lang`, `tz`, `active_test`, ...). */
export type OdooContext = Readonly<Record<string, unknown>>;

/** Field values for `create` and `write`, by Odoo field name. */
export type OdooValues = Readonly<Record<string, unknown>>;

/** Options every request method takes. */
export interface RequestOptions {
  /** Aborts this request (and its retries); the signal's reason is thrown. */
  signal?: AbortSignal | undefined;
  /** Odoo context for this call, e.g. `{ active_test: false }` to include archived records. */
  context?: OdooContext | undefined;
}

/** Options of {@link OdooClient.search}. */
export interface SearchOptions extends RequestOptions {
  /** Most records to return; none means every match. */
  limit?: number | undefined;
  /** Records to skip. Prefer keyset paging (`['id', '>', last]`) for large reads. */
  offset?: number | undefined;
  /** SQL-like order, e.g. `'id asc'` or `'write_date asc, id asc'`. */
  order?: string | undefined;
}

/** Options of {@link OdooClient.searchRead}. */
export interface SearchReadOptions extends SearchOptions {
  /** Fields to read; none means every field (slow: always name them). */
  fields?: readonly string[] | undefined;
  /**
   * Normalise values by field type: `false` → `null` except booleans,
   * many2one → `{ id, name }`, datetimes → ISO-8601 UTC. Costs one cached `fields_get` per model.
   * @default false
   */
  normalize?: boolean | undefined;
}

/** Options of {@link OdooClient.read}. */
export interface ReadOptions extends RequestOptions {
  /** Fields to read; none means every field. */
  fields?: readonly string[] | undefined;
  /**
   * Normalise values by field type, as {@link SearchReadOptions.normalize}.
   * @default false
   */
  normalize?: boolean | undefined;
}

/** Options of {@link OdooClient.fieldsGet}. */
export interface FieldsGetOptions extends RequestOptions {
  /**
   * Attributes to return for each field.
   * @default ['string', 'type', 'relation', 'required', 'readonly']
   */
  attributes?: readonly string[] | undefined;
}

/** Options of {@link OdooClient.call}. */
export interface CallOptions {
  /** Aborts the call. */
  signal?: AbortSignal | undefined;
  /**
   * Whether running the method twice is harmless. Only idempotent calls are retried after a
   * failure that may have happened after Odoo ran them (a dropped answer, a timeout).
   * @default false
   */
  idempotent?: boolean | undefined;
}
