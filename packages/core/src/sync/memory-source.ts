/**
 * MemorySource: a {@link SourceReader} over rows held in memory, with Odoo's reading semantics
 * (archived rows included, `write_date` stamped on every write with whole seconds, keyset pages).
 * For tests and examples of code that embeds the core.
 * @module
 */
import { type Clock, systemClock } from '../clock.js';
import type { DomainTerm, DomainValue, OdooDomain, OdooRow } from '../entities/entities.js';
import { OdooModelNotFoundError } from '../errors.js';
import type { ReadChangedOptions, ReadIdsOptions, SourceQuery, SourceReader } from '../ports.js';

/** Formats a date as Odoo does: `YYYY-MM-DD HH:MM:SS` in UTC, whole seconds. */
export function toOdooDatetime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

type Predicate = (row: OdooRow) => boolean;

function compileLeaf(field: string, operator: string, value: DomainValue): Predicate {
  const list = Array.isArray(value) ? (value as readonly unknown[]) : [value];
  const read = (row: OdooRow): unknown => {
    const raw = row[field];
    return Array.isArray(raw) && raw.length === 2 && typeof raw[0] === 'number' ? raw[0] : raw;
  };
  const same = (a: unknown, b: unknown) => a === b || ((a === false || a === null || a === undefined) && (b === false || b === null));
  switch (operator) {
    case '=':
      return (row) => same(read(row), value);
    case '!=':
      return (row) => !same(read(row), value);
    case 'in':
      return (row) => list.some((v) => same(read(row), v));
    case 'not in':
      return (row) => !list.some((v) => same(read(row), v));
    case '>':
      return (row) => (read(row) as number | string) > (value as number | string);
    case '>=':
      return (row) => (read(row) as number | string) >= (value as number | string);
    case '<':
      return (row) => (read(row) as number | string) < (value as number | string);
    case '<=':
      return (row) => (read(row) as number | string) <= (value as number | string);
    case 'ilike':
      return (row) => String(read(row) ?? '').toLowerCase().includes(String(value).toLowerCase());
    default:
      throw new TypeError(`MemorySource does not support the domain operator "${operator}".`);
  }
}

/** Compiles a prefix-notation domain (implicit AND) into a predicate. */
export function compileDomain(domain: OdooDomain): Predicate {
  const terms = [...domain];
  let position = 0;
  const parse = (): Predicate => {
    const term: DomainTerm | undefined = terms[position++];
    if (term === undefined) throw new TypeError('Malformed domain: an operator is missing operands.');
    if (term === '!') {
      const inner = parse();
      return (row) => !inner(row);
    }
    if (term === '&' || term === '|') {
      const left = parse();
      const right = parse();
      return term === '&' ? (row) => left(row) && right(row) : (row) => left(row) || right(row);
    }
    return compileLeaf(term[0], term[1], term[2]);
  };
  const parts: Predicate[] = [];
  while (position < terms.length) parts.push(parse());
  return (row) => parts.every((part) => part(row));
}

/**
 * An in-memory Odoo stand-in. Writes stamp `write_date` from the clock (whole seconds, so
 * same-second ties happen as in Odoo).
 *
 * @example
 * ```ts
 * const source = new MemorySource();
 * source.write('res.partner', { id: 1, name: 'Acme', is_company: true, active: true });
 * const reconciler = new Reconciler({ source, store: new MemoryStore() });
 * ```
 */
