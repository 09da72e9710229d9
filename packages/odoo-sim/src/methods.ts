/**
 * The ORM methods callable from outside (`execute_kw` and JSON-2), with Python-like argument
 * binding: positional and named arguments, Odoo's `TypeError`s for unexpected or missing ones.
 * @module
 */
import type { Env, OdooRecord, OdooValue, SimDatabase } from './database.js';
import { OdooSimError } from './exceptions.js';
import { actionFeedback } from './mail-actions.js';
import type { FieldDef } from './schema.js';
import { setLeadsLost, setLeadsWon } from './crm-actions.js';

/** A bad call signature: fault 1 (`TypeError`) on XML-RPC, HTTP 422 on JSON-2. */
export class SignatureError extends OdooSimError {
  constructor(message: string) {
    super('server_error', message, 'TypeError');
  }
}

/** A method or model that does not exist: fault 1/2 on XML-RPC, HTTP 404 on JSON-2. */
export class NotFoundError extends OdooSimError {
  constructor(
    kind: 'user_error' | 'server_error',
    message: string,
    /** Message JSON-2 puts in its 404 body. */
    readonly json2Message: string,
  ) {
    super(kind, message, 'AttributeError');
  }
}

/**
 * A list of records formatted only while the answer is written, so a large `search_read` is
 * streamed instead of being built in memory first. The rows are a snapshot: writes replace
 * row objects, they never change the ones held here.
 */
export class LazyRecords {
  constructor(
    /** Number of records. */
    readonly length: number,
    /** Yields the records in order. */
    readonly records: () => Iterable<OdooValue>,
  ) {}
}

/** The result of a call, plus what XML-RPC needs to encode floats as `<double>`. */
export interface CallResult {
  /** The value returned by the method. */
  readonly value: OdooValue | LazyRecords;
  /** Struct members that are float fields (encoded as `<double>`). */
  readonly floatFields?: ReadonlySet<string>;
}

/** One call, transport-independent. */
export interface Call {
  /** Model name. */
  readonly model: string;
  /** Method name. */
  readonly method: string;
  /** Record ids (record methods). */
  readonly ids: readonly number[];
  /** Positional arguments after the ids. */
  readonly args: readonly unknown[];
  /** Named arguments (without `context`). */
  readonly kwargs: Readonly<Record<string, unknown>>;
  /** Which transport calls (JSON-2 always answers ids for `create`). */
  readonly transport: 'xmlrpc' | 'json2';
}

interface MethodSpec {
  /** Whether the method works on records (ids first). */
  readonly records: boolean;
  /** Parameter names after `self`, with defaults (`REQUIRED` for none). */
  readonly params: readonly (readonly [string, unknown])[];
  /** Extra named arguments accepted (`**read_kwargs`). */
  readonly extra?: readonly string[];
  /** Any named argument is accepted (`**additional_values`). */
  readonly anyKwargs?: boolean;
  readonly run: (db: SimDatabase, env: Env, call: Call, args: Record<string, unknown>) => CallResult;
  /** First Odoo major version that has it. */
  readonly since?: number;
  /** The method checks model access itself (`check_access_rights`). */
  readonly ownAccessCheck?: boolean;
  /** The only model that has it (`res.users.context_get`); every model when absent. */
  readonly model?: string;
}

const REQUIRED = Symbol('required');

function asNumber(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new OdooSimError('server_error', `${name} must be an integer, got ${JSON.stringify(value)}`, 'TypeError');
}

function asOrder(value: unknown): string | undefined {
  if (value === undefined || value === null || value === false || value === '') return undefined;
  if (typeof value === 'string') return value;
  throw new OdooSimError('server_error', `order must be a string, got ${JSON.stringify(value)}`, 'TypeError');
}

function asFieldNames(value: unknown): string[] | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new OdooSimError('server_error', `fields must be a list of field names, got ${JSON.stringify(value)}`, 'TypeError');
}

