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

const CONVERTERS: Record<FieldKind, (value: unknown) => unknown> = {
  text: odooText,
  number: odooNumber,
  boolean: odooBoolean,
  many2one: odooMany2One,
  date: odooDate,
  datetime: odooDatetime,
  ids: odooIds,
};

/** Result of mapping one Odoo row. */
export type MapResult<D> = { ok: true; record: D } | { ok: false; reason: string };

/**
 * Maps an Odoo row to the entity's normalised record and validates it. Pure. A row that
 * does not fit the schema yields `{ ok: false, reason }` naming the first problems.
 */
export function mapOdooRow<N extends EntityName, D extends { odooId: number }>(
  spec: EntitySpec<N, D>,
  row: OdooRow,
): MapResult<D> {
  const candidate: Record<string, unknown> = { odooId: row.id };
  for (const field of spec.fields) {
    candidate[camelCase(field.odoo)] = CONVERTERS[field.kind](row[field.odoo]);
  }
  let mapped: unknown = candidate;
  if (spec.toRecord) {
    try {
      mapped = spec.toRecord(candidate, row);
    } catch (error) {
      return { ok: false, reason: `toRecord: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
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
