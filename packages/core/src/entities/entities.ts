/**
 * Entities: which Odoo model each synced entity comes from, which rows (domain), which fields,
 * how a row becomes a normalised record, and the zod schema that record must satisfy. Defined
 * with {@link defineEntity} (entity-definition.ts); the built-in ones are in
 * built-in-entities.ts; a list of them is an {@link EntityRegistry} (entity-registry.ts).
 * @module
 */
import {
  ENTITY_NAMES,
  ENTITY_SPECS,
  type BuiltInEntityName,
  type EntityRecordMap,
} from './built-in-entities.js';
import type { EntityDefinition, EntityName, EntitySpec, FieldKind, OdooRow } from './entity-definition.js';
import {
  camelCase,
  odooBoolean,
  odooDate,
  odooDatetime,
  odooIds,
  odooMany2One,
  odooNumber,
  odooText,
} from './odoo-values.js';
import type { SourceQuery } from '../ports.js';
import { acceptValue, compileSchema, copyValue, type CompiledSchema, type SchemaNode } from './fast-schema.js';

export * from './entity-definition.js';
export * from './built-in-entities.js';
export * from './entity-registry.js';

/** The definition of one built-in entity. Throws a `TypeError` for an unknown name. */
export function getEntitySpec<N extends BuiltInEntityName>(name: N): EntitySpec<N, EntityRecordMap[N]>;
/** The definition of one built-in entity, by a name not known to be one. Throws a `TypeError` for an unknown name. */
export function getEntitySpec(name: EntityName): EntityDefinition;
export function getEntitySpec(name: EntityName): EntityDefinition {
  const spec = (ENTITY_SPECS as Record<string, EntitySpec | undefined>)[name];
  if (!spec) throw new TypeError(`Unknown entity "${name}"; expected one of ${ENTITY_NAMES.join(', ')}.`);
  return spec;
}

/** True when `value` names a built-in entity (a registry knows about the others: `EntityRegistry.has`). */
export function isEntityName(value: unknown): value is BuiltInEntityName {
  return typeof value === 'string' && (ENTITY_NAMES as readonly string[]).includes(value);
}

/** Every Odoo field an entity reads: its fields plus `write_date` and, where the model has it, `active`. */
export function odooFieldsOf(spec: EntitySpec<EntityName, { odooId: number }>): string[] {
  const fields = spec.fields.map((field) => field.odoo);
  fields.push('write_date');
  if (spec.hasActive) fields.push('active');
  return fields;
}


/** Result of mapping one Odoo row. */
export type MapResult<D> = { ok: true; record: D } | { ok: false; reason: string };

/**
 * A mapped row that took the compiled fast path: `write` gives the canonical JSON of the record
 * (what `stableHash` hashes) straight from the schema's known shape.
 */
export type FastMapResult<D> = { ok: true; record: D; write?: (record: D) => string } | { ok: false; reason: string };

/** A converter by number, so that one `switch` calls it (a call site that sees seven functions is slow). */
const KIND_CODES: Record<FieldKind, number> = { text: 0, number: 1, boolean: 2, many2one: 3, date: 4, datetime: 5, ids: 6 };

function convert(code: number, value: unknown): unknown {
  switch (code) {
    case 0:
      return odooText(value);
    case 1:
      return odooNumber(value);
    case 2:
      return odooBoolean(value);
    case 3:
      return odooMany2One(value);
    case 4:
      return odooDate(value);
    case 5:
      return odooDatetime(value);
    default:
      return odooIds(value);
  }
}

/** What mapping needs of a spec, worked out once: record keys, converters, the compiled schema. */
interface RowMapper {
  readonly odoo: readonly string[];
  readonly keys: readonly string[];
  readonly codes: readonly number[];
  readonly compiled: CompiledSchema | undefined;
  /**
   * Without `toRecord`, and when the schema is compiled and the record built from the fields
   * has every key it names: for each key of the schema, in its order, the field its value comes
   * from (-1: the row's id). The record is then built, checked and copied in one pass.
   */
  readonly direct: readonly number[] | null;
}