/** The `offset`, `limit` and `order` arguments of `search` and `search_read`, checked. */
function searchOptions(a: Record<string, unknown>): { offset?: number; limit?: number; order?: string } {
  const opts: { offset?: number; limit?: number; order?: string } = {};
  const offset = asNumber('offset', a['offset']);
  const limit = asNumber('limit', a['limit']);
  const order = asOrder(a['order']);
  if (offset !== undefined) opts.offset = offset;
  if (limit !== undefined) opts.limit = limit;
  if (order !== undefined) opts.order = order;
  return opts;
}

function floats(fields: readonly FieldDef[]): Set<string> {
  return new Set(fields.filter((field) => field.type === 'float' || field.type === 'monetary').map((field) => field.name));
}

function readResult(db: SimDatabase, model: string, rows: ReturnType<SimDatabase['search']>, fields: FieldDef[], load: unknown): CallResult {
  const classic = load === '_classic_read';
  const records = function* (): Generator<OdooRecord> {
    for (const row of rows) yield db.formatRow(model, row, fields, classic);
  };
  return { value: new LazyRecords(rows.length, records), floatFields: floats(fields) };
}

function fieldsGet(db: SimDatabase, env: Env, model: string, allfields: unknown, attributes: unknown): CallResult {
  const only = asFieldNames(allfields);
  const wanted = asFieldNames(attributes);
  const out: Record<string, OdooValue> = {};
  for (const field of db.fields(model)) {
    if (only && only.length && !only.includes(field.name)) continue;
    if (field.hrOnly && !env.su && env.user?.hrOfficer !== true) continue;
    const description: Record<string, OdooValue> = {
      name: field.name,
      type: field.type,
      string: field.string,
      required: field.required === true,
      readonly: field.readonly === true || field.compute !== undefined || field.name === 'display_name',
      store: field.store,
      searchable: true,
      sortable: field.store && field.type !== 'one2many' && field.type !== 'many2many',
      manual: false,
      company_dependent: false,
      change_default: false,
      translate: false,
    };
    if (field.help) description['help'] = field.help;
    if (field.relation) description['relation'] = field.relation;
    if (field.inverseName) description['relation_field'] = field.inverseName;
    if (field.selection) description['selection'] = field.selection.map(([key, text]) => [key, text]);
    if (field.type === 'many2one' || field.type === 'many2many' || field.type === 'one2many') {
      description['domain'] = [];
      description['context'] = {};
    }
    if (wanted && wanted.length) {
      // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- description is a keyed map of fields; drop the unwanted ones
      for (const key of Object.keys(description)) if (!wanted.includes(key)) delete description[key];
    }
    out[field.name] = description;
  }
  return { value: out };
}