export class MemorySource implements SourceReader {
  readonly #clock: Clock;
  readonly #models = new Map<string, Map<number, OdooRow>>();
  readonly #missing = new Set<string>();
  #failures: Array<{ error: unknown; afterPages: number }> = [];
  #pagesServed = 0;

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  #model(model: string): Map<number, OdooRow> {
    let rows = this.#models.get(model);
    if (!rows) {
      rows = new Map();
      this.#models.set(model, rows);
    }
    return rows;
  }

  /**
   * Creates or updates a row (merging fields), stamping `write_date` unless given. Rows of models
   * with an `active` field default to `active: true` when created.
   */
  write(model: string, row: OdooRow): OdooRow {
    const rows = this.#model(model);
    const merged: OdooRow = { ...rows.get(row.id), ...row };
    if (row['write_date'] === undefined) merged['write_date'] = toOdooDatetime(this.#clock.now());
    rows.set(row.id, merged);
    return { ...merged };
  }

  /** Deletes rows for good (Odoo's `unlink`). */
  unlink(model: string, ids: readonly number[]): void {
    const rows = this.#model(model);
    for (const id of ids) rows.delete(id);
  }

  /** The stored row, or `undefined`. */
  get(model: string, id: number): OdooRow | undefined {
    const row = this.#models.get(model)?.get(id);
    return row ? { ...row } : undefined;
  }

  /** Makes a model behave as if its module were not installed (or installed again). */
  setInstalled(model: string, installed: boolean): void {
    if (installed) this.#missing.delete(model);
    else this.#missing.add(model);
  }

  /** Makes the read after `afterPages` more pages fail with `error` (once per call). */
  failAfter(afterPages: number, error: unknown): void {
    this.#failures.push({ error, afterPages: this.#pagesServed + afterPages });
  }

  #check(query: SourceQuery): void {
    if (this.#missing.has(query.model)) throw new OdooModelNotFoundError(query.model);
  }

  #maybeFail(): void {
    const index = this.#failures.findIndex((f) => f.afterPages <= this.#pagesServed);
    if (index >= 0) {
      const [failure] = this.#failures.splice(index, 1);
      throw failure?.error;
    }
  }

  #matching(query: SourceQuery): OdooRow[] {
    const predicate = compileDomain(query.domain);
    return [...this.#model(query.model).values()].filter(predicate);
  }

  #project(query: SourceQuery, row: OdooRow): OdooRow {
    const out: OdooRow = { id: row.id };
    for (const field of query.fields) out[field] = row[field] === undefined ? false : row[field];
    return out;
  }

  async *readChanged(query: SourceQuery, options: ReadChangedOptions): AsyncIterable<OdooRow[]> {
    this.#check(query);
    const since = options.since === null ? null : toOdooDatetime(options.since);
    let after: { writeDate: string; id: number } | null = null;
    for (;;) {
      options.signal?.throwIfAborted();
      this.#maybeFail();
      // Re-query each page, as a real server would: rows written meanwhile can appear.
      let rows = this.#matching(query);
      if (since === null) {
        rows.sort((a, b) => a.id - b.id);
        if (after) rows = rows.filter((row) => row.id > after!.id);
      } else {
        rows = rows.filter((row) => String(row['write_date']) >= since);
        rows.sort((a, b) => String(a['write_date']).localeCompare(String(b['write_date'])) || a.id - b.id);
        if (after) {
          const { writeDate, id } = after;
          rows = rows.filter((row) => {
            const w = String(row['write_date']);
            return w > writeDate || (w === writeDate && row.id > id);
          });
        }
      }
      const page = rows.slice(0, options.pageSize);
      if (page.length === 0) return;
      this.#pagesServed++;
      const last = page[page.length - 1]!;
      after = { writeDate: String(last['write_date']), id: last.id };
      yield page.map((row) => this.#project(query, row));
      if (page.length < options.pageSize) return;
    }
  }

  async *readAllIds(query: SourceQuery, options: ReadIdsOptions): AsyncIterable<number[]> {
    this.#check(query);
    this.#maybeFail();
    const ids = this.#matching(query)
      .map((row) => row.id)
      .sort((a, b) => a - b);
    for (let i = 0; i < ids.length; i += options.pageSize) {
      options.signal?.throwIfAborted();
      yield ids.slice(i, i + options.pageSize);
    }
  }

  async countAll(query: SourceQuery, options: { signal?: AbortSignal } = {}): Promise<number> {
    this.#check(query);
    options.signal?.throwIfAborted();
    this.#maybeFail();
    return this.#matching(query).length;
  }

  async readByIds(query: SourceQuery, ids: readonly number[], options: { signal?: AbortSignal } = {}): Promise<OdooRow[]> {
    this.#check(query);
    options.signal?.throwIfAborted();
    this.#maybeFail();
    const wanted = new Set(ids);
    return this.#matching(query)
      .filter((row) => wanted.has(row.id))
      .sort((a, b) => a.id - b.id)
      .map((row) => this.#project(query, row));
  }
}
