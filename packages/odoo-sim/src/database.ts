/**
 * The simulated Odoo database: rows per model kept in id order, Odoo's ORM semantics for
 * search / read / create / write / unlink / fields_get, access rules, and the user credentials.
 * Rows are never mutated: a write replaces the row object, so a result being streamed out is
 * a consistent snapshot.
 * @module
 */
import { compileDomain, type DomainHost, pyRepr } from './domain.js';
import { accessDenied, OdooSimError } from './exceptions.js';
import { formatOdooDatetime, parseOdooDateInput, parseOdooDatetimeInput } from './odoo-time.js';
import { compileOrder, type OrderHost, parseOrder, type SortKey } from './order.js';
import {
  type ComputeContext,
  emptyValue,
  type FieldDef,
  fieldAvailable,
  type ModelDef,
  MODELS,
  type StoredRow,
  type StoredValue,
} from './schema.js';

/** A value as it goes over the wire (Odoo's read format). */
export type OdooValue = string | number | boolean | null | OdooValue[] | { [key: string]: OdooValue };

/** A record in Odoo's read format: `id` plus the requested fields. */
export type OdooRecord = { id: number } & { [field: string]: OdooValue };

/** A user that can log in, with what it may do. */
export interface SimUser {
  /** res.users id. */
  readonly uid: number;
  /** Password (never readable through the API). */
  password: string | undefined;
  /** API keys (usable as password on XML-RPC, as bearer token on JSON-2). */
  apiKeys: string[];
  /** Models this user may not access (AccessError). */
  deniedModels: ReadonlySet<string>;
  /** Whether the user may read HR-private employee fields. */
  hrOfficer: boolean;
}

/** Who is calling and with which context. */
export interface Env {
  /** Calling user id (1 = the superuser, for the programmatic API). */
  readonly uid: number;
  /** Superuser mode: no access checks, magic fields writable. */
  readonly su: boolean;
  /** The calling user's rights (absent in superuser mode). */
  readonly user?: SimUser;
  /** The request context (`active_test`, …). */
  readonly context: Readonly<Record<string, unknown>>;
}

/** Options of a search. */
export interface SearchOptions {
  /** Rows to skip. */
  readonly offset?: number;
  /** Maximum rows; `0`/`undefined` = all (as Odoo). */
  readonly limit?: number;
  /** Odoo order specification; default: the model's `_order`. */
  readonly order?: string;
}

class Table {
  readonly rows = new Map<number, StoredRow>();
  /** Ids in ascending order. */
  ids: number[] = [];
  nextId = 1;
  /** Bumped on every change; caches compare against it. */
  version = 0;
  /** Rows sorted by (write_date, id), rebuilt lazily after a change. */
  byWriteDate: StoredRow[] | undefined;
  byWriteDateVersion = -1;
  readonly inverseCache = new Map<string, { version: number; map: Map<number, number[]> }>();

  constructor(readonly def: ModelDef) {}

  touch(): void {
    this.version++;
  }
}

/** Smallest index whose id is >= `id`. */
function lowerBound(ids: readonly number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] as number) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const MAGIC_FIELDS = new Set(['id', 'display_name', 'create_uid', 'create_date', 'write_uid', 'write_date']);

function pyTuple(ids: readonly number[]): string {
  return ids.length === 1 ? `(${ids[0]},)` : `(${ids.join(', ')})`;
}

/** Options of {@link SimDatabase}. */
export interface SimDatabaseOptions {
  /** Odoo major version (fields differ between versions). */
  readonly major: number;
  /** The clock that stamps `create_date` / `write_date`. */
  readonly now: () => Date;
}

/** The simulated database. */
export class SimDatabase implements DomainHost, OrderHost {
  readonly #tables = new Map<string, Table>();
  readonly #installed = new Set<string>();
  readonly #users = new Map<number, SimUser>();
  readonly #major: number;
  readonly #now: () => Date;
  readonly #ctx: ComputeContext;