const METHODS: Record<string, MethodSpec> = {
  search_read: {
    records: false,
    params: [
      ['domain', null],
      ['fields', null],
      ['offset', 0],
      ['limit', null],
      ['order', null],
    ],
    extra: ['load'],
    run(db, env, call, a) {
      const fields = db.resolveFields(env, call.model, asFieldNames(a['fields']));
      const rows = db.search(env, call.model, a['domain'], searchOptions(a));
      // `load` is optional; when given (even as null/false) anything but '_classic_read' means bare ids.
      return readResult(db, call.model, rows, fields, 'load' in a ? a['load'] : '_classic_read');
    },
  },
  search: {
    records: false,
    params: [
      ['domain', REQUIRED],
      ['offset', 0],
      ['limit', null],
      ['order', null],
    ],
    run(db, env, call, a) {
      return { value: db.search(env, call.model, a['domain'], searchOptions(a)).map((row) => row.id) };
    },
  },
  search_count: {
    records: false,
    params: [
      ['domain', REQUIRED],
      ['limit', null],
    ],
    run(db, env, call, a) {
      return { value: db.count(env, call.model, a['domain'], asNumber('limit', a['limit'])) };
    },
  },
  read: {
    records: true,
    params: [
      ['fields', null],
      ['load', '_classic_read'],
    ],
    run(db, env, call, a) {
      const fields = db.resolveFields(env, call.model, asFieldNames(a['fields']));
      return readResult(db, call.model, db.browse(call.model, call.ids), fields, a['load']);
    },
  },
  fields_get: {
    records: false,
    params: [
      ['allfields', null],
      ['attributes', null],
    ],
    run(db, env, call, a) {
      return fieldsGet(db, env, call.model, a['allfields'], a['attributes']);
    },
  },
  create: {
    records: false,
    params: [['vals_list', REQUIRED]],
    run(db, env, call, a) {
      const raw = a['vals_list'];
      const single = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
      const list = single ? [raw as Record<string, unknown>] : Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [raw as Record<string, unknown>];
      const ids = db.create(env, call.model, list);
      if (call.transport === 'json2' || !single) return { value: ids };
      return { value: ids[0] as number };
    },
  },
  write: {
    records: true,
    params: [['vals', REQUIRED]],
    run(db, env, call, a) {
      db.write(env, call.model, call.ids, a['vals'] as Record<string, unknown>);
      return { value: true };
    },
  },
  unlink: {
    records: true,
    params: [],
    run(db, env, call) {
      db.unlink(env, call.model, call.ids);
      return { value: true };
    },
  },
  name_search: {
    records: false,
    params: [
      ['name', ''],
      ['domain', null],
      ['operator', 'ilike'],
      ['limit', 100],
    ],
    run(db, env, call, a) {
      const name = typeof a['name'] === 'string' ? a['name'] : '';
      const domain = [...((Array.isArray(a['domain']) ? a['domain'] : []) as unknown[])];
      if (name) domain.push(['display_name', typeof a['operator'] === 'string' ? a['operator'] : 'ilike', name]);
      const opts: { limit?: number } = {};
      const limit = asNumber('limit', a['limit']);
      if (limit !== undefined) opts.limit = limit;
      const rows = db.search(env, call.model, domain, opts);
      return { value: rows.map((row) => [row.id, db.displayName(call.model, row.id)]) };
    },
  },
  // res.users.context_get: the caller's context. On JSON-2 it is how a client learns whose API key
  // it holds (Odoo puts the calling user's id in it); any user may call it.
  context_get: {
    records: false,
    ownAccessCheck: true,
    model: 'res.users',
    params: [],
    run(_db, env) {
      return { value: { lang: 'en_US', tz: 'Europe/Brussels', uid: env.uid } };
    },
  },
  action_set_won: {
    records: true,
    model: 'crm.lead',
    params: [],
    run(db, env, call) {
      setLeadsWon(db, env, call.ids);
      return { value: true };
    },
  },
  action_set_lost: {
    records: true,
    model: 'crm.lead',
    params: [],
    anyKwargs: true,
    run(db, env, call, a) {
      setLeadsLost(db, env, call.ids, a);
      return { value: true };
    },
  },
  // mail.activity.action_feedback: mark done — posts the "done" message, deletes the activity.
  action_feedback: {
    records: true,
    model: 'mail.activity',
    params: [
      ['feedback', false],
      ['attachment_ids', null],
    ],
    run(db, env, call, a) {
      return { value: actionFeedback(db, env, call.ids, a['feedback']) };
    },
  },
  check_access_rights: {
    records: false,
    ownAccessCheck: true,
    params: [
      ['operation', REQUIRED],
      ['raise_exception', true],
    ],
    run(db, env, call, a) {
      const operation = a['operation'];
      if (!['read', 'write', 'create', 'unlink'].includes(String(operation))) {
        throw new OdooSimError('server_error', `Invalid access mode: ${String(operation)}`, 'ValueError');
      }
      try {
        db.checkModelAccess(env, call.model);
      } catch (error) {
        if (a['raise_exception'] === false && error instanceof OdooSimError && error.kind === 'access_error') return { value: false };
        throw error;
      }
      return { value: true };
    },
  },
};