const rowMappers = new WeakMap<object, RowMapper>();

function rowMapperOf(spec: EntitySpec<EntityName, { odooId: number }>): RowMapper {
  let mapper = rowMappers.get(spec);
  if (!mapper) {
    const keys = spec.fields.map((field) => camelCase(field.odoo));
    const compiled = compileSchema(spec.schema);
    let direct: number[] | null = null;
    if (compiled && !spec.toRecord) {
      // Where each key of the candidate record gets its value (a later field with the same key wins).
      const source = new Map<string, number>([['odooId', -1]]);
      keys.forEach((key, index) => source.set(key, index));
      const shapeKeys = compiled.root.keys;
      const complete = shapeKeys.every((key) => source.has(key));
      // A strict schema rejects a key it does not name: such specs always take zod's way.
      const extra = compiled.root.strict && [...source.keys()].some((key) => !shapeKeys.includes(key));
      if (complete && !extra) direct = shapeKeys.map((key) => source.get(key)!);
    }
    mapper = {
      odoo: spec.fields.map((field) => field.odoo),
      keys,
      codes: spec.fields.map((field) => KIND_CODES[field.kind] ?? 0),
      compiled,
      direct,
    };
    rowMappers.set(spec, mapper);
  }
  return mapper;
}

/** The record of `row` by the direct plan, or `undefined` when a value is not one the schema takes as it is. */
function mapDirect(mapper: RowMapper, direct: readonly number[], root: SchemaNode, row: OdooRow): Record<string, unknown> | undefined {
  const { odoo, codes } = mapper;
  const { keys, members } = root;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < direct.length; i++) {
    const field = direct[i]!;
    const value = field < 0 ? row.id : convert(codes[field]!, row[odoo[field]!]);
    const member = members[i]!;
    if (!acceptValue(member, value)) return undefined;
    out[keys[i]!] = copyValue(member, value);
  }
  return out;
}

/**
 * Maps an Odoo row to the entity's normalised record and validates it. Pure. A row that
 * does not fit the schema yields `{ ok: false, reason }` naming the first problems.
 */
export function mapOdooRow<N extends EntityName, D extends { odooId: number }>(
  spec: EntitySpec<N, D>,
  row: OdooRow,
): MapResult<D> {
  const result = mapOdooRowFast(spec, row);
  return result.ok ? { ok: true, record: result.record } : result;
}

/**
 * {@link mapOdooRow}, and when the schema is compiled (see `compileSchema`) and accepts the
 * record, the canonical JSON writer of the record. The record and the reason of a failure are
 * exactly what zod gives: a record the compiled checks do not accept is parsed by zod.
 */
export function mapOdooRowFast<N extends EntityName, D extends { odooId: number }>(
  spec: EntitySpec<N, D>,
  row: OdooRow,
): FastMapResult<D> {
  const mapper = rowMapperOf(spec);
  const compiled = mapper.compiled;
  if (compiled && mapper.direct) {
    const record = mapDirect(mapper, mapper.direct, compiled.root, row);
    if (record) return { ok: true, record: record as D, write: compiled.write };
  }
  const candidate: Record<string, unknown> = { odooId: row.id };
  const { odoo, keys, codes } = mapper;
  for (let i = 0; i < keys.length; i++) candidate[keys[i]!] = convert(codes[i]!, row[odoo[i]!]);
  let mapped: unknown = candidate;
  if (spec.toRecord) {
    try {
      mapped = spec.toRecord(candidate, row);
    } catch (error) {
      return { ok: false, reason: `toRecord: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  if (compiled?.accept(mapped)) return { ok: true, record: compiled.copy(mapped) as D, write: compiled.write };
  const parsed = spec.schema.safeParse(mapped);
  if (parsed.success) return { ok: true, record: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, reason };
}

/** The {@link SourceQuery} a `SourceReader` needs to read this entity. */
export function sourceQueryOf(spec: EntitySpec<EntityName, { odooId: number }>): SourceQuery {
  return { entity: spec.name, model: spec.model, domain: spec.domain, fields: odooFieldsOf(spec) };
}
