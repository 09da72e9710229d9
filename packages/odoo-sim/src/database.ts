/**
 * The simulated Odoo database: rows per model kept in id order, Odoo's ORM semantics for
 * search / read / create / write / unlink / fields_get, access rules, and the user credentials.
 * Rows are never mutated: a write replaces the row object, so a result being streamed out is
 * a consistent snapshot.
 * @module
 */
import { compileDomain, type DomainHost } from './domain.js';
import { type SimUser, SimCredentials } from './credentials.js';
import { OdooSimError } from './exceptions.js';
import { resolveReadableFields } from './field-access.js';
import { formatOdooDatetime } from './odoo-time.js';
import { compileOrder, type OrderHost, parseOrder } from './order.js';
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
import { clearReferences, planUnlink } from './references.js';
import { countRows, lowerBound, scan, Table } from './table.js';
import { applyX2many, type X2manyHost } from './x2many.js';
import { applyDefaults, checkRequired, convertVals } from './write-values.js';

export type { SimUser } from './credentials.js';

/** A value as it goes over the wire (Odoo's read format). */
export type OdooValue = string | number | boolean | null | OdooValue[] | { [key: string]: OdooValue };

/** A record in Odoo's read format: `id` plus the requested fields. */
export type OdooRecord = { id: number } & { [field: string]: OdooValue };

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
  readonly #users = new SimCredentials();
  readonly #major: number;
  readonly #now: () => Date;
  readonly #ctx: ComputeContext;
  readonly #x2many: X2manyHost;

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
      now: () => this.#now(),
    };
    this.#x2many = {
      create: (env, model, valsList) => this.create(env, model, valsList),
      write: (env, model, ids, vals) => this.write(env, model, ids, vals),
      unlink: (env, model, ids) => this.unlink(env, model, ids),
      inverse: (model, field, id) => this.#inverse(model, field, id),
    };
  }

  /** The simulator's current time (what `create_date` / `write_date` are stamped with). */
  now(): Date {
    return this.#now();
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

  /**
   * A reader of one field, the same as {@link SimDatabase.value}, with the lookups done once: a
   * stored field becomes a property read (a domain tests it on every row of a scan).
   */
  reader(model: string, field: FieldDef): (row: StoredRow) => StoredValue {
    if (field.name === 'id' || field.name === 'display_name' || field.type === 'one2many' || field.compute) {
      return (row) => this.value(model, row, field);
    }
    const name = field.name;
    const empty = field.default ?? emptyValue(field);
    return (row) => {
      const value = row[name];
      return value === undefined ? empty : value;
    };
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

  /**
   * Resolves the `fields` argument of read/search_read: empty = every readable field. Unknown
   * field → `ValueError`; an HR-private field without HR rights → AccessError.
   */
  resolveFields(env: Env, model: string, names: readonly string[] | undefined): FieldDef[] {
    return resolveReadableFields(env, this.model(model), { fields: () => this.fields(model), field: (name) => this.field(model, name) }, names);
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
    const terms = parseOrder(options.order && options.order.trim() ? options.order : table.def.order);
    const order = compileOrder(this, model, terms);
    return scan(table, { test, idBounds: compiled.idBounds, writeDateBounds: compiled.writeDateBounds, terms, order, offset, limit });
  }

  /** Number of rows matching a domain (same active rule as {@link SimDatabase.search}). */
  count(env: Env, model: string, domain: unknown, limit?: number): number {
    const table = this.#table(model);
    const compiled = compileDomain(this, model, domain);
    const activeTest = table.def.hasActive && env.context['active_test'] !== false && !compiled.mentionsActive;
    const test = activeTest ? (row: StoredRow) => row['active'] !== false && compiled.test(row) : compiled.test;
    return countRows(table, test, compiled.idBounds, compiled.writeDateBounds, limit && limit > 0 ? limit : Number.POSITIVE_INFINITY);
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
      const { values, x2many } = convertVals(this, env, model, vals, true);
      applyDefaults(this, this.#now, env, model, values);
      this.#syncEmployeeUser(model, values);
      checkRequired(this, model, values);
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
      applyX2many(this.#x2many, env, model, id, x2many);
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
    table.put(row);
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
      table.put(row);
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
    const { values, x2many } = convertVals(this, env, model, vals, false);
    this.#syncEmployeeUser(model, values);
    const stamp = env.su && typeof values['write_date'] === 'string' ? values['write_date'] : this.#stamp();
    for (const id of unique) {
      const old = table.rows.get(id) as StoredRow;
      this.#checkConstraints(model, { ...old, ...values }, id, values);
    }
    for (const id of unique) {
      const old = table.rows.get(id) as StoredRow;
      const row = { ...old, ...values, write_date: stamp, write_uid: env.su && typeof values['write_uid'] === 'number' ? values['write_uid'] : env.uid } as StoredRow;
      table.put(row);
    }
    table.touch();
    for (const id of unique) applyX2many(this.#x2many, env, model, id, x2many);
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
    const { cascades, clears } = planUnlink(this.#tables.values(), table, model, doomed);
    clearReferences(clears, doomed);
    for (const id of unique) table.remove(id);
    table.ids = table.ids.filter((id) => !doomed.has(id));
    table.touch();
    for (const [otherModel, hits] of cascades) this.unlink({ ...env, su: true }, otherModel, hits.filter((id) => this.row(otherModel, id)));
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
    this.#users.set(user);
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
    return this.#users.check(this.row('res.users', uid), secret);
  }

  /** The active user owning an API key, if any. */
  userByApiKey(key: string): SimUser | undefined {
    return this.#users.byApiKey(key, (uid) => this.row('res.users', uid));
  }
}