/**
 * Binds the arguments to the method's parameters like Python. The wording of a mismatch depends
 * on who checks: a Python call (`search() missing 1 required positional argument: 'domain'`,
 * XML-RPC) or JSON-2's `inspect.signature(...).bind` (`missing a required argument: 'domain'`).
 */
function bind(
  name: string,
  spec: MethodSpec,
  args: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  style: 'call' | 'bind',
): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  const params = spec.params;
  if (args.length > params.length) {
    const required = params.filter(([, d]) => d === REQUIRED).length + 1;
    const total = params.length + 1;
    const takes = required === total ? `${total}` : `from ${required} to ${total}`;
    throw new SignatureError(style === 'bind' ? 'too many positional arguments' : `${name}() takes ${takes} positional arguments but ${args.length + 1} were given`);
  }
  args.forEach((value, i) => {
    bound[(params[i] as readonly [string, unknown])[0]] = value;
  });
  if (style === 'bind') {
    // inspect's bind walks the parameters first: a missing one is reported before an unknown keyword.
    const missing = params.find(([param, d]) => d === REQUIRED && !(param in bound) && !Object.hasOwn(kwargs, param));
    if (missing) throw new SignatureError(`missing a required argument: '${missing[0]}'`);
  }
  for (const [key, value] of Object.entries(kwargs)) {
    const known = spec.anyKwargs === true || params.some(([param]) => param === key) || spec.extra?.includes(key);
    if (!known) throw new SignatureError(`${style === 'bind' ? '' : `${name}() `}got an unexpected keyword argument '${key}'`);
    if (key in bound) throw new SignatureError(style === 'bind' ? `multiple values for argument '${key}'` : `${name}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  const missing = params.filter(([param, d]) => d === REQUIRED && !(param in bound)).map(([param]) => `'${param}'`);
  if (missing.length > 0) {
    throw new SignatureError(`${name}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.join(' and ')}`);
  }
  for (const [param, d] of params) if (!(param in bound) && d !== REQUIRED) bound[param] = d;
  return bound;
}

/** Whether a method is a record method (takes ids). `undefined` for unknown methods. */
export function isRecordMethod(method: string): boolean | undefined {
  return METHODS[method]?.records;
}

/** Looks the method up; throws like Odoo for unknown or private methods. */
export function resolveMethod(model: string, method: string, major: number): { records: boolean } {
  if (method.startsWith('_')) {
    throw new OdooSimError('access_error', `Private methods (such as '${model}.${method}') cannot be called remotely.`);
  }
  const spec = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!spec || (spec.since !== undefined && major < spec.since) || (spec.model !== undefined && spec.model !== model)) {
    const message = `The method '${model}.${method}' does not exist`;
    throw new NotFoundError('server_error', message, message);
  }
  return { records: spec.records };
}

/**
 * Runs one call. As in Odoo, the arguments are bound first (a wrong signature fails before the
 * method runs), then access to the model is checked.
 */
export function runMethod(db: SimDatabase, env: Env, call: Call, major: number): CallResult {
  resolveMethod(call.model, call.method, major);
  const spec = METHODS[call.method] as MethodSpec;
  const args = bind(call.method, spec, call.args, call.kwargs, call.transport === 'json2' ? 'bind' : 'call');
  if (!spec.ownAccessCheck) db.checkModelAccess(env, call.model);
  return spec.run(db, env, call, args);
}

/** Reads a Python-style ids argument (an int or a list of ints). */
export function parseIds(value: unknown): number[] {
  if (value === undefined || value === null || value === false) return [];
  const list = Array.isArray(value) ? value : [value];
  for (const id of list) {
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw new OdooSimError('server_error', `Invalid record id ${JSON.stringify(id)}: ids must be integers`, 'TypeError');
    }
  }
  return list as number[];
}