  constructor(options: SimDatabaseOptions) {
    this.#major = options.major;
    this.#now = options.now;
    for (const def of MODELS.values()) {
      this.#tables.set(def.name, new Table(def));
      this.#installed.add(def.name);
    }
    this.#ctx = {
      row: (model, id) => this.row(model, id),
      inverse: (model, field, id) => this.#inverse(model, field, id),
    };
  }

  // ---------------------------------------------------------------- schema

  /** Whether a model is known and installed. */
  isInstalled(model: string): boolean {
    return this.#installed.has(model);
  }

  /** Whether the simulator knows the model at all. */
  isKnown(model: string): boolean {
    return this.#tables.has(model);
  }

  /** Marks a model as not installed (its rows are kept). */
  uninstall(model: string): void {
    this.#table(model);
    this.#installed.delete(model);
  }

  /** Marks a model as installed again. */
  reinstall(model: string): void {
    this.#table(model);
    this.#installed.add(model);
  }

  /** The model definition. */
  model(name: string): ModelDef {
    return this.#table(name).def;
  }

  /** A field available on a model in this version with the installed modules. */
  field(model: string, name: string): FieldDef | undefined {
    const field = this.#table(model).def.fields.get(name);
    return field && fieldAvailable(field, this.#major, this.#installed) ? field : undefined;
  }

  /** Every available field of a model. */
  fields(model: string): FieldDef[] {
    return [...this.#table(model).def.fields.values()].filter((field) => fieldAvailable(field, this.#major, this.#installed));
  }

  #table(model: string): Table {
    const table = this.#tables.get(model);
    if (!table) throw new OdooSimError('user_error', `Object ${model} doesn't exist`);
    return table;
  }

  // ---------------------------------------------------------------- values

  /** A row by id (archived included), or `undefined`. */
  row(model: string, id: number): StoredRow | undefined {
    return this.#tables.get(model)?.rows.get(id);
  }

  /** Number of rows of a model, archived included. */
  size(model: string): number {
    return this.#table(model).rows.size;
  }

  /** The stored or computed value of a field. */
  value(model: string, row: StoredRow, field: FieldDef): StoredValue {
    if (field.name === 'id') return row.id;
    if (field.name === 'display_name') return this.#table(model).def.displayName(row, this.#ctx);
    if (field.type === 'one2many') return this.#inverse(field.relation as string, field.inverseName as string, row.id);
    if (field.compute) return field.compute(row, this.#ctx);
    const value = row[field.name];
    return value === undefined ? (field.default ?? emptyValue(field)) : value;
  }

  /** `display_name` of a row, `''` when it does not exist. */
  displayName(model: string, id: number): string {
    const table = this.#tables.get(model);
    const row = table?.rows.get(id);
    return row && table ? table.def.displayName(row, this.#ctx) : '';
  }

  #inverse(model: string, field: string, id: number): readonly number[] {
    const table = this.#tables.get(model);
    if (!table) return [];
    let cache = table.inverseCache.get(field);
    if (!cache || cache.version !== table.version) {
      const map = new Map<number, number[]>();
      for (const rowId of table.ids) {
        const target = (table.rows.get(rowId) as StoredRow)[field];
        if (typeof target !== 'number') continue;
        const list = map.get(target);
        if (list) list.push(rowId);
        else map.set(target, [rowId]);
      }
      cache = { version: table.version, map };
      table.inverseCache.set(field, cache);
    }
    return cache.map.get(id) ?? [];
  }

  /** A field's value in Odoo's read format (`load` `_classic_read`: many2one as `[id, name]`). */
  formatValue(model: string, row: StoredRow, field: FieldDef, classic = true): OdooValue {
    const value = this.value(model, row, field);
    if (field.type === 'many2one') {
      if (typeof value !== 'number') return false;
      const relation = field.relation as string;
      if (!this.row(relation, value)) return false;
      return classic ? [value, this.displayName(relation, value)] : value;
    }
    if (Array.isArray(value)) return [...(value as OdooValue[])];
    return value as OdooValue;
  }

  // ---------------------------------------------------------------- access

  /** Throws AccessError when the caller may not use the model. */
  checkModelAccess(env: Env, model: string): void {
    if (!this.#installed.has(model)) throw new OdooSimError('user_error', `Object ${model} doesn't exist`);
    if (env.su || !env.user) return;
    if (env.user.deniedModels.has(model)) {
      const def = this.model(model);
      throw new OdooSimError(
        'access_error',
        `You are not allowed to access '${def.description}' (${model}) records.\n\nContact your administrator to request access if necessary.`,
      );
    }
  }

  #readable(env: Env, field: FieldDef): boolean {
    return env.su || !field.hrOnly || env.user?.hrOfficer === true;
  }

  /**
   * Resolves the `fields` argument of read/search_read: empty = every readable field. Unknown
   * field → `ValueError`; an HR-private field without HR rights → AccessError.
   */
  resolveFields(env: Env, model: string, names: readonly string[] | undefined): FieldDef[] {
    if (!names || names.length === 0) return this.fields(model).filter((field) => field.name !== 'id' && this.#readable(env, field));
    const out: FieldDef[] = [];
    const forbidden: FieldDef[] = [];
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      const field = this.field(model, name);
      if (!field) throw new OdooSimError('server_error', `Invalid field '${name}' on model '${model}'`, 'ValueError');
      if (!this.#readable(env, field)) forbidden.push(field);
      if (name !== 'id') out.push(field);
    }
    if (forbidden.length > 0) {
      const def = this.model(model);
      throw new OdooSimError(
        'access_error',
        `The requested operation can not be completed due to security restrictions.\n\nDocument type: ${def.description} (${model})\nOperation: read\nUser: ${env.uid}\nFields:\n${forbidden
          .map((field) => `- ${field.name} (allowed for groups 'Employees / Officer: Manage all employees')`)
          .join('\n')}`,
      );
    }
    return out;
  }

  // ---------------------------------------------------------------- search

  /**
   * Rows matching a domain, ordered and paged. Archived rows are hidden unless the context
   * has `active_test: false` or the domain names `active`.
   */
  search(env: Env, model: string, domain: unknown, options: SearchOptions = {}): StoredRow[] {
    const table = this.#table(model);
    const compiled = compileDomain(this, model, domain);
    const activeTest = table.def.hasActive && env.context['active_test'] !== false && !compiled.mentionsActive;
    const test = activeTest ? (row: StoredRow) => row['active'] !== false && compiled.test(row) : compiled.test;
    const offset = options.offset && options.offset > 0 ? Math.floor(options.offset) : 0;
    const limit = options.limit && options.limit > 0 ? Math.floor(options.limit) : Number.POSITIVE_INFINITY;
    const wanted = offset + limit;
    const terms = parseOrder(options.order && options.order.trim() ? options.order : table.def.order);
    const order = compileOrder(this, model, terms);
    const { low, high } = compiled.idBounds;

    const [first, second] = terms;
    if (terms.length === 1 && first?.field === 'id') {
      // Keyset paging by id: start at the bound, stop once the page is full.
      const out: StoredRow[] = [];
      const ids = table.ids;
      if (!first.desc) {
        for (let i = lowerBound(ids, low); i < ids.length && out.length < wanted; i++) {
          const id = ids[i] as number;
          if (id > high) break;
          const row = table.rows.get(id) as StoredRow;
          if (test(row)) out.push(row);
        }
      } else {
        for (let i = lowerBound(ids, high + 1) - 1; i >= 0 && out.length < wanted; i--) {
          const id = ids[i] as number;
          if (id < low) break;
          const row = table.rows.get(id) as StoredRow;
          if (test(row)) out.push(row);
        }
      }
      return out.slice(offset);
    }

    if (
      first?.field === 'write_date' &&
      !first.desc &&
      !first.nullsFirst &&
      (terms.length === 1 || (terms.length === 2 && second?.field === 'id' && !second.desc))
    ) {
      // Incremental reads: (write_date, id) order from an index, starting at the lower bound.
      const index = this.#writeDateIndex(table);
      const bounds = compiled.writeDateBounds;
      let start = 0;
      if (bounds.low !== undefined) {
        const bound = bounds.low;
        let lo = 0;
        let hi = index.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const wd = (index[mid] as StoredRow)['write_date'];
          const before = typeof wd !== 'string' || wd < bound || (!bounds.lowInclusive && wd === bound);
          if (before) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      const out: StoredRow[] = [];
      for (let i = start; i < index.length && out.length < wanted; i++) {
        const row = index[i] as StoredRow;
        const wd = row['write_date'];
        if (bounds.high !== undefined && typeof wd === 'string' && (wd > bounds.high || (!bounds.highInclusive && wd === bounds.high))) break;
        if (row.id >= low && row.id <= high && test(row)) out.push(row);
      }
      return out.slice(offset);
    }

    const matches: { row: StoredRow; key: SortKey[] }[] = [];
    const ids = table.ids;
    for (let i = lowerBound(ids, low); i < ids.length; i++) {
      const id = ids[i] as number;
      if (id > high) break;
      const row = table.rows.get(id) as StoredRow;
      if (test(row)) matches.push({ row, key: order.key(row) });
    }
    matches.sort((a, b) => order.compare(a.key, b.key));
    return matches.slice(offset, offset + limit).map((match) => match.row);
  }

  #writeDateIndex(table: Table): StoredRow[] {
    if (!table.byWriteDate || table.byWriteDateVersion !== table.version) {
      const rows = table.ids.map((id) => table.rows.get(id) as StoredRow);
      const sortable = rows.filter((row) => typeof row['write_date'] === 'string');
      sortable.sort((a, b) => {
        const wa = a['write_date'] as string;
        const wb = b['write_date'] as string;
        return wa < wb ? -1 : wa > wb ? 1 : a.id - b.id;
      });
      // NULL write_date sorts last in ascending order (PostgreSQL NULLS LAST).
      for (const row of rows) if (typeof row['write_date'] !== 'string') sortable.push(row);
      table.byWriteDate = sortable;
      table.byWriteDateVersion = table.version;
    }
    return table.byWriteDate;
  }

  /** Number of rows matching a domain (same active rule as {@link SimDatabase.search}). */
  count(env: Env, model: string, domain: unknown, limit?: number): number {
    const table = this.#table(model);
    const compiled = compileDomain(this, model, domain);
    const activeTest = table.def.hasActive && env.context['active_test'] !== false && !compiled.mentionsActive;
    const max = limit && limit > 0 ? limit : Number.POSITIVE_INFINITY;
    const { low, high } = compiled.idBounds;
    let count = 0;
    const ids = table.ids;
    for (let i = lowerBound(ids, low); i < ids.length && count < max; i++) {
      const id = ids[i] as number;
      if (id > high) break;
      const row = table.rows.get(id) as StoredRow;
      if (activeTest && row['active'] === false) continue;
      if (compiled.test(row)) count++;
    }
    return count;
  }

  /** Rows for ids, in the order given, skipping ids that do not exist (as Odoo's read). */
  browse(model: string, ids: readonly number[]): StoredRow[] {
    const table = this.#table(model);
    const out: StoredRow[] = [];
    const seen = new Set<number>();
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      const row = table.rows.get(id);
      if (row) out.push(row);
    }
    return out;
  }

  /** Formats rows in Odoo's read format. */
  formatRows(model: string, rows: readonly StoredRow[], fields: readonly FieldDef[], classic = true): OdooRecord[] {
    return rows.map((row) => this.formatRow(model, row, fields, classic));
  }

  /** Formats one row in Odoo's read format. */
  formatRow(model: string, row: StoredRow, fields: readonly FieldDef[], classic = true): OdooRecord {
    const record: OdooRecord = { id: row.id };
    for (const field of fields) record[field.name] = this.formatValue(model, row, field, classic);
    return record;
  }

  // ---------------------------------------------------------------- writes

  #stamp(): string {
    return formatOdooDatetime(this.#now());
  }

  /** Creates records; returns their ids. Stamps `create_date` / `write_date`. */
  create(env: Env, model: string, valsList: readonly Record<string, unknown>[]): number[] {
    const table = this.#table(model);
    const stamp = this.#stamp();
    const created: number[] = [];
    for (const vals of valsList) {
      if (vals === null || typeof vals !== 'object' || Array.isArray(vals)) {
        throw new OdooSimError('server_error', `'${typeof vals}' object has no attribute 'items'`, 'AttributeError');
      }
      const { values, x2many } = this.#convertVals(env, model, vals, true);
      this.#applyDefaults(env, model, values);
      this.#syncEmployeeUser(model, values);
      this.#checkRequired(model, values);
      this.#checkConstraints(model, values, undefined, values);
      if (model === 'res.users' && typeof values['partner_id'] !== 'number') {
        const [partnerId] = this.create(env, 'res.partner', [
          { name: values['name'] ?? values['login'], email: values['email'] ?? false, company_id: values['company_id'] ?? false },
        ]);
        values['partner_id'] = partnerId as number;
      }
      const id = table.nextId++;
      const row: Record<string, StoredValue> = {
        id,
        ...values,
        create_uid: env.su && typeof values['create_uid'] === 'number' ? values['create_uid'] : env.uid,
        write_uid: env.su && typeof values['write_uid'] === 'number' ? values['write_uid'] : env.uid,
        create_date: env.su && typeof values['create_date'] === 'string' ? values['create_date'] : stamp,
        write_date: env.su && typeof values['write_date'] === 'string' ? values['write_date'] : stamp,
      };
      this.#insert(table, row as StoredRow);
      this.#applyX2many(env, model, id, x2many);
      created.push(id);
    }
    return created;
  }

  /**
   * Odoo 16+ (`hr.employee._sync_user`): linking a user makes the user's partner the employee's
   * work contact, so `work_email` becomes the user's e-mail — unless the same call sets it.
   */
  #syncEmployeeUser(model: string, values: Record<string, StoredValue>): void {
    if (model !== 'hr.employee' || typeof values['user_id'] !== 'number' || 'work_email' in values) return;
    const user = this.row('res.users', values['user_id']);
    if (user) values['work_email'] = user['email'] ?? false;
  }

  #insert(table: Table, row: StoredRow): void {
    if (table.rows.has(row.id)) throw new OdooSimError('server_error', `duplicate key value violates unique constraint "${table.def.name.replace(/\./g, '_')}_pkey"`, 'psycopg2.errors.UniqueViolation');
    table.rows.set(row.id, row);
    const ids = table.ids;
    if (ids.length === 0 || (ids[ids.length - 1] as number) < row.id) ids.push(row.id);
    else ids.splice(lowerBound(ids, row.id), 0, row.id);
    if (row.id >= table.nextId) table.nextId = row.id + 1;
    table.touch();
  }

  /** Loads rows as they are (dataset import): no stamping, no checks beyond unique ids. */
  load(model: string, rows: readonly StoredRow[]): void {
    const table = this.#table(model);
    const sorted = rows.length > 1 && rows.some((row, i) => i > 0 && (rows[i - 1] as StoredRow).id >= row.id) ? [...rows].sort((a, b) => a.id - b.id) : rows;
    for (const row of sorted) {
      if (table.rows.has(row.id)) throw new TypeError(`Dataset has two ${model} rows with id ${row.id}.`);
      table.rows.set(row.id, row);
      if (table.ids.length === 0 || (table.ids[table.ids.length - 1] as number) < row.id) table.ids.push(row.id);
      else table.ids.splice(lowerBound(table.ids, row.id), 0, row.id);
      if (row.id >= table.nextId) table.nextId = row.id + 1;
    }
    table.touch();
  }

  /** Updates records. Stamps `write_date` / `write_uid`. Missing ids → MissingError. */
  write(env: Env, model: string, ids: readonly number[], vals: Record<string, unknown>): void {
    const table = this.#table(model);
    if (vals === null || typeof vals !== 'object' || Array.isArray(vals)) {
      throw new OdooSimError('server_error', `'${typeof vals}' object has no attribute 'items'`, 'AttributeError');
    }
    const unique = [...new Set(ids)];
    const missing = unique.filter((id) => !table.rows.has(id));
    if (missing.length > 0) {
      throw new OdooSimError(
        'missing_error',
        `One of the records you are trying to modify has already been deleted (Document type: ${table.def.description}).\n\n(Records: ${pyTuple(missing.slice(0, 6))}, User: ${env.uid})`,
      );
    }
    if (unique.length === 0) return;
    const { values, x2many } = this.#convertVals(env, model, vals, false);
    this.#syncEmployeeUser(model, values);
    const stamp = env.su && typeof values['write_date'] === 'string' ? values['write_date'] : this.#stamp();
    for (const id of unique) {
      const old = table.rows.get(id) as StoredRow;
      this.#checkConstraints(model, { ...old, ...values }, id, values);
    }
    for (const id of unique) {
      const old = table.rows.get(id) as StoredRow;
      const row = { ...old, ...values, write_date: stamp, write_uid: env.su && typeof values['write_uid'] === 'number' ? values['write_uid'] : env.uid } as StoredRow;
      table.rows.set(id, row);
    }
    table.touch();
    for (const id of unique) this.#applyX2many(env, model, id, x2many);
  }

  /** Deletes records for good (no trace), applying `ondelete` of the fields pointing at them. */
  unlink(env: Env, model: string, ids: readonly number[]): void {
    const table = this.#table(model);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const missing = unique.filter((id) => !table.rows.has(id));
    if (missing.length > 0) {
      throw new OdooSimError('missing_error', `Record does not exist or has been deleted.\n(Record: ${model}${pyTuple(missing.slice(0, 6))}, User: ${env.uid})`);
    }
    if (model === 'res.users' && unique.some((id) => id === 1 || id === 2)) {
      throw new OdooSimError('user_error', 'You can not remove the admin user as it is used internally for resources created by Odoo (updates, module installation, ...)');
    }
    const doomed = new Set(unique);
    // Referencing rows: restrict fails, cascade deletes, set null clears (a database-level
    // change: write_date does not move, as in PostgreSQL's ON DELETE SET NULL).
    const cascades: [string, number[]][] = [];
    const clears: [Table, string, boolean][] = [];
    for (const other of this.#tables.values()) {
      for (const field of other.def.fields.values()) {
        if (field.relation !== model || !field.store || field.compute) continue;
        if (field.type === 'many2one') {
          const hits: number[] = [];
          for (const row of other.rows.values()) {
            const target = row[field.name];
            if (typeof target === 'number' && doomed.has(target) && !(other === table && doomed.has(row.id))) hits.push(row.id);
          }
          if (hits.length === 0) continue;
          const ondelete = field.ondelete ?? 'set null';
          if (ondelete === 'restrict') {
            throw new OdooSimError(
              'validation_error',
              `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${other.def.description} (${other.def.name})\nConstraint: ${other.def.name.replace(/\./g, '_')}_${field.name}_fkey\n`,
            );
          }
          if (ondelete === 'cascade') cascades.push([other.def.name, hits]);
          else clears.push([other, field.name, false]);
        } else if (field.type === 'many2many') {
          clears.push([other, field.name, true]);
        }
      }
    }
    for (const [other, fieldName, isMany] of clears) {
      let changed = false;
      for (const row of other.rows.values()) {
        const current = row[fieldName];
        if (isMany ? Array.isArray(current) && (current as number[]).some((id) => doomed.has(id)) : typeof current === 'number' && doomed.has(current)) {
          const next = isMany ? (current as number[]).filter((id) => !doomed.has(id)) : false;
          other.rows.set(row.id, { ...row, [fieldName]: next });
          changed = true;
        }
      }
      if (changed) other.touch();
    }
    for (const id of unique) table.rows.delete(id);
    table.ids = table.ids.filter((id) => !doomed.has(id));
    table.touch();
    for (const [otherModel, hits] of cascades) this.unlink({ ...env, su: true }, otherModel, hits.filter((id) => this.row(otherModel, id)));
  }

  #convertVals(env: Env, model: string, vals: Record<string, unknown>, creating: boolean): { values: Record<string, StoredValue>; x2many: [FieldDef, unknown][] } {
    const values: Record<string, StoredValue> = {};
    const x2many: [FieldDef, unknown][] = [];
    for (const [name, raw] of Object.entries(vals)) {
      const field = this.field(model, name);
      if (!field) throw new OdooSimError('server_error', `Invalid field '${name}' on model '${model}'`, 'ValueError');
      if (MAGIC_FIELDS.has(name)) {
        if (env.su && (name === 'write_date' || name === 'create_date') && typeof raw === 'string') {
          const parsed = parseOdooDatetimeInput(raw);
          if (parsed === undefined) throw new OdooSimError('server_error', `Invalid datetime for ${name}: ${pyRepr(raw)}`, 'ValueError');
          values[name] = parsed.slice(0, 19);
        } else if (env.su && (name === 'write_uid' || name === 'create_uid') && typeof raw === 'number') {
          values[name] = raw;
        }
        continue;
      }
      if (field.compute || (field.readonly && !env.su)) continue;
      if (field.type === 'one2many') {
        x2many.push([field, raw]);
        continue;
      }
      if (field.type === 'many2many') {
        const current = creating ? [] : undefined;
        values[name] = this.#m2mCommands(model, field, raw, current);
        continue;
      }
      values[name] = this.#convertScalar(model, field, raw);
    }
    return { values, x2many };
  }

  #convertScalar(model: string, field: FieldDef, raw: unknown): StoredValue {
    const empty = raw === false || raw === null || raw === undefined;
    switch (field.type) {
      case 'boolean':
        return Boolean(raw) && raw !== 0;
      case 'integer': {
        if (empty) return 0;
        const num = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(num)) throw new OdooSimError('server_error', `invalid literal for int() with base 10: ${pyRepr(raw)}`, 'ValueError');
        return Math.trunc(num);
      }
      case 'float':
      case 'monetary': {
        if (empty) return 0;
        const num = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(num)) throw new OdooSimError('server_error', `could not convert string to float: ${pyRepr(raw)}`, 'ValueError');
        return num;
      }
      case 'date': {
        if (empty) return false;
        const parsed = typeof raw === 'string' ? parseOdooDateInput(raw) : undefined;
        if (parsed === undefined) throw new OdooSimError('server_error', `time data ${pyRepr(raw)} does not match format '%Y-%m-%d'`, 'ValueError');
        return parsed;
      }
      case 'datetime': {
        if (empty) return false;
        const parsed = typeof raw === 'string' ? parseOdooDatetimeInput(raw) : undefined;
        if (parsed === undefined) throw new OdooSimError('server_error', `time data ${pyRepr(raw)} does not match format '%Y-%m-%d %H:%M:%S'`, 'ValueError');
        return parsed.slice(0, 19);
      }
      case 'selection': {
        if (empty) return false;
        const value = String(raw);
        if (!field.selection?.some(([key]) => key === value)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
        return value;
      }
      case 'many2one': {
        if (empty) return false;
        const id: unknown = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
        if (typeof id !== 'number' || !Number.isInteger(id)) throw new OdooSimError('server_error', `invalid input syntax for type integer: ${pyRepr(raw)}`, 'psycopg2.errors.InvalidTextRepresentation');
        if (!this.row(field.relation as string, id)) throw this.#fkError(model, field);
        return id;
      }
      default: {
        if (empty) return false;
        return typeof raw === 'string' ? raw : String(raw);
      }
    }
  }

  #fkError(model: string, field: FieldDef): OdooSimError {
    const def = this.model(model);
    return new OdooSimError(
      'validation_error',
      `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nConstraint: ${model.replace(/\./g, '_')}_${field.name}_fkey\n`,
    );
  }

  /** Applies x2many commands (`[6,0,ids]`, `[4,id]`, `[3,id]`, `[5]`, or a plain id list) to a many2many. */
  #m2mCommands(model: string, field: FieldDef, raw: unknown, current: readonly number[] | undefined): readonly number[] {
    let ids = [...(current ?? [])];
    const relation = field.relation as string;
    const check = (id: unknown): number => {
      if (typeof id !== 'number' || !this.row(relation, id)) throw this.#fkError(model, field);
      return id;
    };
    if (raw === false || raw === null || raw === undefined) return [];
    if (!Array.isArray(raw)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
    if (raw.every((item) => typeof item === 'number')) return [...new Set(raw.map(check))];
    for (const command of raw) {
      if (!Array.isArray(command)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
      const [code, id, payload] = command as [unknown, unknown, unknown];
      if (code === 6) ids = [...new Set((Array.isArray(payload) ? payload : []).map(check))];
      else if (code === 5) ids = [];
      else if (code === 4) {
        const linked = check(id);
        if (!ids.includes(linked)) ids.push(linked);
      } else if (code === 3) ids = ids.filter((existing) => existing !== id);
      else throw new OdooSimError('server_error', `Unsupported x2many command ${pyRepr(command)} on ${model}.${field.name}`, 'ValueError');
    }
    return ids;
  }

  #applyX2many(env: Env, model: string, id: number, commands: readonly [FieldDef, unknown][]): void {
    for (const [field, raw] of commands) {
      const relation = field.relation as string;
      const inverse = field.inverseName as string;
      const linked = (): readonly number[] => this.#inverse(relation, inverse, id);
      const items = raw === false || raw === null || raw === undefined ? [[5]] : raw;
      if (!Array.isArray(items)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
      const asCommands = items.every((item) => typeof item === 'number') ? [[6, 0, items]] : items;
      for (const command of asCommands) {
        if (!Array.isArray(command)) throw new OdooSimError('server_error', `Wrong value for ${model}.${field.name}: ${pyRepr(raw)}`, 'ValueError');
        const [code, target, payload] = command as [unknown, unknown, unknown];
        if (code === 0) {
          this.create(env, relation, [{ ...(payload as Record<string, unknown>), [inverse]: id }]);
        } else if (code === 1 && typeof target === 'number') {
          this.write(env, relation, [target], payload as Record<string, unknown>);
        } else if (code === 2 && typeof target === 'number') {
          this.unlink(env, relation, [target]);
        } else if (code === 3 && typeof target === 'number') {
          this.write(env, relation, [target], { [inverse]: false });
        } else if (code === 4 && typeof target === 'number') {
          this.write(env, relation, [target], { [inverse]: id });
        } else if (code === 5) {
          const current = linked();
          if (current.length) this.write(env, relation, [...current], { [inverse]: false });
        } else if (code === 6) {
          const wanted = new Set((Array.isArray(payload) ? payload : []).filter((v): v is number => typeof v === 'number'));
          const removed = linked().filter((existing) => !wanted.has(existing));
          if (removed.length) this.write(env, relation, removed, { [inverse]: false });
          const added = [...wanted].filter((existing) => !linked().includes(existing));
          if (added.length) this.write(env, relation, added, { [inverse]: id });
        } else {
          throw new OdooSimError('server_error', `Unsupported x2many command ${pyRepr(command)} on ${model}.${field.name}`, 'ValueError');
        }
      }
    }
  }

  #applyDefaults(env: Env, model: string, values: Record<string, StoredValue>): void {
    for (const field of this.fields(model)) {
      if (values[field.name] === undefined && field.default !== undefined && !MAGIC_FIELDS.has(field.name) && field.type !== 'one2many') {
        values[field.name] = Array.isArray(field.default) ? [...(field.default as readonly number[])] : field.default;
      }
    }
    const hasCompany = this.row('res.company', 1) !== undefined;
    if (model === 'crm.lead') {
      if (values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
      if (values['user_id'] === undefined && this.row('res.users', env.uid)) values['user_id'] = env.uid;
      if (values['stage_id'] === undefined && values['type'] !== 'lead') {
        const [stage] = this.search({ uid: 1, su: true, context: {} }, 'crm.stage', [], { limit: 1 });
        if (stage) values['stage_id'] = stage.id;
      }
    }
    if (model === 'account.move') {
      if (values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
      if (values['currency_id'] === undefined) {
        const company = this.row('res.company', typeof values['company_id'] === 'number' ? values['company_id'] : 1);
        if (company && typeof company['currency_id'] === 'number') values['currency_id'] = company['currency_id'];
      }
      if (values['date'] === undefined) values['date'] = values['invoice_date'] ?? formatOdooDatetime(this.#now()).slice(0, 10);
    }
    if (model === 'crm.team' && values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
    if (model === 'res.users') {
      if (values['company_id'] === undefined && hasCompany) values['company_id'] = 1;
      if (values['company_ids'] === undefined && typeof values['company_id'] === 'number') values['company_ids'] = [values['company_id']];
      if (values['name'] === undefined && typeof values['login'] === 'string') values['name'] = values['login'];
    }
  }

  #checkRequired(model: string, values: Record<string, StoredValue>): void {
    for (const field of this.fields(model)) {
      if (!field.required) continue;
      const value = values[field.name];
      if (value === undefined || value === false) {
        const def = this.model(model);
        throw new OdooSimError(
          'validation_error',
          `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${model})\nField: ${field.string} (${field.name})\n`,
        );
      }
    }
  }

  /** Odoo's SQL constraints, on the row as it would be after the change. */
  #checkConstraints(model: string, values: Record<string, StoredValue | undefined>, id: number | undefined, changed: Record<string, StoredValue>): void {
    if (model === 'res.partner' && ('name' in changed || 'type' in changed || 'is_company' in changed)) {
      const type = values['type'] ?? 'contact';
      if (type === 'contact' && (values['name'] === false || values['name'] === undefined)) {
        throw new OdooSimError('validation_error', 'Contacts require a name');
      }
    }
    if (model === 'res.users' && 'login' in changed && typeof values['login'] === 'string') {
      const login = values['login'];
      for (const row of this.#table('res.users').rows.values()) {
        if (row.id !== id && row['login'] === login) throw new OdooSimError('validation_error', 'You can not have two users with the same login!');
      }
    }
  }

  // ---------------------------------------------------------------- users

  /** Registers credentials for an existing res.users row. */
  setCredentials(user: SimUser): void {
    this.#users.set(user.uid, user);
  }

  /** Credentials of a user, if any were registered. */
  credentials(uid: number): SimUser | undefined {
    return this.#users.get(uid);
  }

  /** The active user with this exact login, if any. */
  userByLogin(login: string): StoredRow | undefined {
    for (const row of this.#table('res.users').rows.values()) {
      if (row['login'] === login && row['active'] !== false) return row;
    }
    return undefined;
  }

  /** Whether `secret` is the password or one of the API keys of an active user. */
  checkSecret(uid: number, secret: unknown): SimUser {
    const row = this.row('res.users', uid);
    const user = this.#users.get(uid);
    if (!row || row['active'] === false || !user || typeof secret !== 'string' || secret === '') throw accessDenied();
    if (secret !== user.password && !user.apiKeys.includes(secret)) throw accessDenied();
    return user;
  }

  /** The active user owning an API key, if any. */
  userByApiKey(key: string): SimUser | undefined {
    if (!key) return undefined;
    for (const user of this.#users.values()) {
      if (!user.apiKeys.includes(key)) continue;
      const row = this.row('res.users', user.uid);
      return row && row['active'] !== false ? user : undefined;
    }
    return undefined;
  }
}
